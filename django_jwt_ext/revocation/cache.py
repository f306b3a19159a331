"""CacheBackend: revocations in a Django cache (Redis) shared by every app server."""

import hashlib
import uuid
from contextlib import suppress
from datetime import datetime, timezone
from importlib import import_module
from typing import Any

from django.core.cache import BaseCache, caches

from ..config import config
from .base import RevocationBackend, RevocationState, TokenRecord

PREFIX = "jwt_ext"


def client_errors() -> tuple[type[BaseException], ...]:
    """Return the exceptions cache clients raise when their server is unreachable."""
    errors: list[type[BaseException]] = [OSError]
    for module, name in (
        ("redis.exceptions", "RedisError"),
        ("pymemcache.exceptions", "MemcacheError"),
    ):
        with suppress(ImportError):
            errors.append(getattr(import_module(module), name))
    return tuple(errors)


def key(kind: str, value: str) -> str:
    """Return a cache key safe for every cache backend, whatever ``value`` holds."""
    return f"{PREFIX}:{kind}:{hashlib.sha256(value.encode('utf-8', 'surrogatepass')).hexdigest()}"


def state_of(jti_revoked: bool, revoked_before: float | None) -> RevocationState:
    """Build the state from cached values (a logout is kept as a timestamp)."""
    if revoked_before is None:
        return RevocationState(jti_revoked)
    return RevocationState(jti_revoked, datetime.fromtimestamp(revoked_before, timezone.utc))


def refresh_lifetime() -> int | None:
    """Return how long refresh-token bookkeeping must be kept, in seconds."""
    expires = config.refresh_expires
    if expires is False:
        return None
    now = datetime.now(timezone.utc)
    return int(((now + expires) - now).total_seconds())


class CacheBackend(RevocationBackend):
    """Keep revocations in the cache ``JWT_REVOCATION_CACHE_ALIAS``: one round trip per check.

    Every entry expires with the token it concerns, so nothing needs purging.
    The cache must be shared by all app servers (Redis, Memcached): a
    per-process cache would let other servers accept revoked tokens.
    """

    unavailable_errors = client_errors()

    @property
    def cache(self) -> BaseCache:
        return caches[config.revocation_cache_alias]

    def is_revoked(self, token: TokenRecord) -> bool:
        jti_key = key("jti", token.jti or "")
        identity_key = key("identity", token.identity)
        refresh_key = key("refresh", token.jti or "")
        wanted = [identity_key]
        if token.jti:
            wanted.append(jti_key)
            if token.token_type == "refresh":
                wanted.append(refresh_key)
        found = self.cache.get_many(wanted)
        if state_of(jti_key in found, found.get(identity_key)).covers(token):
            return True
        family = found.get(refresh_key)
        return family is not None and self.cache.get(key("family", family)) is not None

    def revoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        if token.jti is None:
            return False
        timeout = token.seconds_left(datetime.now(timezone.utc))
        created = self.cache.add(key("jti", token.jti), reason, timeout=timeout or 1)
        if created:
            self.token_revoked(token, token.identity, reason)
        return created

    def revoke_identity(
        self, identity: str, revoked_before: datetime, reason: str = "", user: Any = None
    ) -> None:
        self.cache.set(key("identity", identity), revoked_before.timestamp(), timeout=None)
        self.token_revoked(None, identity, reason)

    def record_refresh_token(
        self, token: TokenRecord, family: uuid.UUID, user_id: Any = None
    ) -> None:
        timeout = token.seconds_left(datetime.now(timezone.utc))
        self.cache.set(key("refresh", token.jti or ""), str(family), timeout=timeout or 1)

    def refresh_lineage(self, token: TokenRecord) -> tuple[uuid.UUID, Any] | None:
        if token.jti is None:
            return None  # Nothing to consume once: never exchanged.
        refresh_key, used_key = key("refresh", token.jti), key("used", token.jti)
        found = self.cache.get_many([refresh_key, used_key])
        family = found.get(refresh_key)
        if family is None:
            # Issued before the store knew it (or evicted): record it now.
            family = str(uuid.uuid4())
            self.record_refresh_token(token, uuid.UUID(family))
        if used_key in found:
            self.revoke_family(uuid.UUID(family), token)
            return None
        return uuid.UUID(family), None

    def consume_refresh_token(self, token: TokenRecord, family: uuid.UUID) -> bool:
        timeout = token.seconds_left(datetime.now(timezone.utc))
        # cache.add is atomic (SET NX on Redis): one request wins.
        if self.cache.add(key("used", token.jti or ""), 1, timeout=timeout or 1):
            return True
        self.revoke_family(family, token)
        return False

    def revoke_family(self, family: uuid.UUID, token: TokenRecord) -> None:
        """Refuse every refresh token of ``family`` from now on, ``token`` included."""
        self.cache.set(key("family", str(family)), 1, timeout=refresh_lifetime())
        self.revoke(token, "Refresh token reused")

    def purge_expired(self, batch_size: int = 1000) -> int:
        return 0  # Entries expire with their tokens.
