"""Django Ninja authentication with the shared verification pipeline.

Install the ``ninja`` extra. Refusals become the loaders' responses once the
API knows :class:`JWTAuthError` (:func:`add_error_handler`)::

    api = NinjaAPI(auth=JWTAuth())
    add_error_handler(api)
"""

import asyncio
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from .exceptions import JWTExtendedException
from .manager import get_jwt_manager
from .middleware import django_csrf_applies
from .pipeline import Requirements, VerifiedJWT, averify, verify
from .reasons import reason


class JWTAuthError(HttpError):
    """A refused token, carrying the loader's response.

    An API whose handler is :func:`error_response` answers with that
    response exactly; without it, Ninja's handler of ``HttpError`` answers
    with the same status and ``{"detail": message}``.
    """

    def __init__(self, error: JWTExtendedException, response: HttpResponse):
        super().__init__(response.status_code, reason(error))
        self.error = error
        self.response = response


def error_response(request: HttpRequest, exc: Any) -> HttpResponse:
    """Answer a refused token (a :class:`JWTAuthError`) with the loader's response: the
    Ninja exception handler :func:`add_error_handler` registers."""
    return exc.response


def add_error_handler(api: NinjaAPI) -> None:
    """Make ``api`` answer refused tokens exactly as ``@jwt_required`` views do."""
    api.add_exception_handler(JWTAuthError, error_response)


def refusal(error: JWTExtendedException) -> JWTAuthError:
    return JWTAuthError(error, get_jwt_manager().error_response(error))


def user_of(request: HttpRequest, verified: VerifiedJWT | None, requirements: Requirements) -> Any:
    """Return the token's user, or an anonymous user when none was presented (optional).

    Ninja exempts its views from Django's CSRF check and leaves it to the
    auth classes. The CSRF rule of :func:`~django_jwt_ext.middleware.django_csrf_applies`
    holds here too: a request without a JWT to an optional operation that
    carries the session cookie keeps Django's check, with Ninja's refusal.
    """
    if verified is None or verified.location is None:
        if (
            not getattr(request, "_ninja_csrf_exempt", False)
            and django_csrf_applies(request, requirements)
            and check_csrf(request) is not None
        ):
            raise HttpError(403, gettext("CSRF check Failed"))
        return AnonymousUser()
    return verified.user


def on_event_loop() -> bool:
    """Tell whether the caller runs on an event loop (an ``async def`` operation)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class JWTAuth(AuthBase):
    """Authenticate Ninja operations with a JWT: ``auth=JWTAuth()`` on an API,
    a router or an operation, sync or async.

    ``request.auth`` is the token's user (a
    :class:`~django_jwt_ext.token_user.TokenUser` when ``JWT_USER_LOOKUP =
    None``), or ``AnonymousUser`` when ``optional`` and no token came. The
    helpers (``get_jwt(request)``...) read the token as in any view. A
    refused token raises :class:`JWTAuthError`.

    :param optional: a request without any token passes.
    :param fresh: require a fresh token.
    :param refresh: require a refresh token instead of an access token.
    :param locations: where to look (a name or a list); default ``JWT_TOKEN_LOCATION``.
    :param verify_type: check the token type against ``refresh``.
    :param skip_revocation_check: do not ask the ``token_in_blocklist_loader``.
    """

    # The OpenAPI security scheme (Ninja names it after the class).
    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_bearerFormat = "JWT"

    def __init__(
        self,
        optional: bool = False,
        fresh: bool = False,
        refresh: bool = False,
        locations: str | Sequence[str] | None = None,
        verify_type: bool = True,
        skip_revocation_check: bool = False,
    ):
        self.requirements = Requirements.of(
            locations,  # type: ignore[arg-type]
            optional=optional,
            fresh=fresh,
            refresh=refresh,
            verify_type=verify_type,
            skip_revocation_check=skip_revocation_check,
        )
        super().__init__()
        # Ninja awaits what an async auth returns in async operations, and
        # takes it as is in sync ones: __call__ answers each in its own way.
        self.is_async = True

    def __call__(self, request: HttpRequest) -> Any:
        if on_event_loop():
            return self.aauthenticate(request)
        return self.authenticate(request)

    def authenticate(self, request: HttpRequest) -> Any:
        """Verify the request's token; return its user.

        :raises JWTAuthError: the token is refused.
        """
        try:
            return user_of(request, verify(request, self.requirements), self.requirements)
        except JWTExtendedException as exc:
            raise refusal(exc) from exc

    async def aauthenticate(self, request: HttpRequest) -> Any:
        """The async twin of :meth:`authenticate`."""
        try:
            return user_of(request, await averify(request, self.requirements), self.requirements)
        except JWTExtendedException as exc:
            raise refusal(exc) from exc
