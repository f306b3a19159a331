"""Django REST framework authentication with the shared verification pipeline."""

from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from .decorators import REQUIREMENTS_ATTR
from .defaults import WWW_AUTHENTICATE
from .drf_errors import drf_verify
from .pipeline import Requirements


def handler_requirements(request: Request) -> Requirements | None:
    """Return the requirements of a ``@jwt_required(...)`` on the handler serving ``request``."""
    view = (getattr(request, "parser_context", None) or {}).get("view")
    handler = getattr(view, (request.method or "").lower(), None)
    for candidate in (handler, *wrapped_by(handler)):
        requirements = getattr(candidate, REQUIREMENTS_ATTR, None)
        if isinstance(requirements, Requirements):
            return requirements
    return None


def wrapped_by(handler: Any) -> list[Any]:
    """Return the functions a handler closes over.

    ``@api_view`` turns the decorated function into a method of a view class
    that calls it; the ``@jwt_required`` wrapper is the function it calls.
    """
    function = getattr(handler, "__func__", handler)
    contents = []
    for cell in getattr(function, "__closure__", None) or ():
        try:
            contents.append(cell.cell_contents)
        except ValueError:  # An empty cell.
            continue
    return [content for content in contents if callable(content)]


def wants_fresh(request: Request) -> bool:
    """Tell whether the view's permission classes include :class:`FreshJWTRequired`."""
    from .permissions import FreshJWTRequired

    view = (getattr(request, "parser_context", None) or {}).get("view")
    classes = getattr(view, "permission_classes", ()) or ()
    return any(isinstance(cls, type) and issubclass(cls, FreshJWTRequired) for cls in classes)


class JWTAuthentication(BaseAuthentication):
    """Authenticate with an access token from ``JWT_TOKEN_LOCATION``.

    No token: returns ``None`` so other classes may try and permissions
    decide. An invalid token: the loader's error, through DRF's exception
    handling. ``request.user`` is the looked-up user (a
    :class:`~django_jwt_ext.token_user.TokenUser` when
    ``JWT_USER_LOOKUP = None``); ``request.auth`` is the claims dict.

    A ``@jwt_required(...)`` on the handler decides what is accepted (a
    refresh token, a skipped revocation check...), and
    :class:`~django_jwt_ext.permissions.FreshJWTRequired` among the view's
    permission classes requires a fresh token, checked in flask-jwt-extended's
    order (before revocation). Otherwise the class attributes decide;
    subclass to change them, as ``jwt_required``'s arguments do::

        class CookieJWTAuthentication(JWTAuthentication):
            locations = ["cookies"]
    """

    locations: str | Sequence[str] | None = None
    refresh = False
    verify_type = True
    skip_revocation_check = False

    @classmethod
    @cache
    def requirements(cls) -> Requirements:
        """Return what this class demands of a token when the handler says nothing.

        Built once per class: DRF makes a new instance for every request.
        """
        return Requirements.of(
            cls.locations,  # type: ignore[arg-type]
            refresh=cls.refresh,
            verify_type=cls.verify_type,
            skip_revocation_check=cls.skip_revocation_check,
        )

    def requirements_for(self, request: Request) -> Requirements:
        """Return what the view serving ``request`` demands of a token.

        ``optional`` is the handler's (``False`` without a decorator); the
        authentication itself never refuses a request without a token.
        """
        requirements = handler_requirements(request) or self.requirements()
        if wants_fresh(request) and not requirements.fresh:
            requirements = replace(requirements, fresh=True)
        return requirements

    def authenticate(self, request: Request) -> tuple[Any, dict[str, Any]] | None:
        verified = drf_verify(request, replace(self.requirements_for(request), optional=True))
        if verified is None or verified.location is None:
            return None
        return verified.user, verified.claims

    def authenticate_header(self, request: Request) -> str:
        return WWW_AUTHENTICATE


class JWTRefreshAuthentication(JWTAuthentication):
    """Authenticate with a refresh token: for refresh endpoints (``jwt_required(refresh=True)``)."""

    refresh = True
