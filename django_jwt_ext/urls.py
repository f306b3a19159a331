"""``path("auth/", include("django_jwt_ext.urls"))``: obtain, refresh and logout endpoints."""

from django.urls import path

from .views import LogoutView, ObtainTokensView, RefreshTokensView

app_name = "django_jwt_ext"

urlpatterns = [
    path("obtain/", ObtainTokensView.as_view(), name="obtain"),
    path("refresh/", RefreshTokensView.as_view(), name="refresh"),
    path("logout/", LogoutView.as_view(), name="logout"),
]
