from django.contrib import admin
from django.urls import path

from . import flavours, views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/login", views.login, name="login"),
    path("api/protected", views.protected, name="protected"),
    path("api/refresh", views.refresh, name="refresh"),
]

for variant, requirements in flavours.VARIANTS.items():
    for flavour, view in flavours.build(**requirements).items():
        urlpatterns.append(path(f"flavours/{flavour}/{variant}", view))
