"""The protected view of flavours.py in Django REST framework's flavours.

``drf-apiview``, ``drf-function`` and ``drf-viewset`` use ``@jwt_required``
with DRF's own classes switched off; ``drf-global-apiview`` and
``drf-global-function`` use ``@jwt_required`` under the project's global
``JWTAuthentication`` and ``JWTRequired`` (which must honour the decorator);
``drf-classes`` expresses the same requirements with the authentication and
permission classes instead.
"""

from rest_framework import viewsets
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from django_jwt_ext import jwt_required
from django_jwt_ext.authentication import JWTAuthentication
from django_jwt_ext.permissions import FreshJWTRequired, JWTRequired

from .flavours import describe

DRF_FLAVOURS = (
    "drf-apiview",
    "drf-function",
    "drf-viewset",
    "drf-global-apiview",
    "drf-global-function",
    "drf-classes",
)
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def authentication_for(requirements):
    """Return a JWTAuthentication subclass that reads tokens as ``jwt_required`` would."""
    return type(
        "ViewJWTAuthentication",
        (JWTAuthentication,),
        {
            "locations": requirements.get("locations"),
            "refresh": requirements.get("refresh", False),
            "verify_type": requirements.get("verify_type", True),
            "skip_revocation_check": requirements.get("skip_revocation_check", False),
        },
    )


def permission_for(requirements):
    if requirements.get("optional"):
        return AllowAny
    return FreshJWTRequired if requirements.get("fresh") else JWTRequired


def build(**requirements):
    """Return the protected view in every DRF flavour, keyed by flavour name."""
    guard = jwt_required(**requirements)

    class DecoratedAPIView(APIView):
        authentication_classes = []
        permission_classes = [AllowAny]

        @guard
        def get(self, request):
            return describe(request)

        post = put = patch = delete = get

    @api_view(METHODS)
    @authentication_classes([])
    @permission_classes([AllowAny])
    @guard
    def decorated_function(request):
        return describe(request)

    class DecoratedViewSet(viewsets.ViewSet):
        authentication_classes = []
        permission_classes = [AllowAny]

        @guard
        def list(self, request):
            return describe(request)

    class GlobalAPIView(APIView):
        @guard
        def get(self, request):
            return describe(request)

        post = put = patch = delete = get

    @api_view(METHODS)
    @guard
    def global_function(request):
        return describe(request)

    class ClassesAPIView(APIView):
        authentication_classes = [authentication_for(requirements)]
        permission_classes = [permission_for(requirements)]

        def get(self, request):
            return describe(request)

        post = put = patch = delete = get

    actions = {method.lower(): "list" for method in METHODS if method != "OPTIONS"}
    return {
        "drf-apiview": DecoratedAPIView.as_view(),
        "drf-function": decorated_function,
        "drf-viewset": DecoratedViewSet.as_view(actions),
        "drf-global-apiview": GlobalAPIView.as_view(),
        "drf-global-function": global_function,
        "drf-classes": ClassesAPIView.as_view(),
    }
