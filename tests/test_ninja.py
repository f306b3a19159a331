"""Django Ninja: JWTAuth on an API, a router and an operation, sync and async.

Every behaviour of the error table also runs on the Ninja flavours
(``ninja-sync``, ``ninja-async``) through the ``flavour`` fixture; this module
covers what is Ninja's own: ``request.auth``, where ``auth=`` goes, the
exception handler, and the OpenAPI schema.
"""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.http import JsonResponse
from django.test import AsyncClient
from django.urls import path
from ninja import NinjaAPI, Router

from django_jwt_ext import create_access_token, create_refresh_token, get_jwt_identity
from django_jwt_ext.exceptions import ConfigurationError
from django_jwt_ext.ninja import JWTAuth, JWTAuthError, add_error_handler
from tests.helpers import CHALLENGE, assert_refused

pytestmark = pytest.mark.django_db


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


# testproject's demo API: auth on the API, a router and single operations.


@pytest.mark.parametrize("path", ["/ninja/whoami", "/ninja/async/whoami"])
def test_api_level_auth_gives_the_user_as_request_auth(client, user, access_token, path):
    response = client.get(path, **bearer(access_token))
    assert response.status_code == 200
    assert response.json() == {"user": "alice", "identity": str(user.pk)}


@pytest.mark.parametrize("path", ["/ninja/whoami", "/ninja/async/whoami"])
def test_api_level_auth_under_asgi(user, access_token, path):
    response = async_to_sync(AsyncClient().get)(
        path, headers={"Authorization": f"Bearer {access_token}"}
    )
    assert response.status_code == 200
    assert response.json()["user"] == "alice"
    assert_refused(async_to_sync(AsyncClient().get)(path), 401, "Missing Authorization Header")


@pytest.mark.parametrize("path", ["/ninja/whoami", "/ninja/async/whoami"])
def test_stateless_mode_gives_the_token_user(client, settings, path):
    settings.JWT_USER_LOOKUP = None
    response = client.get(path, **bearer(create_access_token("42")))
    assert response.json() == {"user": "42", "identity": "42"}


def test_operation_level_auth_overrides_the_apis(client, user):
    response = client.post("/ninja/fresh", **bearer(create_access_token(user)))
    assert_refused(response, 401, "Fresh token required")
    response = client.post("/ninja/fresh", **bearer(create_access_token(user, fresh=True)))
    assert response.json() == {"fresh": True}


def test_async_operation_for_refresh_tokens(client, user, access_token):
    assert_refused(
        client.post("/ninja/refresh", **bearer(access_token)),
        422,
        "Only refresh tokens are allowed",
    )
    response = client.post("/ninja/refresh", **bearer(create_refresh_token(user)))
    assert response.json() == {"type": "refresh"}


def test_router_level_optional_auth(client, access_token):
    assert client.get("/ninja/public/hello").json() == {"authenticated": False}
    response = client.get("/ninja/public/hello", **bearer(access_token))
    assert response.json() == {"authenticated": True}
    # Optional, not lenient: a bad token is still refused.
    assert_refused(
        client.get("/ninja/public/hello", **bearer("not-a-jwt")), 422, "Not enough segments"
    )


# Refusals: the loader's response with the handler, Ninja's own without it.

bare_api = NinjaAPI(auth=JWTAuth(), urls_namespace="bare", docs_url=None)


@bare_api.get("/sync")
def bare_sync(request):
    return {"identity": get_jwt_identity(request)}


@bare_api.get("/async")
async def bare_async(request):
    return {"identity": get_jwt_identity(request)}


handled_api = NinjaAPI(urls_namespace="handled", docs_url=None)
add_error_handler(handled_api)
handled = Router()


@handled.get("/sync", auth=JWTAuth())
def handled_sync(request):
    return {"identity": get_jwt_identity(request)}


@handled.get("/async", auth=JWTAuth())
async def handled_async(request):
    return {"identity": get_jwt_identity(request)}


handled_api.add_router("/", handled)

urlpatterns = [path("bare/", bare_api.urls), path("handled/", handled_api.urls)]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_custom_loader_response_is_returned_exactly(client, manager, user, flavour):
    @manager.expired_token_loader
    def expired(jwt_header, jwt_data):
        response = JsonResponse({"error": "token_expired", "sub": jwt_data["sub"]}, status=419)
        response["X-Reason"] = "expired"
        response.set_cookie("expired", "yes")
        return response

    token = create_access_token(user, expires_delta=timedelta(seconds=-1))
    response = client.get(f"/handled/{flavour}", **bearer(token))
    assert response.status_code == 419
    assert response.json() == {"error": "token_expired", "sub": str(user.pk)}
    assert response["X-Reason"] == "expired"
    assert response.cookies["expired"].value == "yes"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_without_the_handler_ninja_answers_with_the_same_status(client, user, flavour):
    response = client.get(f"/bare/{flavour}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Missing Authorization Header"}
    token = create_access_token(user, expires_delta=timedelta(seconds=-1))
    response = client.get(f"/bare/{flavour}", **bearer(token))
    assert (response.status_code, response.json()) == (401, {"detail": "Signature has expired"})
    response = client.get(f"/bare/{flavour}", **bearer(create_access_token(user)))
    assert response.json() == {"identity": str(user.pk)}


def test_the_refusal_carries_the_error_and_the_response(rf):
    request = rf.get("/")
    with pytest.raises(JWTAuthError) as refused:
        JWTAuth()(request)
    assert refused.value.status_code == 401
    assert str(refused.value) == "Missing Authorization Header"
    assert refused.value.response["WWW-Authenticate"] == CHALLENGE
    assert type(refused.value.error).__name__ == "NoAuthorizationError"


def test_unknown_location_names_make_every_request_a_server_error(rf):
    """As @jwt_required does (and flask-jwt-extended): a programming error, named."""
    auth = JWTAuth(locations="header")
    with pytest.raises(ConfigurationError, match=r"unknown locations \['header'\]"):
        auth.authenticate(rf.get("/", HTTP_AUTHORIZATION="Bearer x"))


# The OpenAPI schema documents the bearer scheme.


def test_openapi_schema_shows_the_bearer_scheme(client):
    schema = client.get("/ninja/openapi.json").json()
    assert schema["components"]["securitySchemes"] == {
        "JWTAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    operations = schema["paths"]
    assert operations["/ninja/whoami"]["get"]["security"] == [{"JWTAuth": []}]
    assert operations["/ninja/fresh"]["post"]["security"] == [{"JWTAuth": []}]
    assert operations["/ninja/public/hello"]["get"]["security"] == [{"JWTAuth": []}]
