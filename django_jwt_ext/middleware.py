"""Middleware: errors and the CSRF rule for JWT views (JWTMiddleware), implicit cookie refresh."""

import logging
import time
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

from .config import config
from .cookies import set_access_cookies
from .decorators import view_requirements
from .exceptions import JWTExtendedException, NoAuthorizationError
from .locations import underlying
from .manager import get_jwt_manager
from .pipeline import VERIFIED_ATTR, Requirements, find_token
from .token_api import issue_successor

logger = logging.getLogger("django_jwt_ext.middleware")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def django_csrf_applies(request: HttpRequest, requirements: Requirements) -> bool:
    """The CSRF rule, in one place: tell whether Django's CSRF check guards this request
    to a JWT-protected view.

    Django's check protects the ambient credential it was made for, the
    session cookie; the JWT settings govern JWTs:

    * a request presenting a JWT is never refused by Django's check: a token
      in a header, the query string or a JSON body is not ambient, and a
      token in a cookie is guarded by the double submit exactly as
      ``JWT_COOKIE_CSRF_PROTECT``, ``JWT_CSRF_METHODS`` and
      ``JWT_CSRF_CHECK_FORM`` say (as in flask-jwt-extended);
    * a request without a JWT to a view that requires one gets the JWT's 401,
      never Django's 403 page;
    * only a request without a JWT, to an optional view, that carries the
      session cookie keeps Django's check: it may act as the session's user.

    Whenever a JWT is verified, ``request.user`` is the token's user (see
    ``django_jwt_ext.pipeline.remember``), so a waived check never lets a
    request act as the session's user on the strength of someone's token.
    """
    try:
        find_token(request, requirements)
    except NoAuthorizationError:
        return requirements.optional and settings.SESSION_COOKIE_NAME in request.COOKIES
    except JWTExtendedException:
        return False  # A token that will be refused: the view answers.
    return False


def apply_csrf_rule(request: HttpRequest, view: Any) -> None:
    """Let a request to a view this app protects past ``CsrfViewMiddleware`` when
    :func:`django_csrf_applies` says Django's check does not guard it."""
    if request.method in SAFE_METHODS or getattr(view, "csrf_exempt", False):
        return
    requirements = view_requirements(view, request.method or "")
    if requirements is None:
        return
    if not django_csrf_applies(request, requirements):
        # The flag CsrfViewMiddleware sets once it has accepted a request.
        request.csrf_processing_done = True  # type: ignore[attr-defined]


class JWTMiddleware(MiddlewareMixin):
    """Put this before ``CsrfViewMiddleware``.

    * It applies the CSRF rule of
      :func:`~django_jwt_ext.middleware.django_csrf_applies` to the views
      ``@jwt_required`` or ``JWTRequiredMixin`` protects.
    * Errors of :func:`~django_jwt_ext.verify_jwt_in_request` called inside a
      view become the same responses ``@jwt_required`` gives.

    Under ASGI it runs on the event loop (it does no I/O).
    """

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        if iscoroutinefunction(get_response):
            # Django would run a plain process_view in a thread on every request.
            self.process_view = self.aprocess_view  # type: ignore[method-assign,assignment]

    def process_view(
        self, request: HttpRequest, view: Any, view_args: Any, view_kwargs: Any
    ) -> None:
        apply_csrf_rule(request, view)

    async def aprocess_view(
        self, request: HttpRequest, view: Any, view_args: Any, view_kwargs: Any
    ) -> None:
        # Not self.process_view: under ASGI that attribute is this very method.
        apply_csrf_rule(request, view)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, JWTExtendedException):
            return get_jwt_manager().error_response(exception)
        return None


class ImplicitRefreshMiddleware(MiddlewareMixin):
    """Replace an access cookie that is about to expire, on any response to it.

    A request verified with an access token from a cookie that expires within
    ``JWT_IMPLICIT_REFRESH_WINDOW`` gets a new (non-fresh) access cookie, so
    an active browser session never sees its token expire. It carries the
    token's own claims (:func:`~django_jwt_ext.token_api.issue_successor`) and
    is issued to the request's user when a user lookup is configured.
    Responses that set or unset the cookie themselves, and tokens the view
    revoked, get none. A renewal that fails (the store unreachable...) is
    skipped and logged: the view's response is never turned into an error.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        verified = getattr(underlying(request), VERIFIED_ATTR, None)
        if verified is None or verified.location != "cookies":
            return response
        claims = verified.claims
        expires = claims.get("exp")
        if claims.get("type") != "access" or type(expires) not in (int, float):
            return response
        if expires - time.time() > config.implicit_refresh_window:
            return response
        if config.access_cookie_name in response.cookies:
            return response  # The view set or unset the cookie itself (login, logout).
        try:
            self.renew(response, verified)
        except Exception:
            logger.exception("Implicit refresh of the access cookie failed; response left as is")
        return response

    def renew(self, response: HttpResponse, verified: Any) -> None:
        manager = get_jwt_manager()
        checked = config.checks_revocation(verified.claims["type"])
        if checked and manager.callbacks.token_in_blocklist(verified.header, verified.claims):
            return  # Revoked by the view (a logout everywhere): nothing to renew.
        token, _ = issue_successor(verified.identity, "access", verified.claims)
        set_access_cookies(response, token)
