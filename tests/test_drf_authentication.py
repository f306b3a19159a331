"""Django REST framework: the 401 challenge, request.user / request.auth, and no token.

Uses the views of tests/test_drf.py.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from django_jwt_ext import create_access_token, decode_token
from django_jwt_ext.authentication import JWTAuthentication, JWTRefreshAuthentication
from django_jwt_ext.drf_errors import JWTAPIException
from django_jwt_ext.token_user import TokenUser
from tests.helpers import call, flavour_path
from tests.test_drf import BAD_HEADER, CHALLENGE, MISSING_HEADER, PROTECTED, assert_refused

pytestmark = [pytest.mark.urls("tests.test_drf"), pytest.mark.django_db]


@pytest.fixture
def client():
    return APIClient()


# 401 challenge; 401 is never turned into 403.

UNAUTHORIZED_KINDS = ["missing", "expired", "revoked", "unknown-user", "csrf"]


def unauthorized_request(kind, client, settings, manager, user):
    """Prepare a request refused with 401 for ``kind``; return the call's arguments."""
    token = create_access_token(user)
    if kind == "missing":
        return {"token": None}
    if kind == "expired":
        return {"token": create_access_token(user, expires_delta=timedelta(seconds=-5))}
    if kind == "revoked":
        manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: True)
        return {"token": token}
    if kind == "unknown-user":
        return {"token": create_access_token("424242")}
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    return {"token": token, "location": "cookies", "method": "post"}


@pytest.mark.parametrize("kind", UNAUTHORIZED_KINDS)
@pytest.mark.parametrize("path", PROTECTED)
def test_401_carries_the_bearer_challenge(client, settings, manager, user, path, kind):
    response = call(client, path, **unauthorized_request(kind, client, settings, manager, user))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CHALLENGE
    assert "msg" in response.json()


@pytest.mark.parametrize("kind", UNAUTHORIZED_KINDS)
def test_session_authentication_first_does_not_turn_401_into_403(
    client, settings, manager, user, kind
):
    response = call(
        client, "/t/session-first", **unauthorized_request(kind, client, settings, manager, user)
    )
    assert (response.status_code, response["WWW-Authenticate"]) == (401, CHALLENGE)
    assert set(response.json()) == {"msg"}


def test_session_authentication_first_still_needs_a_jwt(client, user):
    client.force_login(user)
    assert_refused(client.get("/t/session-first"), 401, MISSING_HEADER)


def test_session_authentication_first_with_a_jwt_passes(client, user, access_token):
    response = call(client, "/t/session-first", access_token)
    assert response.status_code == 200
    assert response.json()["auth"]["sub"] == str(user.pk)


def test_drf_is_authenticated_gets_the_challenge_too(client):
    # DRF's own permission reports its own message; JWTAuthentication's
    # challenge keeps the status at 401.
    response = client.get("/t/drf-is-authenticated")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == CHALLENGE


def test_authenticate_header_is_the_bearer_challenge():
    request = Request(APIRequestFactory().get("/"))
    assert JWTAuthentication().authenticate_header(request) == CHALLENGE
    assert JWTRefreshAuthentication().authenticate_header(request) == CHALLENGE


def test_422_and_400_carry_no_challenge(client, manager, access_token):
    assert not client.get("/t/jwt", HTTP_AUTHORIZATION="Bearer a b").has_header("WWW-Authenticate")
    manager.token_verification_loader(lambda jwt_header, jwt_data: False)
    assert not call(client, "/t/jwt", access_token).has_header("WWW-Authenticate")


# request.user and request.auth.


@pytest.mark.parametrize("path", ["/t/jwt", "/t/defaults"])
def test_request_user_is_the_user_and_auth_the_claims(client, path, user, access_token):
    body = call(client, path, access_token).json()
    assert body == {
        "user_class": type(user).__name__,
        "pk": user.pk,
        "username": "alice",
        "is_authenticated": True,
        "auth": decode_token(access_token),
        "django_request_user_is_same": True,
    }


def test_registered_user_lookup_loader_wins(client, manager, settings, access_token):
    settings.JWT_USER_LOOKUP = None
    looked_up = SimpleNamespace(
        pk="custom", is_authenticated=True, get_username=lambda: "custom-user"
    )
    manager.user_lookup_loader(lambda jwt_header, jwt_data: looked_up)
    body = call(client, "/t/jwt", access_token).json()
    assert (body["user_class"], body["username"]) == ("SimpleNamespace", "custom-user")


DB_BACKEND = "django_jwt_ext.revocation.db.DatabaseBackend"
CACHE_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"


