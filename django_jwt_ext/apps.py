from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class DjangoJWTExtConfig(AppConfig):
    name = "django_jwt_ext"
    verbose_name = _("JWT tokens")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

        if apps.is_installed("drf_spectacular"):
            from . import schema  # noqa: F401  (registers the OpenAPI extension)
