"""drf-spectacular documents JWTAuthentication as OpenAPI security schemes."""

import pytest
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_spectacular.validation import validate_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from django_jwt_ext.authentication import JWTAuthentication, JWTRefreshAuthentication
from django_jwt_ext.permissions import JWTRequired

BEARER = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


class CookieOnlyAuthentication(JWTAuthentication):
    locations = ["cookies"]


class JSONOnlyAuthentication(JWTAuthentication):
    locations = ["json"]


class AccessView(APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [JWTRequired]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response({})


class RefreshView(AccessView):
    authentication_classes = [JWTRefreshAuthentication]


class CookieOnlyView(AccessView):
    authentication_classes = [CookieOnlyAuthentication]


class OptionalView(AccessView):
    permission_classes = [AllowAny]


urlpatterns = [
    path("access", AccessView.as_view()),
    path("refresh", RefreshView.as_view()),
    path("cookie-only", CookieOnlyView.as_view()),
    path("optional", OptionalView.as_view()),
]


def generate():
    schema = SchemaGenerator(patterns=urlpatterns).get_schema(request=None, public=True)
    validate_schema(schema)
    return schema


def schemes(schema):
    return schema["components"]["securitySchemes"]


def security(schema, endpoint):
    return schema["paths"][f"/{endpoint}"]["get"]["security"]


def test_headers_give_the_bearer_scheme():
    schema = generate()
    assert schemes(schema)["jwtHeaderAuth"] == BEARER
    assert security(schema, "access") == [{"jwtHeaderAuth": []}]


def test_cookies_add_an_alternative_cookie_scheme(settings):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    schema = generate()
    assert schemes(schema)["jwtHeaderAuth"] == BEARER
    assert schemes(schema)["jwtCookieAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "access_token_cookie",
    }
    # Two requirement objects: either one suffices (OR), not both (AND).
    assert security(schema, "access") == [{"jwtHeaderAuth": []}, {"jwtCookieAuth": []}]


def test_schemes_follow_the_location_order(settings):
    settings.JWT_TOKEN_LOCATION = ["cookies", "query_string", "headers", "json"]
    schema = generate()
    assert security(schema, "access") == [
        {"jwtCookieAuth": []},
        {"jwtQueryAuth": []},
        {"jwtHeaderAuth": []},
    ]
    assert schemes(schema)["jwtQueryAuth"] == {"type": "apiKey", "in": "query", "name": "jwt"}


def test_custom_names_are_documented(settings):
    settings.JWT_TOKEN_LOCATION = ["cookies", "query_string"]
    settings.JWT_ACCESS_COOKIE_NAME = "my_access"
    settings.JWT_REFRESH_COOKIE_NAME = "my_refresh"
    settings.JWT_QUERY_STRING_NAME = "token"
    schema = generate()
    assert schemes(schema)["jwtCookieAuth"]["name"] == "my_access"
    assert schemes(schema)["jwtRefreshCookieAuth"]["name"] == "my_refresh"
    assert schemes(schema)["jwtQueryAuth"]["name"] == "token"


def test_refresh_authentication_documents_the_refresh_cookie(settings):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    schema = generate()
    assert schemes(schema)["jwtRefreshCookieAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "refresh_token_cookie",
    }
    assert schemes(schema)["jwtRefreshHeaderAuth"] == BEARER
    assert security(schema, "refresh") == [
        {"jwtRefreshHeaderAuth": []},
        {"jwtRefreshCookieAuth": []},
    ]


def test_subclass_locations_are_documented(settings):
    settings.JWT_TOKEN_LOCATION = ["headers"]
    schema = generate()
    assert security(schema, "cookie-only") == [{"jwtCookieAuth": []}]
    assert schemes(schema)["jwtCookieAuth"]["name"] == "access_token_cookie"


def test_optional_access_is_documented_as_optional():
    schema = generate()
    assert security(schema, "optional") == [{"jwtHeaderAuth": []}, {}]


def test_other_header_type_is_an_api_key_header(settings):
    settings.JWT_HEADER_TYPE = "JWT"
    scheme = schemes(generate())["jwtHeaderAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert '"JWT"' in scheme["description"]


def test_other_header_name_is_an_api_key_header(settings):
    settings.JWT_HEADER_NAME = "X-Api-Token"
    scheme = schemes(generate())["jwtHeaderAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"].lower()) == (
        "apiKey",
        "header",
        "x-api-token",
    )


def test_empty_header_type_is_not_documented_as_a_prefix(settings):
    settings.JWT_HEADER_TYPE = ""
    scheme = schemes(generate())["jwtHeaderAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    # The token is sent bare: there is no prefix to require.
    assert 'prefix ""' not in scheme.get("description", "")


def test_json_only_authentication_offers_no_scheme():
    from django_jwt_ext.schema import JWTAuthenticationScheme

    # A JSON body has no OpenAPI security scheme; the extension offers none.
    extension = JWTAuthenticationScheme(JSONOnlyAuthentication())
    assert (extension.name, extension.get_security_definition(None)) == ([], [])


@pytest.mark.django_db
@pytest.mark.urls("testproject.urls")
@pytest.mark.parametrize("locations", [["headers"], ["headers", "cookies"]])
def test_schema_endpoint_documents_the_drf_classes_flavour(settings, locations):
    settings.JWT_TOKEN_LOCATION = locations
    response = APIClient().get("/api/schema", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schemes(schema)["jwtHeaderAuth"] == BEARER

    protected = schema["paths"]["/flavours/drf-classes/protected"]
    refresh = schema["paths"]["/flavours/drf-classes/refresh"]
    if locations == ["headers"]:
        assert protected["get"]["security"] == [{"jwtHeaderAuth": []}]
        assert refresh["post"]["security"] == [{"jwtRefreshHeaderAuth": []}]
        assert "jwtRefreshCookieAuth" not in schemes(schema)
    else:
        assert protected["get"]["security"] == [{"jwtHeaderAuth": []}, {"jwtCookieAuth": []}]
        assert refresh["post"]["security"] == [
            {"jwtRefreshHeaderAuth": []},
            {"jwtRefreshCookieAuth": []},
        ]
        assert schemes(schema)["jwtCookieAuth"]["name"] == "access_token_cookie"
        assert schemes(schema)["jwtRefreshCookieAuth"]["name"] == "refresh_token_cookie"
    assert schema["paths"]["/flavours/drf-classes/query-only"]["get"]["security"] == [
        {"jwtQueryAuth": []}
    ]
    assert schema["paths"]["/flavours/drf-classes/json-or-cookies"]["get"]["security"] == [
        {"jwtCookieAuth": []}
    ]
