"""CacheBackend: revocations in a Django cache (Redis) shared by every app server."""

import hashlib
import threading
import uuid
from contextlib import suppress
from datetime import datetime, timezone
from importlib import import_module
from typing import Any

from django.core.cache import BaseCache, caches

from ..config import config
from .base import REUSED, RevocationBackend, signal_args
from .records import RevocationState, TokenRecord, longest_ttl, moment, ttl_until
from .steps import Steps, arun, run

PREFIX = "jwt_ext"
NEVER = "never"  # A family member without exp: the family's marker never expires.


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


def key(kind: str, value: Any) -> str:
    """Return a cache key safe for every cache backend, whatever ``value`` holds.

    A short printable value (a uuid ``jti``, a user's primary key) is used as
    it is: shorter keys cost less to build and to validate on every check.
    Anything else goes in as a digest, after ``#`` instead of ``:``, so the
    two forms never meet.
    """
    text = str(value)
    # What every cache backend takes as it is (Memcached refuses spaces, control
    # characters and keys over 250 characters).
    if 0 < len(text) <= 100 and text.isascii() and text.isprintable() and " " not in text:
        return f"{PREFIX}:{kind}:{text}"
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{PREFIX}:{kind}#{digest}"


class ThreadCache:
    """The cache ``JWT_REVOCATION_CACHE_ALIAS`` names: one object per backend and thread.

    Django's ``caches[alias]`` belongs to the current asyncio task under
    ASGI, so each request would build a new cache object (for Redis, a new
    connection pool) and the hot path would pay for it. A backend keeps one
    per thread instead, as ``caches`` does under WSGI; a settings change
    builds a new backend, and with it new caches.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.storage = f"{name}_per_thread"

    def __get__(self, backend: Any, owner: type) -> Any:
        if backend is None:
            return self
        try:
            return backend.__dict__[self.storage].cache
        except KeyError:
            local = backend.__dict__.setdefault(self.storage, threading.local())
        except AttributeError:  # A thread that has not asked yet.
            local = backend.__dict__[self.storage]
        local.cache = cache = caches.create_connection(config.revocation_cache_alias)
        return cache


def logout_moment(timestamp: Any) -> datetime | None:
    """Return a logout kept as a timestamp (``None`` when there is none)."""
    return None if timestamp is None else moment(timestamp)


def family_ttl(longest_expiry: Any) -> int | None:
    """Return how long a revoked family's marker must live.

    As long as its longest-lived member known so far (``longest_expiry``: a
    timestamp, or :data:`NEVER`), and at least a full refresh lifetime from
    now: a successor minted by an exchange still in flight gets that lifetime.
    """
    now = datetime.now(timezone.utc)
    member = None if longest_expiry == NEVER else ttl_until(moment(longest_expiry) or now, now)
    lifetime = config.refresh_expires
    successor = None if lifetime is False else ttl_until(now + lifetime, now)
    return longest_ttl(member, successor)


class CacheBackend(RevocationBackend):
    """Keep revocations in the cache ``JWT_REVOCATION_CACHE_ALIAS``: one round trip per check.

    Every entry lives exactly as long as the token it concerns can be
    presented (its ``exp`` plus the leeway; for ever without ``exp``), so
    nothing needs purging. The cache must be shared by all app servers
    (Redis, Memcached) and must not evict entries before they expire (Redis:
    ``maxmemory-policy noeviction``): a per-process cache would let other
    servers accept revoked tokens, and an evicted entry forgets a revocation.

    Each operation is written once, as steps (see
    ``django_jwt_ext.revocation.steps``); the async twins run the same
    steps with the cache's async API.
    """

    unavailable_errors = client_errors()
    native_async = True

    cache: BaseCache = ThreadCache()  # type: ignore[assignment]

    def sync(self, steps: Steps[Any]) -> Any:
        return run(steps, self.cache, type(self))

    async def asynchronous(self, steps: Steps[Any]) -> Any:
        return await arun(steps, self.cache, type(self))

    # The steps of each operation.

    def state_steps(self, token: TokenRecord) -> Steps[RevocationState]:
        identity_key = key("identity", token.identity)
        wanted = [identity_key]
        jti_key = refresh_key = None
        if token.jti:
            jti_key = key("jti", token.jti)
            wanted.append(jti_key)
            if token.token_type == "refresh":
                refresh_key = key("refresh", token.jti)
                wanted.append(refresh_key)
        found = yield ("get_many", (wanted,))
        family_revoked = False
        family = found.get(refresh_key) if refresh_key else None
        if family is not None:
            family_revoked = (yield ("get", (key("family", family),))) is not None
        return RevocationState(
            jti_revoked=jti_key is not None and jti_key in found,
            revoked_before=logout_moment(found.get(identity_key)),
            family_revoked=family_revoked,
        )

    def revoke_steps(self, token: TokenRecord, reason: str) -> Steps[bool]:
        ttl = token.ttl()
        if ttl == 0:
            return True  # It can no longer be presented: nothing to remember.
        created = yield ("add", (key("jti", token.jti), reason or "revoked", ttl))
        if created:
            yield ("signal", (signal_args(token, token.identity, reason),))
        return created

    def revoke_identity_steps(
        self, identity: str, revoked_before: datetime, reason: str
    ) -> Steps[None]:
        identity_key, timestamp = key("identity", identity), revoked_before.timestamp()
        # The latest logout counts: never move the marker back.
        current = yield ("get", (identity_key,))
        if current is None or current < timestamp:
            yield ("set", (identity_key, timestamp, None))
        yield ("signal", (signal_args(None, identity, reason),))

    def record_steps(self, token: TokenRecord, family: uuid.UUID) -> Steps[None]:
        ttl = token.ttl()
        if ttl == 0 or token.jti is None:
            return
        yield ("set", (key("refresh", token.jti), str(family), ttl))
        yield from self.extend_family_steps(token, family)

    def extend_family_steps(self, token: TokenRecord, family: Any) -> Steps[None]:
        """Keep the family's longest member expiry, and its marker alive for the new member."""
        expiry_key = key("family-expiry", family)
        current = yield ("get", (expiry_key,))
        expiry = NEVER if token.expires_at is None else token.expires_at.timestamp()
        if current != NEVER and (expiry == NEVER or current is None or expiry > current):
            yield ("set", (expiry_key, expiry, family_ttl(expiry)))
            current = expiry
        marker_key = key("family", family)
        reason = yield ("get", (marker_key,))
        if reason is not None:  # Recorded into a revoked family: revoked with it.
            yield ("set", (marker_key, reason, family_ttl(current)))

    def lineage_steps(self, token: TokenRecord) -> Steps[tuple[uuid.UUID, Any] | None]:
        if token.jti is None or token.ttl() == 0:
            return None  # Never exchanged once, or no longer presentable.
        refresh_key, used_key = key("refresh", token.jti), key("used", token.jti)
        found = yield ("get_many", ([refresh_key, used_key],))
        family = found.get(refresh_key)
        if family is None:
            # Issued before the store knew it (or elsewhere): record it now.
            # add() lets the first of concurrent exchanges choose the family.
            chosen = str(uuid.uuid4())
            if (yield ("add", (refresh_key, chosen, token.ttl()))):
                family = chosen
                yield from self.extend_family_steps(token, family)
            else:
                family = yield ("get", (refresh_key,))
                if family is None:
                    return None
        if used_key in found:
            yield from self.revoke_family_steps(uuid.UUID(family), REUSED, token)
            return None
        if (yield ("get", (key("family", family),))) is not None:
            return None
        return uuid.UUID(family), None

    def consume_steps(self, token: TokenRecord, family: uuid.UUID) -> Steps[bool]:
        ttl = token.ttl()
        if ttl == 0:
            return False
        # A family revoked while this exchange was in flight stops it here. One
        # revoked after this read already covers the recorded successor, so the
        # first request to claim the token below wins, as on the database.
        if (yield ("get", (key("family", family),))) is not None:
            return False
        # add() is atomic (SET NX on Redis): one request wins.
        if not (yield ("add", (key("used", token.jti), 1, ttl))):
            yield from self.revoke_family_steps(family, REUSED, token)
            return False
        return True

    def revoke_family_steps(
        self, family: uuid.UUID, reason: str, token: TokenRecord
    ) -> Steps[None]:
        longest = yield ("get", (key("family-expiry", family),))
        if (yield ("add", (key("family", family), reason, family_ttl(longest)))):
            yield ("signal", (signal_args(token, token.identity, reason, family),))

    # The contract, sync.

    def state(self, token: TokenRecord) -> RevocationState:
        return self.sync(self.state_steps(token))

    def revoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        return self.sync(self.revoke_steps(token, reason))

    def revoke_identity(
        self, identity: str, revoked_before: datetime, reason: str = "", user: Any = None
    ) -> None:
        self.sync(self.revoke_identity_steps(identity, revoked_before, reason))

    def record_refresh_token(
        self, token: TokenRecord, family: uuid.UUID, user_id: Any = None
    ) -> None:
        self.sync(self.record_steps(token, family))

    def refresh_lineage(self, token: TokenRecord) -> tuple[uuid.UUID, Any] | None:
        return self.sync(self.lineage_steps(token))

    def consume_refresh_token(self, token: TokenRecord, family: uuid.UUID) -> bool:
        return self.sync(self.consume_steps(token, family))

    def revoke_family(self, family: uuid.UUID, reason: str, token: TokenRecord) -> None:
        self.sync(self.revoke_family_steps(family, reason, token))

    def purge_expired(self, batch_size: int = 1000) -> int:
        return 0  # Entries expire with their tokens.

    # The contract, async: the same steps.

    async def astate(self, token: TokenRecord) -> RevocationState:
        return await self.asynchronous(self.state_steps(token))

    async def arevoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        return await self.asynchronous(self.revoke_steps(token, reason))

    async def arevoke_identity(
        self, identity: str, revoked_before: datetime, reason: str = "", user: Any = None
    ) -> None:
        await self.asynchronous(self.revoke_identity_steps(identity, revoked_before, reason))

    async def arecord_refresh_token(
        self, token: TokenRecord, family: uuid.UUID, user_id: Any = None
    ) -> None:
        await self.asynchronous(self.record_steps(token, family))

    async def arefresh_lineage(self, token: TokenRecord) -> tuple[uuid.UUID, Any] | None:
        return await self.asynchronous(self.lineage_steps(token))

    async def aconsume_refresh_token(self, token: TokenRecord, family: uuid.UUID) -> bool:
        return await self.asynchronous(self.consume_steps(token, family))
