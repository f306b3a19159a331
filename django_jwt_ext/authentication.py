"""Django REST framework authentication with the shared verification pipeline."""

from collections.abc import Sequence
from functools import cache
from typing import Any

from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from .defaults import WWW_AUTHENTICATE
from .drf_errors import api_exception
from .exceptions import JWTExtendedException
from .pipeline import Requirements, verify
from .token_user import TokenUser


class JWTAuthentication(BaseAuthentication):
    """Authenticate with an access token from ``JWT_TOKEN_LOCATION``.

    No token: returns ``None`` so other classes may try and permissions
    decide. An invalid token: the loader's error, through DRF's exception
    handling. ``request.user`` is the looked-up user (a :class:`TokenUser`
    when ``JWT_USER_LOOKUP = None``); ``request.auth`` is the claims dict.

    Subclass to change what is accepted, as ``jwt_required``'s arguments do::

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
        """Return what this class demands of a token (a token is optional here).

        Built once per class: DRF makes a new instance for every request.
        """
        return Requirements.of(
            cls.locations,  # type: ignore[arg-type]
            optional=True,
            refresh=cls.refresh,
            verify_type=cls.verify_type,
            skip_revocation_check=cls.skip_revocation_check,
        )

    def authenticate(self, request: Request) -> tuple[Any, dict[str, Any]] | None:
        try:
            verified = verify(request, self.requirements())
        except JWTExtendedException as exc:
            raise api_exception(exc) from exc
        if verified is None or verified.location is None:
            return None
        user = verified.user if verified.user_loaded else TokenUser(verified.claims)
        return user, verified.claims

    def authenticate_header(self, request: Request) -> str:
        return WWW_AUTHENTICATE


class JWTRefreshAuthentication(JWTAuthentication):
    """Authenticate with a refresh token: for refresh endpoints (``jwt_required(refresh=True)``)."""

    refresh = True
