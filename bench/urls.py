"""Endpoints the query counts of P4 go through (Django test client, full middleware)."""

from django.http import JsonResponse
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import (
    JWTAuthentication as SimpleJWTAuthentication,
)
from rest_framework_simplejwt.views import TokenRefreshView

from django_jwt_ext import get_jwt_identity, jwt_required
from django_jwt_ext.authentication import JWTAuthentication
from django_jwt_ext.permissions import JWTRequired


@jwt_required()
def protected(request):
    return JsonResponse({"identity": get_jwt_identity(request)})


class OursDRFProtected(APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [JWTRequired]

    def get(self, request):
        return Response({"id": request.user.pk})


class SimpleJWTProtected(APIView):
    authentication_classes = [SimpleJWTAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"id": request.user.pk})


urlpatterns = [
    path("auth/", include("django_jwt_ext.urls")),
    path("ours/protected", protected),
    path("ours/drf-protected", OursDRFProtected.as_view()),
    path("simplejwt/protected", SimpleJWTProtected.as_view()),
    path("simplejwt/refresh", TokenRefreshView.as_view()),
]
