"""Revoke tokens and ask whether a token is revoked, through the configured backend.

``JWT_REVOCATION_BACKEND`` names the backend class, like Django's session
engines: :class:`~django_jwt_ext.revocation.db.DatabaseBackend` (default),
:class:`~django_jwt_ext.revocation.cache.CacheBackend` or
:class:`~django_jwt_ext.revocation.cached_db.CachedDatabaseBackend`. Every
function has an ``a``-prefixed async twin.

The manager owns the mapping from a user to the identity its tokens carry
(``user_identity_loader``); the functions that take a user ask it, at call
time, so that the backends below never depend on the manager.
"""

import asyncio
import math
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.utils.translation import gettext

from ..exceptions import StoreUnavailableError, TokenNotRevocableError
from ..tokens import peek
from ..users import user_by_pk, user_with_identity
from .base import RevocationBackend
from .records import RevocationState, TokenRecord, identity_key
from .rotation import exchange_refresh_token
from .store import areaching_store, failing_open, get_backend, reaching_store, unavailable

__all__ = [
    "RevocationBackend",
    "RevocationState",
    "TokenRecord",
    "aexchange_refresh_token",
    "ais_token_revoked",
    "arecord_refresh_token",
    "arevoke_token",
    "arevoke_user_tokens",
    "await_until_issuable",
    "exchange_refresh_token",
    "get_backend",
    "identity_of",
    "is_token_revoked",
    "record_refresh_token",
    "revoke_token",
    "revoke_user_tokens",
    "wait_until_issuable",
]


def claims_of(token: str | dict[str, Any]) -> dict[str, Any]:
    """Return the claims of an encoded token (read without verification) or a claims dict.

    Revoke only tokens your code issued or verified.
    """
    return peek(token)[1] if isinstance(token, str) else token


def identity_of(user: Any) -> str:
    """Return the stored form of the identity a user's tokens carry.

    A user-model instance goes through the active manager's
    ``user_identity_loader``; any other value is taken as the identity itself.
    """
    if isinstance(user, get_user_model()):
        from ..manager import get_jwt_manager

        user = get_jwt_manager().callbacks.user_identity(user)
    return identity_key(user)


def user_of(identity: str, user: Any = None) -> Any:
    """Return the user to link a revocation to in the admin, when the backend keeps links."""
    if not get_backend().keeps_users:
        return None
    if isinstance(user, get_user_model()):
        return user
    return user_with_identity(identity)


def revocable(token: str | dict[str, Any]) -> TokenRecord:
    """Return the record of a token that can be revoked on its own.

    :raises TokenNotRevocableError: the token has no ``jti``.
    """
    record = TokenRecord.from_claims(claims_of(token))
    if record.jti is None:
        raise TokenNotRevocableError(
            gettext(
                "Token has no jti: it cannot be revoked on its own "
                "(logging out everywhere covers it)"
            )
        )
    return record


# Checks.


def is_token_revoked(claims: dict[str, Any]) -> bool:
    """Return whether the token with these claims is revoked (its ``jti``, its refresh
    family, or a logout everywhere of its identity)."""
    token, backend = TokenRecord.from_claims(claims), get_backend()
    try:
        return backend.is_revoked(token)
    except backend.unreachable as exc:
        return failing_open(unavailable(exc))


async def ais_token_revoked(claims: dict[str, Any]) -> bool:
    """The async twin of :func:`is_token_revoked`."""
    token, backend = TokenRecord.from_claims(claims), get_backend()
    try:
        return await backend.ais_revoked(token)
    except backend.unreachable as exc:
        return failing_open(unavailable(exc))


def user_and_revocation(pk: Any, claims: dict[str, Any]) -> tuple[Any, bool]:
    """Load the user with primary key ``pk`` and check the token's revocation, in one
    round trip where the backend can. Used by the default user lookup."""
    token = TokenRecord.from_claims(claims)
    try:
        return reaching_store(lambda: get_backend().user_and_revocation(pk, token))
    except StoreUnavailableError as exc:
        failing_open(exc)
        # Only the revocation check may fail open; the user must still load.
        return reaching_store(lambda: user_by_pk(pk)), False


# Revocations.


def revoke_token(token: str | dict[str, Any], reason: str = "") -> bool:
    """Revoke one token for as long as it could be presented; idempotent.

    :param token: the encoded token or its claims dict.
    :param reason: kept with the revocation and shown in the admin.
    :return: ``False`` when the token was already revoked.
    :raises TokenNotRevocableError: the token has no ``jti``.
    """
    record = revocable(token)
    user = user_of(record.identity)
    return reaching_store(lambda: get_backend().revoke(record, reason, user))


