"""``path("auth/", include("django_jwt_ext.urls"))``: obtain, refresh, logout and the JWKS."""

from django.urls import path

from .views import JWKSView, LogoutView, ObtainTokensView, RefreshTokensView

app_name = "django_jwt_ext"

urlpatterns = [
    path("obtain/", ObtainTokensView.as_view(), name="obtain"),
    path("refresh/", RefreshTokensView.as_view(), name="refresh"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("jwks.json", JWKSView.as_view(), name="jwks"),
]