@pytest.mark.parametrize(
    "backend, lookup, queries",
    [
        # The default: the user and the revocation state in one query.
        (DB_BACKEND, "model", 1),
        (DB_BACKEND, None, 1),
        (CACHE_BACKEND, "model", 1),
        # Stateless with a cache store: no database at all.
        (CACHE_BACKEND, None, 0),
    ],
    ids=["db-model", "db-stateless", "cache-model", "cache-stateless"],
)
@pytest.mark.parametrize("path", ["/t/jwt", "/t/defaults", flavour_path("drf-classes")])
def test_query_count_on_the_hot_path(
    client, settings, path, backend, lookup, queries, access_token, django_assert_num_queries
):
    settings.JWT_REVOCATION_BACKEND = backend
    settings.JWT_USER_LOOKUP = lookup
    with django_assert_num_queries(queries):
        response = call(client, path, access_token)
    assert response.status_code == 200


@pytest.mark.parametrize("backend", [DB_BACKEND, CACHE_BACKEND])
@pytest.mark.parametrize("path", PROTECTED)
def test_token_revoked_in_the_store_is_401(client, settings, backend, path, access_token):
    from django_jwt_ext.revocation import revoke_token

    settings.JWT_REVOCATION_BACKEND = backend
    assert call(client, path, access_token).status_code == 200
    revoke_token(access_token)
    assert_refused(call(client, path, access_token), 401, "Token has been revoked")


def test_stateless_mode_gives_a_token_user(client, settings, user, access_token):
    settings.JWT_USER_LOOKUP = None
    body = call(client, "/t/jwt", access_token).json()
    assert body == {
        "user_class": "TokenUser",
        "pk": str(user.pk),
        "username": str(user.pk),
        "is_authenticated": True,
        "auth": decode_token(access_token),
        "django_request_user_is_same": True,
    }


def test_stateless_mode_accepts_unknown_identities(client, settings, db):
    settings.JWT_USER_LOOKUP = None
    body = call(client, "/t/jwt", create_access_token("someone-elsewhere")).json()
    assert (body["user_class"], body["pk"]) == ("TokenUser", "someone-elsewhere")


def test_authenticate_returns_user_and_claims(user, access_token):
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {access_token}"))
    authenticated_user, auth = JWTAuthentication().authenticate(request)
    assert authenticated_user == user
    assert auth == decode_token(access_token)


def test_authenticate_builds_a_token_user_in_stateless_mode(settings, access_token):
    settings.JWT_USER_LOOKUP = None
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {access_token}"))
    authenticated_user, auth = JWTAuthentication().authenticate(request)
    assert isinstance(authenticated_user, TokenUser)
    assert authenticated_user.claims == auth == decode_token(access_token)


# No token: anonymous when optional; other classes may authenticate.


@pytest.mark.parametrize("location", ["headers", "cookies", "query_string", "json"])
def test_authenticate_returns_none_without_token(settings, location):
    settings.JWT_TOKEN_LOCATION = [location]
    assert JWTAuthentication().authenticate(Request(APIRequestFactory().get("/"))) is None
    assert JWTRefreshAuthentication().authenticate(Request(APIRequestFactory().post("/"))) is None


def test_authenticate_raises_for_a_bad_token():
    request = Request(APIRequestFactory().get("/", HTTP_AUTHORIZATION="Bearer a b"))
    with pytest.raises(JWTAPIException) as caught:
        JWTAuthentication().authenticate(request)
    assert (caught.value.status_code, caught.value.detail) == (422, {"msg": BAD_HEADER})


@pytest.mark.parametrize("path", ["/t/optional", flavour_path("drf-classes", "optional")])
def test_optional_view_proceeds_anonymously(client, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.json()
    if "identity" in body:
        assert (body["identity"], body["claims"], body["location"], body["request_user"]) == (
            None,
            {},
            None,
            None,
        )
    else:
        assert (body["user_class"], body["is_authenticated"], body["auth"]) == (
            "AnonymousUser",
            False,
            None,
        )


def test_optional_view_still_refuses_a_bad_token(client):
    assert_refused(client.get("/t/optional", HTTP_AUTHORIZATION="Bearer a b"), 422, BAD_HEADER)


def test_optional_view_authenticates_a_good_token(client, access_token):
    body = call(client, "/t/optional", access_token).json()
    assert (body["username"], body["is_authenticated"]) == ("alice", True)


def test_following_class_authenticates_without_jwt(client):
    body = client.get("/t/chained", HTTP_X_STUB_USER="bob").json()
    assert (body["username"], body["auth"]) == ("bob", "stub")


def test_jwt_wins_over_following_class(client, access_token):
    body = call(client, "/t/chained", access_token, HTTP_X_STUB_USER="bob").json()
    assert body["username"] == "alice"


def test_anonymous_without_any_credentials_under_drf_permission(client):
    response = client.get("/t/chained")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_jwt_required_refuses_another_class_user_without_jwt(client):
    response = client.get("/t/chained-jwt-required", HTTP_X_STUB_USER="bob")
    assert_refused(response, 401, MISSING_HEADER)


def test_anonymous_user_type_after_no_token():
    request = Request(APIRequestFactory().get("/"), authenticators=[JWTAuthentication()])
    assert isinstance(request.user, AnonymousUser)
    assert request.auth is None
