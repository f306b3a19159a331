"""drf-spectacular extension: document JWTAuthentication as OpenAPI security schemes."""

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object

from .config import config

SCHEME_NAMES = {"headers": "HeaderAuth", "cookies": "CookieAuth", "query_string": "QueryAuth"}


class JWTAuthenticationScheme(OpenApiAuthenticationExtension):
    """One scheme per location the authentication class reads; any one of them suffices."""

    target_class = "django_jwt_ext.authentication.JWTAuthentication"
    match_subclasses = True

    @property
    def locations(self) -> list[str]:
        # A JSON body has no OpenAPI security scheme; it is documented by the request body.
        return [
            location
            for location in self.target.requirements().token_locations
            if location in SCHEME_NAMES
        ]

    @property
    def name(self) -> list[str]:  # type: ignore[override]
        # A refresh cookie has another name than the access cookie: another scheme.
        prefix = "jwtRefresh" if self.target.refresh else "jwt"
        return [prefix + SCHEME_NAMES[location] for location in self.locations]

    def get_security_requirement(self, auto_schema: Any) -> list[dict[str, list[Any]]]:
        return [{name: []} for name in self.name]

    def get_security_definition(self, auto_schema: Any) -> list[dict[str, Any]]:
        return [definition(location, self.target.refresh) for location in self.locations]


def definition(location: str, refresh: bool) -> dict[str, Any]:
    """Return the OpenAPI security scheme object for tokens in ``location``."""
    if location == "headers" and not config.header_type:
        return {
            "type": "apiKey",
            "in": "header",
            "name": config.header_name,
            "description": gettext("JWT sent bare, without a prefix"),
        }
    if location == "headers":
        return build_bearer_security_scheme_object(
            header_name=config.header_name,
            token_prefix=config.header_type,
            bearer_format="JWT",
        )
    if location == "cookies":
        name = config.refresh_cookie_name if refresh else config.access_cookie_name
        return {"type": "apiKey", "in": "cookie", "name": name}
    return {"type": "apiKey", "in": "query", "name": config.query_string_name}
