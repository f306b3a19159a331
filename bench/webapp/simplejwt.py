"""URLs of the server protected by simplejwt: its JWTAuthentication and IsAuthenticated."""

from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework_simplejwt.authentication import JWTAuthentication

from .views import Me


class SimpleJWTMe(Me):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]


urlpatterns = [path("api/me", SimpleJWTMe.as_view())]
