"""Revoke tokens and ask whether a token is revoked, through the configured backend.

``JWT_REVOCATION_BACKEND`` names the backend class, like Django's session
engines: :class:`~django_jwt_ext.revocation.db.DatabaseBackend` (default),
:class:`~django_jwt_ext.revocation.cache.CacheBackend` or
:class:`~django_jwt_ext.revocation.cached_db.CachedDatabaseBackend`.
"""

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from functools import cache
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from ..config import config
from ..exceptions import StoreUnavailableError
from ..tokens import peek
from ..users import first, user_with_pk, users_with_pk
from .base import RevocationBackend, TokenRecord, identity_key
from .db import UNREACHABLE_DATABASE

__all__ = [
    "RevocationBackend",
    "TokenRecord",
    "get_backend",
    "is_token_revoked",
    "revoke_token",
    "revoke_user_tokens",
]

logger = logging.getLogger("django_jwt_ext.revocation")
T = TypeVar("T")


@cache
def load_backend(path: str) -> RevocationBackend:
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"JWT_REVOCATION_BACKEND {path!r} cannot be imported: {exc}"
        ) from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, RevocationBackend)):
        raise ImproperlyConfigured(
            f"JWT_REVOCATION_BACKEND must name a RevocationBackend subclass; got {path!r}."
        )
    return backend_class()


def get_backend() -> RevocationBackend:
    """Return the backend ``JWT_REVOCATION_BACKEND`` names (one instance per class)."""
    return load_backend(config.revocation_backend)


def forget_backends(**kwargs: Any) -> None:
    load_backend.cache_clear()


setting_changed.connect(forget_backends, dispatch_uid="django_jwt_ext.revocation")


def reaching_store(call: Callable[[], T]) -> T:
    """Run a store operation; turn an unreachable store into ``StoreUnavailableError``.

    The database counts as part of the store whatever the backend: user
    lookups ride along some checks.
    """
    unreachable: tuple[type[BaseException], ...] = (
        *UNREACHABLE_DATABASE,
        *get_backend().unavailable_errors,
    )
    try:
        return call()
    except unreachable as exc:
        raise StoreUnavailableError("Token store unavailable") from exc


def failing_open(exc: StoreUnavailableError) -> None:
    """Re-raise ``exc`` unless ``JWT_REVOCATION_FAIL_OPEN`` lets checks pass."""
    if not config.revocation_fail_open:
        raise exc
    logger.warning("Revocation store unreachable; failing open: %s", exc.__cause__)


def record_of(token: str | dict[str, Any]) -> TokenRecord:
    """Return the record of an encoded token or a claims dict.

    An encoded token is read without verification: revoke only tokens your
    code issued or verified.
    """
    claims = peek(token)[1] if isinstance(token, str) else token
    return TokenRecord.from_claims(claims)


def user_of(identity: str) -> Any:
    """Return the user an identity designates, when the backend keeps that link."""
    if not identity or not get_backend().keeps_users:
        return None
    return user_with_pk(identity)


def is_token_revoked(claims: dict[str, Any]) -> bool:
    """Return whether the token with these claims is revoked (its ``jti``, its refresh
    family, or a logout everywhere of its identity)."""
    token = TokenRecord.from_claims(claims)
    try:
        return reaching_store(lambda: get_backend().is_revoked(token))
    except StoreUnavailableError as exc:
        failing_open(exc)
        return False


def revoke_token(token: str | dict[str, Any], reason: str = "") -> bool:
    """Revoke one token until it expires; idempotent.

    :param token: the encoded token or its claims dict.
    :param reason: kept with the revocation and shown in the admin.
    :return: ``False`` when the token was already revoked.
    """
    record = record_of(token)
    return reaching_store(lambda: get_backend().revoke(record, reason, user_of(record.identity)))


def revoke_user_tokens(user: Any, reason: str = "") -> None:
    """Log out everywhere: revoke every token of ``user`` issued up to now.

    Access and refresh tokens alike, including those issued in this very
    second; tokens issued afterwards are valid.

    :param user: a user-model instance (its identity is ``str(pk)``, as the
        default ``user_identity_loader`` makes it), or the identity value.
    """
    if isinstance(user, get_user_model()):
        identity, instance = str(user.pk), user
    else:
        identity, instance = identity_key(user), None
    now = datetime.now(timezone.utc)
    reaching_store(
        lambda: get_backend().revoke_identity(identity, now, reason, instance or user_of(identity))
    )


# Used by the manager and the pipeline, not part of the public API.


def record_refresh_token(claims: dict[str, Any], family: uuid.UUID, user_id: Any) -> None:
    token = TokenRecord.from_claims(claims)
    reaching_store(lambda: get_backend().record_refresh_token(token, family, user_id))


def refresh_lineage(claims: dict[str, Any]) -> tuple[uuid.UUID, Any] | None:
    """Return a refresh token's ``(family, user id)``; ``None`` if it was exchanged before."""
    token = TokenRecord.from_claims(claims)
    return reaching_store(lambda: get_backend().refresh_lineage(token))


def consume_refresh_token(claims: dict[str, Any], family: uuid.UUID) -> bool:
    """Mark a refresh token as exchanged; ``False`` if another request did (family revoked)."""
    token = TokenRecord.from_claims(claims)
    return reaching_store(lambda: get_backend().consume_refresh_token(token, family))


def user_and_revocation(pk: Any, claims: dict[str, Any]) -> tuple[Any, bool]:
    """Load the user with primary key ``pk`` and check the token's revocation, in one
    round trip where the backend can."""
    token = TokenRecord.from_claims(claims)
    try:
        return reaching_store(lambda: get_backend().user_and_revocation(pk, token))
    except StoreUnavailableError as exc:
        failing_open(exc)
        # Only the revocation check may fail open; the user must still load.
        return reaching_store(lambda: first(users_with_pk(pk))), False
