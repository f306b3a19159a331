from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import flavours, views

urlpatterns = [
    path("", views.index, name="index"),
    # The demo page's login and refresh: the tokens go into cookies only.
    path("demo/obtain", views.CookieObtainView.as_view(), name="demo-obtain"),
    path("demo/refresh", views.CookieRefreshView.as_view(), name="demo-refresh"),
    path("admin/", admin.site.urls),
    # literalinclude-start: urls
    path("auth/", include("django_jwt_ext.urls")),
    # literalinclude-end: urls
    path("api/whoami", views.whoami, name="whoami"),
    path("api/login", views.login, name="login"),
    path("api/protected", views.protected, name="protected"),
    path("api/refresh", views.refresh, name="refresh"),
    path("api/logout", views.logout, name="logout"),
    path("api/logout-everywhere", views.logout_everywhere, name="logout-everywhere"),
]

builders = [flavours.build]
if settings.HAS_DRF:
    from . import drf_flavours

    builders.append(drf_flavours.build)

for variant, requirements in flavours.VARIANTS.items():
    for build in builders:
        for flavour, view in build(**requirements).items():
            urlpatterns.append(path(f"flavours/{flavour}/{variant}", view))

if settings.HAS_NINJA:
    from .ninja_api import api, flavours_api

    urlpatterns += [path("ninja/", api.urls), path("flavours/", flavours_api.urls)]

if settings.HAS_SPECTACULAR:
    from drf_spectacular.views import SpectacularAPIView

    urlpatterns.append(path("api/schema", SpectacularAPIView.as_view(), name="schema"))
