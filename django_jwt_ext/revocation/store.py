"""The configured backend, and what happens when it cannot be reached."""

import logging
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any, TypeVar

from django.core.signals import setting_changed
from django.utils.translation import gettext

from ..config import config, imported
from ..exceptions import ConfigurationError, StoreUnavailableError
from ..i18n import gettext_noop
from .base import RevocationBackend

logger = logging.getLogger("django_jwt_ext.revocation")
T = TypeVar("T")

UNAVAILABLE = gettext_noop("Token store unavailable")


@cache
def load_backend(path: str) -> RevocationBackend:
    backend_class = imported("JWT_REVOCATION_BACKEND", path)
    if not (isinstance(backend_class, type) and issubclass(backend_class, RevocationBackend)):
        raise ConfigurationError(
            gettext("JWT_REVOCATION_BACKEND must name a RevocationBackend subclass; got %(path)s.")
            % {"path": repr(path)}
        )
    return backend_class()


def get_backend() -> RevocationBackend:
    """Return the backend ``JWT_REVOCATION_BACKEND`` names (one instance per class)."""
    return load_backend(config.revocation_backend)


def forget_backends(**kwargs: Any) -> None:
    load_backend.cache_clear()


setting_changed.connect(forget_backends, dispatch_uid="django_jwt_ext.revocation")


def unreachable_errors() -> tuple[type[BaseException], ...]:
    """Return what the store raises when it cannot be reached."""
    return get_backend().unreachable


def unavailable(cause: BaseException) -> StoreUnavailableError:
    """Return the error of an unreachable store, caused by ``cause``."""
    error = StoreUnavailableError(gettext(UNAVAILABLE))
    error.__cause__ = cause
    return error


def reaching_store(call: Callable[[], T]) -> T:
    """Run a store operation; turn an unreachable store into ``StoreUnavailableError``."""
    try:
        return call()
    except unreachable_errors() as exc:
        raise unavailable(exc) from exc


async def areaching_store(call: Callable[[], Awaitable[T]]) -> T:
    """The async twin of :func:`reaching_store`."""
    try:
        return await call()
    except unreachable_errors() as exc:
        raise unavailable(exc) from exc


def failing_open(exc: StoreUnavailableError) -> bool:
    """Return ``False`` (not revoked) if ``JWT_REVOCATION_FAIL_OPEN`` lets checks pass,
    else re-raise ``exc``."""
    if not config.revocation_fail_open:
        raise exc
    logger.warning("Revocation store unreachable; failing open: %s", exc.__cause__)
    return False
