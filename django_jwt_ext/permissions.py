"""Django REST framework permissions with flask-jwt-extended's messages."""

from dataclasses import replace
from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .authentication import JWTAuthentication
from .config import config
from .context import verified_jwt
from .drf_errors import api_exception
from .exceptions import JWTExtendedException
from .pipeline import check_fresh, verify


def jwt_authenticator(request: Request) -> JWTAuthentication:
    """Return the request's JWT authentication class instance, or a default one."""
    for authenticator in request.authenticators or ():
        if isinstance(authenticator, JWTAuthentication):
            return authenticator
    return JWTAuthentication()


class JWTRequired(BasePermission):
    """Allow only requests carrying a valid JWT (``jwt_required()``).

    A request without one is refused with the location's message, e.g. 401
    ``Missing Authorization Header``, instead of DRF's generic one.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.successful_authenticator, JWTAuthentication):
            return True
        # Another class authenticated the request, or none did: the JWT must
        # still verify, and a missing one is reported in flask's words.
        requirements = replace(jwt_authenticator(request).requirements(), optional=False)
        try:
            verify(request, requirements)
        except JWTExtendedException as exc:
            raise api_exception(exc) from exc
        return True


class FreshJWTRequired(JWTRequired):
    """Allow only requests carrying a valid, fresh JWT (``jwt_required(fresh=True)``)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        super().has_permission(request, view)
        if request.method in config.exempt_methods:
            return True
        verified = verified_jwt(request)
        try:
            check_fresh(verified.header, verified.claims)
        except JWTExtendedException as exc:
            raise api_exception(exc) from exc
        return True