async def arevoke_token(token: str | dict[str, Any], reason: str = "") -> bool:
    """The async twin of :func:`revoke_token`."""
    record = revocable(token)
    user = await sync_to_async(user_of)(record.identity)
    return await areaching_store(lambda: get_backend().arevoke(record, reason, user))


def revoke_user_tokens(user: Any, reason: str = "") -> None:
    """Log out everywhere: revoke every token of ``user`` issued up to now.

    Access and refresh tokens alike, including those issued in this very
    second; the issuing step of a new login waits out that second
    (:func:`~django_jwt_ext.revocation.wait_until_issuable`).

    :param user: a user-model instance (its identity is what the manager's
        ``user_identity_loader`` makes of it), or the identity value itself.
    """
    identity = identity_of(user)
    now = datetime.now(timezone.utc)
    link = user_of(identity, user)
    reaching_store(lambda: get_backend().revoke_identity(identity, now, reason, link))


async def arevoke_user_tokens(user: Any, reason: str = "") -> None:
    """The async twin of :func:`revoke_user_tokens`."""
    identity = identity_of(user)
    now = datetime.now(timezone.utc)
    link = await sync_to_async(user_of)(identity, user)
    await areaching_store(lambda: get_backend().arevoke_identity(identity, now, reason, link))


# The issuing step: what code that hands out tokens records.


def record_refresh_token(token: str | dict[str, Any], user: Any = None) -> None:
    """Record an issued refresh token, starting a new family (a new login).

    The obtain endpoint calls it (the refresh endpoint records the successors
    it issues under rotation); call it from a hand-written login view after
    ``create_refresh_token``. It lets the admin list sessions and revoke
    them; rotation works for unrecorded tokens too (they are recorded when
    first exchanged).

    :param user: the user the token was issued to, linked in the admin.
    """
    session = new_session(token, user)
    if session is not None:
        reaching_store(lambda: get_backend().record_refresh_token(*session))


async def arecord_refresh_token(token: str | dict[str, Any], user: Any = None) -> None:
    """The async twin of :func:`record_refresh_token`."""
    session = new_session(token, user)
    if session is not None:
        await areaching_store(lambda: get_backend().arecord_refresh_token(*session))


def new_session(
    token: str | dict[str, Any], user: Any
) -> tuple[TokenRecord, uuid.UUID, Any] | None:
    """Return what recording ``token`` as a new family stores: its record, a new family
    and the user's primary key; ``None`` for a token without ``jti``, which nothing
    could ever find."""
    record = TokenRecord.from_claims(claims_of(token))
    if record.jti is None:
        return None
    user_id = user.pk if isinstance(user, get_user_model()) else None
    return record, uuid.uuid4(), user_id


def issuable_in(revoked_before: datetime | None) -> float:
    """Return how long to wait before a token issued now escapes a logout at
    ``revoked_before`` (tokens carry whole-second ``iat``)."""
    if revoked_before is None:
        return 0.0
    next_second = math.floor(revoked_before.timestamp()) + 1
    return max(0.0, next_second - time.time())


def wait_until_issuable(user: Any) -> None:
    """Wait out the rest of the second of a logout everywhere of ``user``, if any.

    Tokens carry ``iat`` in whole seconds, and a logout everywhere revokes
    every token of its own second; a token minted in that second would be
    refused at once. Call this before minting tokens for a new login (the
    obtain endpoint does); it waits once, less than a second plus any clock
    skew between the servers. It is a check: with ``JWT_REVOCATION_FAIL_OPEN``
    an unreachable store means no wait.
    """
    identity = identity_of(user)
    try:
        logout = reaching_store(lambda: get_backend().last_logout(identity))
    except StoreUnavailableError as exc:
        failing_open(exc)  # re-raises unless checks fail open
        logout = None
    delay = issuable_in(logout)
    if delay:
        time.sleep(delay)


async def await_until_issuable(user: Any) -> None:
    """The async twin of :func:`~django_jwt_ext.revocation.wait_until_issuable`."""
    identity = identity_of(user)
    try:
        logout = await areaching_store(lambda: get_backend().alast_logout(identity))
    except StoreUnavailableError as exc:
        failing_open(exc)  # re-raises unless checks fail open
        logout = None
    delay = issuable_in(logout)
    if delay:
        await asyncio.sleep(delay)


async def aexchange_refresh_token(
    jwt_header: dict[str, Any], jwt_data: dict[str, Any], successor: dict[str, Any]
) -> None:
    """The async twin of :func:`exchange_refresh_token`."""
    await sync_to_async(exchange_refresh_token)(jwt_header, jwt_data, successor)
