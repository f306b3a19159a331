"""Middleware: errors and CSRF for JWT requests (JWTMiddleware), implicit cookie refresh."""

import time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

from .config import config
from .cookies import set_access_cookies
from .csrf import needs_double_submit
from .decorators import REQUIREMENTS_ATTR
from .exceptions import JWTExtendedException, NoAuthorizationError
from .locations import underlying
from .manager import get_jwt_manager
from .pipeline import VERIFIED_ATTR, Requirements, find_token
from .token_api import create_access_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def requirements_of(view: Any, method: str) -> Requirements | None:
    """Return what the view that handles ``method`` demands, ``None`` if unprotected."""
    requirements = getattr(view, REQUIREMENTS_ATTR, None)
    if requirements is None and hasattr(view, "view_class"):
        handler = getattr(view.view_class, method.lower(), None)
        requirements = getattr(handler, REQUIREMENTS_ATTR, None)
    return requirements


class JWTMiddleware(MiddlewareMixin):
    """Put this before ``CsrfViewMiddleware``.

    * A protected view whose request carries its JWT is exempt from Django's
      CSRF check: a token in a header, the query string or a JSON body is the
      credential itself, and a token in a cookie is guarded by the
      double-submit check of the pipeline instead. A request without a token,
      or with a cookie the double submit does not cover, keeps Django's CSRF
      protection.
    * Errors of :func:`~django_jwt_ext.verify_jwt_in_request` called inside a
      view become the same responses ``@jwt_required`` gives.
    """

    def process_view(
        self, request: HttpRequest, view: Any, view_args: Any, view_kwargs: Any
    ) -> None:
        if request.method in SAFE_METHODS or getattr(view, "csrf_exempt", False):
            return
        requirements = requirements_of(view, request.method or "")
        if requirements is None:
            return
        try:
            found = find_token(request, requirements)
        except NoAuthorizationError:
            return  # No JWT: Django's CSRF check applies as usual.
        except JWTExtendedException:
            pass  # A JWT that will be refused: the view answers, not CSRF.
        else:
            if found.location == "cookies" and not needs_double_submit(request):
                # A cookie the double submit does not guard (JWT_COOKIE_CSRF_PROTECT
                # off, or a method outside JWT_CSRF_METHODS): keep Django's check.
                return
        # The flag CsrfViewMiddleware sets once it has accepted a request.
        request.csrf_processing_done = True  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, JWTExtendedException):
            return get_jwt_manager().error_response(exception)
        return None


class ImplicitRefreshMiddleware(MiddlewareMixin):
    """Replace an access cookie that is about to expire, on any response to it.

    A request verified with an access token from a cookie that expires within
    ``JWT_IMPLICIT_REFRESH_WINDOW`` gets a new (non-fresh) access cookie, so
    an active browser session never sees its token expire. Responses that
    set or unset the cookie themselves, and tokens the view revoked, get none.
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
        manager = get_jwt_manager()
        if manager.callbacks.token_in_blocklist(verified.header, claims):
            return response  # Revoked by the view (a logout everywhere): nothing to renew.
        identity = claims.get(config.identity_claim_key)
        set_access_cookies(response, create_access_token(identity, fresh=False))
        return response
