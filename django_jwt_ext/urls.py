"""``path("auth/", include("django_jwt_ext.urls"))``: obtain, refresh, logout and the JWKS."""

from django.urls import path

from .views import JWKSView, LogoutView, ObtainTokensView, RefreshTokensView

app_name = "django_jwt_ext"

obtain = ObtainTokensView.as_view()
refresh = RefreshTokensView.as_view()
logout = LogoutView.as_view()

# Each endpoint answers with and without the trailing slash: APPEND_SLASH
# cannot redirect a POST without losing its body (under DEBUG it raises), and
# API clients often leave the slash out. Both routes carry the name; reverse()
# picks the last route of a name, so it gives the canonical URL, with the slash.
urlpatterns = [
    path("obtain", obtain, name="obtain"),
    path("obtain/", obtain, name="obtain"),
    path("refresh", refresh, name="refresh"),
    path("refresh/", refresh, name="refresh"),
    path("logout", logout, name="logout"),
    path("logout/", logout, name="logout"),
    path("jwks.json", JWKSView.as_view(), name="jwks"),
]
