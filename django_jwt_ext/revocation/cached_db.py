"""CachedDatabaseBackend: the database store with a read-through cache in front.

Built on :class:`~django_jwt_ext.revocation.db.DatabaseBackend` the way
Django's ``cached_db`` sessions are built on ``db``: the database is the
truth; a check reads the cache and, on a miss, the database, then fills the
cache; a write goes to the database first and then refreshes the cache; a
cache that fails is logged and bypassed (the database answers), never a 503.
"""

import logging
from datetime import datetime
from typing import Any

from django.core.cache import BaseCache

from ..config import config
from ..users import user_by_pk
from .cache import ThreadCache, client_errors, key, logout_moment
from .db import DatabaseBackend
from .records import RevocationState, TokenRecord

logger = logging.getLogger("django_jwt_ext.revocation")

# Cached for an identity that never logged out everywhere.
NO_LOGOUT = "never"
# Own key kinds: these entries cache the database's answers, False included.
JTI, IDENTITY = "db-jti", "db-identity"


class CachedDatabaseBackend(DatabaseBackend):
    """Answer access-token checks from the cache, fall back to the database.

    Cached answers live at most ``JWT_REVOCATION_CACHE_TIMEOUT`` seconds,
    except "this jti is revoked", which never changes back and lives as long
    as the token. So a revocation whose cache refresh failed is seen by every
    server within that timeout. Refresh tokens (exchanged rarely, and whose
    family may be revoked at any moment) are always checked in the database.
    """

    cache_errors = client_errors()

    cache: BaseCache = ThreadCache()  # type: ignore[assignment]

    def cached_state(self, token: TokenRecord) -> RevocationState | None:
        """Return the state the cache holds for an access token, ``None`` on a miss."""
        if token.token_type == "refresh" or token.jti is None:
            return None
        jti_key, identity_key = key(JTI, token.jti), key(IDENTITY, token.identity)
        try:
            found = self.cache.get_many([jti_key, identity_key])
        except self.cache_errors as exc:
            logger.warning("Revocation cache unreachable, asking the database: %s", exc)
            return None
        if jti_key not in found or identity_key not in found:
            return None
        logout = found[identity_key]
        revoked_before = logout_moment(None if logout == NO_LOGOUT else logout)
        return RevocationState(found[jti_key], revoked_before)

    def remember(self, token: TokenRecord, state: RevocationState) -> None:
        """Fill the cache after a database read.

        ``add``, not ``set``: a revocation written since the read (which sets
        the key) must win over this older answer.
        """
        ttl = token.ttl()
        if token.token_type == "refresh" or token.jti is None or ttl == 0:
            return
        bound = config.revocation_cache_timeout
        jti_ttl = ttl if state.jti_revoked else min(bound, bound if ttl is None else ttl)
        logout = state.revoked_before.timestamp() if state.revoked_before else NO_LOGOUT
        self.write(
            lambda: (
                self.cache.add(key(JTI, token.jti), state.jti_revoked, timeout=jti_ttl),
                self.cache.add(key(IDENTITY, token.identity), logout, timeout=bound),
            )
        )

    def write(self, call: Any) -> None:
        try:
            call()
        except self.cache_errors as exc:
            logger.warning("Revocation cache unreachable, not updated: %s", exc)

    def state(self, token: TokenRecord) -> RevocationState:
        cached = self.cached_state(token)
        if cached is not None:
            return cached
        state = super().state(token)
        self.remember(token, state)
        return state

    def user_and_state(self, pk: Any, token: TokenRecord) -> tuple[Any, RevocationState]:
        cached = self.cached_state(token)
        if cached is not None:
            user = None if cached.covers(token) else user_by_pk(pk)
            return user, cached
        user, state = super().user_and_state(pk, token)
        self.remember(token, state)
        return user, state

    def revoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        created = super().revoke(token, reason, user)
        ttl = token.ttl()
        if ttl != 0:
            self.write(lambda: self.cache.set(key(JTI, token.jti), True, timeout=ttl))
        return created

    def forget(self, jtis: list[str], identities: list[str]) -> None:
        keys = [key(JTI, jti) for jti in jtis] + [key(IDENTITY, name) for name in identities]
        if keys:
            self.write(lambda: self.cache.delete_many(keys))

    def revoke_identity(
        self, identity: str, revoked_before: datetime, reason: str = "", user: Any = None
    ) -> None:
        super().revoke_identity(identity, revoked_before, reason, user)
        latest = super().last_logout(identity) or revoked_before
        self.write(
            lambda: self.cache.set(
                key(IDENTITY, identity),
                latest.timestamp(),
                timeout=config.revocation_cache_timeout,
            )
        )
