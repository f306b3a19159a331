"""Django REST framework permissions with flask-jwt-extended's messages."""

from dataclasses import replace
from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .authentication import JWTAuthentication
from .drf_errors import drf_verify


def jwt_authenticator(request: Request) -> JWTAuthentication:
    """Return the request's JWT authentication class instance, or a default one."""
    for authenticator in request.authenticators or ():
        if isinstance(authenticator, JWTAuthentication):
            return authenticator
    return JWTAuthentication()


class JWTRequired(BasePermission):
    """Allow only requests carrying a valid JWT (``jwt_required()``).

    A request without one is refused with the location's message, e.g. 401
    ``Missing Authorization Header``, instead of DRF's generic one. A
    ``@jwt_required(optional=True)`` on the handler lets it through.
    """

    fresh = False

    def has_permission(self, request: Request, view: Any) -> bool:
        # The authentication class has usually verified the token already with
        # these requirements; the pipeline then answers from what it stored.
        requirements = jwt_authenticator(request).requirements_for(request)
        if self.fresh:
            requirements = replace(requirements, fresh=True)
        drf_verify(request, requirements)
        return True


class FreshJWTRequired(JWTRequired):
    """Allow only requests carrying a valid, fresh JWT (``jwt_required(fresh=True)``).

    Freshness is checked before revocation, as flask-jwt-extended does.
    """

    fresh = True
