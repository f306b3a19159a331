"""CachedDatabaseBackend: the database store with a read-through cache in front."""

from datetime import datetime, timezone
from typing import Any

from django.core.cache import BaseCache, caches

from ..config import config
from .base import RevocationBackend, RevocationState, TokenRecord
from .cache import client_errors, key, state_of
from .db import DatabaseBackend

# Cached for an identity that never logged out everywhere.
NO_LOGOUT = "never"
# Own key kinds: these entries cache answers (False included), unlike CacheBackend's.
JTI, IDENTITY = "db-jti", "db-identity"


class CachedDatabaseBackend(DatabaseBackend):
    """Answer checks from the cache, fall back to the database and remember the answer.

    Writes go to the database first, then to the cache, so the database
    stays the record of truth and the admin shows everything.
    """

    unavailable_errors = DatabaseBackend.unavailable_errors + client_errors()

    @property
    def cache(self) -> BaseCache:
        return caches[config.revocation_cache_alias]

    def cached_state(self, token: TokenRecord) -> RevocationState | None:
        jti_key, identity_key = key(JTI, token.jti or ""), key(IDENTITY, token.identity)
        found = self.cache.get_many([jti_key, identity_key])
        if jti_key not in found or identity_key not in found:
            return None
        revoked_before = found[identity_key]
        return state_of(found[jti_key], None if revoked_before == NO_LOGOUT else revoked_before)

    def state(self, token: TokenRecord) -> RevocationState:
        cached = self.cached_state(token)
        if cached is not None:
            return cached
        state = super().state(token)
        logout = state.revoked_before.timestamp() if state.revoked_before else NO_LOGOUT
        timeout = token.seconds_left(datetime.now(timezone.utc))
        # add, not set: a revocation written since the read above must win.
        self.cache.add(key(JTI, token.jti or ""), state.jti_revoked, timeout=timeout or 1)
        self.cache.add(key(IDENTITY, token.identity), logout, timeout=None)
        return state

    def user_and_revocation(self, pk: Any, token: TokenRecord) -> tuple[Any, bool]:
        if self.cached_state(token) is not None:
            return RevocationBackend.user_and_revocation(self, pk, token)
        return super().user_and_revocation(pk, token)

    def revoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        created = super().revoke(token, reason, user)
        if token.jti is not None:
            timeout = token.seconds_left(datetime.now(timezone.utc))
            self.cache.set(key(JTI, token.jti), True, timeout=timeout or 1)
        return created

    def revoke_identity(
        self, identity: str, revoked_before: datetime, reason: str = "", user: Any = None
    ) -> None:
        super().revoke_identity(identity, revoked_before, reason, user)
        self.cache.set(key(IDENTITY, identity), revoked_before.timestamp(), timeout=None)
