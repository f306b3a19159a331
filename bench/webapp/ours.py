"""URLs of the server protected by this app: JWTAuthentication and JWTRequired."""

from django.urls import path

from django_jwt_ext.authentication import JWTAuthentication
from django_jwt_ext.permissions import JWTRequired

from .views import Me


class OursMe(Me):
    authentication_classes = [JWTAuthentication]
    permission_classes = [JWTRequired]


urlpatterns = [path("api/me", OursMe.as_view())]
