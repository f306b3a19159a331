"""Django REST framework: JWTAuthentication, JWTRefreshAuthentication and the permissions.

Every refusal of DESIGN.md 3.2 through the authentication classes: the
``drf-classes`` flavour of testproject, views of this module, and a view on
the project's REST_FRAMEWORK defaults. The views here also serve
tests/test_drf_authentication.py (challenge, request.user, no token).
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import include, path
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from django_jwt_ext import (
    create_access_token,
    decode_token,
    get_csrf_token,
)
from django_jwt_ext.authentication import JWTAuthentication, JWTRefreshAuthentication
from django_jwt_ext.permissions import FreshJWTRequired, JWTRequired
from django_jwt_ext.tokens import encode_jwt
from tests.helpers import DRF_FLAVOURS, call, flavour_path

OTHER_SECRET = "other-secret-0123456789abcdef0123456789abcdef0123456789abcdef0123"
CHALLENGE = 'Bearer realm="api"'
MISSING_HEADER = "Missing Authorization Header"
BAD_HEADER = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"


def whoami(request):
    """Describe what authentication put on the DRF request."""
    user = request.user
    return Response(
        {
            "user_class": type(user).__name__,
            "pk": getattr(user, "pk", None),
            "username": user.get_username() if user.is_authenticated else None,
            "is_authenticated": user.is_authenticated,
            "auth": request.auth,
            "django_request_user_is_same": request._request.user is user,
        }
    )


class JWTView(APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [JWTRequired]

    def get(self, request):
        return whoami(request)

    post = put = patch = delete = get


class FreshView(JWTView):
    permission_classes = [FreshJWTRequired]


class RefreshView(JWTView):
    authentication_classes = [JWTRefreshAuthentication]


class OptionalView(JWTView):
    permission_classes = [AllowAny]


class DefaultClassesView(APIView):
    """Uses the project's REST_FRAMEWORK defaults (testproject/settings.py)."""

    def get(self, request):
        return whoami(request)


class SessionFirstView(JWTView):
    authentication_classes = [SessionAuthentication, JWTAuthentication]


class SessionFirstFreshView(SessionFirstView):
    permission_classes = [FreshJWTRequired]


class DRFIsAuthenticatedView(JWTView):
    permission_classes = [IsAuthenticated]


class StubAuthentication(BaseAuthentication):
    """Authenticate whoever sends ``X-Stub-User``."""

    def authenticate(self, request):
        name = request.META.get("HTTP_X_STUB_USER")
        if not name:
            return None
        user = SimpleNamespace(pk=name, is_authenticated=True, get_username=lambda: name)
        return user, "stub"


class ChainedView(JWTView):
    authentication_classes = [JWTAuthentication, StubAuthentication]
    permission_classes = [IsAuthenticated]


class ChainedJWTRequiredView(ChainedView):
    permission_classes = [JWTRequired]


urlpatterns = [
    path("t/jwt", JWTView.as_view()),
    path("t/fresh", FreshView.as_view()),
    path("t/refresh", RefreshView.as_view()),
    path("t/optional", OptionalView.as_view()),
    path("t/defaults", DefaultClassesView.as_view()),
    path("t/session-first", SessionFirstView.as_view()),
    path("t/session-first-fresh", SessionFirstFreshView.as_view()),
    path("t/drf-is-authenticated", DRFIsAuthenticatedView.as_view()),
    path("t/chained", ChainedView.as_view()),
    path("t/chained-jwt-required", ChainedJWTRequiredView.as_view()),
    path("", include("testproject.urls")),
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

# Views guarded by JWTAuthentication + JWTRequired: testproject's drf-classes
# flavour, one view of this module, and one using the REST_FRAMEWORK defaults.
PROTECTED = [flavour_path("drf-classes"), "/t/jwt", "/t/defaults"]


@pytest.fixture
def client():
    return APIClient()


def signed_with_other_key(user):
    return encode_jwt(
        identity=str(user.pk), token_type="access", key=OTHER_SECRET, algorithm="HS256"
    )


def assert_refused(response, status, message):
    assert (response.status_code, response.json()) == (status, {"msg": message})
    if status == 401:
        assert response["WWW-Authenticate"] == CHALLENGE
    else:
        assert not response.has_header("WWW-Authenticate")


def test_default_view_really_uses_the_project_defaults():
    assert DefaultClassesView().get_authenticators()[0].__class__ is JWTAuthentication
    assert [type(p) for p in DefaultClassesView().get_permissions()] == [JWTRequired]


# Success.


@pytest.mark.parametrize("path", PROTECTED)
def test_valid_access_token_passes(client, path, user, access_token):
    response = call(client, path, access_token)
    assert response.status_code == 200
    body = response.json()
    if "identity" in body:  # testproject's describe()
        assert (body["identity"], body["user"], body["location"]) == (
            str(user.pk),
            "alice",
            "headers",
        )
    else:
        assert (body["username"], body["auth"]["sub"]) == ("alice", str(user.pk))


@pytest.mark.parametrize("location", ["headers", "cookies", "query_string", "json"])
def test_each_location_authenticates(client, settings, location, access_token):
    settings.JWT_TOKEN_LOCATION = [location]
    csrf = get_csrf_token(access_token) if location in ("cookies", "json") else None
    response = call(client, "/t/jwt", access_token, location, method="post", csrf=csrf)
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


# Missing token: the location's own message, never DRF's generic one.


@pytest.mark.parametrize(
    "location, message",
    [
        ("headers", MISSING_HEADER),
        ("cookies", 'Missing cookie "access_token_cookie"'),
        ("query_string", "Missing 'jwt' query paramater"),
        ("json", "Invalid content-type. Must be application/json."),
    ],
)
@pytest.mark.parametrize("path", PROTECTED)
def test_missing_token_gives_the_location_message(client, settings, path, location, message):
    settings.JWT_TOKEN_LOCATION = [location]
    assert_refused(call(client, path), 401, message)


def test_missing_json_key_message(client, settings):
    settings.JWT_TOKEN_LOCATION = ["json"]
    response = client.post("/t/jwt", {"other": 1}, format="json")
    assert_refused(response, 401, 'Missing "access_token" key in json data.')


@pytest.mark.parametrize("path", PROTECTED)
def test_missing_token_in_several_locations_lists_each_reason(client, settings, path):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    assert_refused(
        call(client, path),
        401,
        "Missing JWT in headers or cookies "
        '(Missing Authorization Header; Missing cookie "access_token_cookie")',
    )


# Malformed header / query value, undecodable token.


@pytest.mark.parametrize("path", PROTECTED)
@pytest.mark.parametrize("value", ["Bearer a b", "Bearer"])
def test_malformed_header_is_422(client, path, value):
    assert_refused(client.get(path, HTTP_AUTHORIZATION=value), 422, BAD_HEADER)


def test_header_of_another_type_is_missing(client):
    response = client.get("/t/jwt", HTTP_AUTHORIZATION="Basic YWxpY2U6cHc=")
    assert_refused(
        response,
        401,
        "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'",
    )


def test_query_value_without_prefix_is_422(client, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["query_string"]
    settings.JWT_QUERY_STRING_VALUE_PREFIX = "Bearer "
    assert_refused(
        call(client, "/t/jwt", access_token, "query_string"),
        422,
        "Invalid value for query parameter 'jwt'. Expected the value to start with 'Bearer '",
    )


@pytest.mark.parametrize("path", PROTECTED)
def test_bad_signature_is_422(client, path, user):
    assert_refused(
        call(client, path, signed_with_other_key(user)), 422, "Signature verification failed"
    )


@pytest.mark.parametrize("path", PROTECTED)
def test_garbage_token_is_422(client, path):
    assert_refused(call(client, path, "not-a-jwt"), 422, "Not enough segments")


def test_disallowed_algorithm_is_422(client, settings, user):
    token = encode_jwt(
        identity=str(user.pk), token_type="access", key=OTHER_SECRET * 2, algorithm="HS512"
    )
    assert_refused(call(client, "/t/jwt", token), 422, "The specified alg value is not allowed")


# Wrong token type, both ways.


@pytest.mark.parametrize("path", PROTECTED)
def test_refresh_token_on_access_endpoint_is_422(client, path, refresh_token):
    assert_refused(call(client, path, refresh_token), 422, "Only non-refresh tokens are allowed")


@pytest.mark.parametrize("path", [flavour_path("drf-classes", "refresh"), "/t/refresh"])
def test_access_token_on_refresh_endpoint_is_422(client, path, access_token):
    assert_refused(call(client, path, access_token), 422, "Only refresh tokens are allowed")


@pytest.mark.parametrize("path", [flavour_path("drf-classes", "refresh"), "/t/refresh"])
def test_refresh_token_on_refresh_endpoint_passes(client, path, user, refresh_token):
    response = call(client, path, refresh_token)
    assert response.status_code == 200
    body = response.json()
    claims = body.get("claims") or body.get("auth")
    assert (claims["type"], claims["sub"]) == ("refresh", str(user.pk))


def test_refresh_authentication_reads_the_refresh_cookie(
    client, settings, refresh_token, access_token
):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    client.cookies["access_token_cookie"] = access_token
    assert_refused(client.get("/t/refresh"), 401, 'Missing cookie "refresh_token_cookie"')
    response = call(client, "/t/refresh", refresh_token, "cookies", refresh=True)
    assert (response.status_code, response.json()["auth"]["type"]) == (200, "refresh")


def test_any_type_variant_accepts_both_types(client, access_token, refresh_token):
    for token in (access_token, refresh_token):
        assert call(client, flavour_path("drf-classes", "any-type"), token).status_code == 200


# Expired.


@pytest.mark.parametrize("path", PROTECTED)
def test_expired_token_is_401(client, path, user):
    token = create_access_token(user, expires_delta=timedelta(seconds=-5))
    assert_refused(call(client, path, token), 401, "Token has expired")


# CSRF double submit for cookie-carried tokens.


@pytest.fixture(params=[False, True], ids=["plain-client", "enforce-csrf-client"])
def cookie_client(request, settings):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    return APIClient(enforce_csrf_checks=request.param)


@pytest.mark.parametrize("path", PROTECTED[:2])
def test_cookie_token_without_csrf_is_401(cookie_client, path, access_token):
    response = call(cookie_client, path, access_token, "cookies", method="post")
    assert_refused(response, 401, "Missing CSRF token")


@pytest.mark.parametrize("path", PROTECTED[:2])
def test_cookie_token_with_wrong_csrf_is_401(cookie_client, path, access_token):
    response = call(cookie_client, path, access_token, "cookies", method="post", csrf="forged")
    assert_refused(response, 401, "CSRF double submit tokens do not match")


@pytest.mark.parametrize("path", PROTECTED[:2])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_cookie_token_with_matching_csrf_passes(cookie_client, path, method, access_token):
    csrf = get_csrf_token(access_token)
    response = call(cookie_client, path, access_token, "cookies", method=method, csrf=csrf)
    assert response.status_code == 200


def test_cookie_token_needs_no_csrf_on_get(cookie_client, access_token):
    assert call(cookie_client, "/t/jwt", access_token, "cookies").status_code == 200


def test_csrf_form_field_is_read_when_enabled(cookie_client, settings, access_token):
    settings.JWT_CSRF_CHECK_FORM = True
    cookie_client.cookies["access_token_cookie"] = access_token
    response = cookie_client.post("/t/jwt", {"csrf_token": get_csrf_token(access_token)})
    assert response.status_code == 200


# Revoked, fresh, user, custom verification.


@pytest.mark.parametrize("path", PROTECTED)
def test_revoked_token_is_401(client, manager, path, access_token):
    seen = []

    @manager.token_in_blocklist_loader
    def revoked(jwt_header, jwt_data):
        seen.append(jwt_data["jti"])
        return True

    assert_refused(call(client, path, access_token), 401, "Token has been revoked")
    assert seen == [decode_token(access_token)["jti"]]


def test_revocation_check_can_be_skipped(client, manager, access_token):
    manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: True)
    path = flavour_path("drf-classes", "no-revocation-check")
    assert call(client, path, access_token).status_code == 200


@pytest.mark.parametrize(
    "path", [flavour_path("drf-classes", "fresh"), "/t/fresh", "/t/session-first-fresh"]
)
def test_not_fresh_token_is_401(client, path, access_token):
    assert_refused(call(client, path, access_token), 401, "Fresh token required")


@pytest.mark.parametrize("path", [flavour_path("drf-classes", "fresh"), "/t/fresh"])
@pytest.mark.parametrize("fresh", [True, timedelta(minutes=5)], ids=["true", "timedelta"])
def test_fresh_token_passes(client, path, user, fresh):
    assert call(client, path, create_access_token(user, fresh=fresh)).status_code == 200


def test_freshness_that_ran_out_is_401(client, user):
    token = create_access_token(user, fresh=timedelta(seconds=-1))
    assert_refused(call(client, "/t/fresh", token), 401, "Fresh token required")


@pytest.mark.parametrize("path", [flavour_path("drf-classes", "fresh"), "/t/fresh"])
def test_fresh_permission_without_token_reports_the_missing_token(client, path):
    assert_refused(call(client, path), 401, MISSING_HEADER)


@pytest.mark.parametrize("path", PROTECTED)
def test_unknown_user_is_401(client, path, db):
    token = create_access_token("424242")
    assert_refused(call(client, path, token), 401, "Error loading the user 424242")


@pytest.mark.parametrize("path", PROTECTED)
def test_inactive_user_is_401(client, path, user, access_token):
    user.is_active = False
    user.save()
    assert_refused(call(client, path, access_token), 401, f"Error loading the user {user.pk}")


@pytest.mark.parametrize("path", PROTECTED)
def test_deleted_user_is_401(client, path, user, access_token):
    pk = user.pk
    user.delete()
    assert_refused(call(client, path, access_token), 401, f"Error loading the user {pk}")


@pytest.mark.parametrize("path", PROTECTED)
def test_token_verification_loader_false_is_400(client, manager, path, access_token):
    manager.token_verification_loader(lambda jwt_header, jwt_data: False)
    assert_refused(call(client, path, access_token), 400, "User claims verification failed")


def test_token_verification_loader_sees_the_claims(client, manager, access_token):
    manager.token_verification_loader(lambda jwt_header, jwt_data: jwt_data.get("role") == "admin")
    assert call(client, "/t/jwt", access_token).status_code == 400
    admin_token = create_access_token("1", additional_claims={"role": "admin"})
    manager.user_lookup_loader(
        lambda jwt_header, jwt_data: SimpleNamespace(
            pk=1, is_authenticated=True, get_username=lambda: "admin"
        )
    )
    assert call(client, "/t/jwt", admin_token).json()["username"] == "admin"


def test_options_is_exempt(client):
    assert client.options("/t/jwt").status_code == 200


# Never a 500 for anything a client can send.


@pytest.mark.parametrize(
    "value, message",
    [
        ("Bearer \u00ff\u00ff", "Not enough segments"),
        ("Bearer a.b.c", "Invalid header padding"),
        ("Bearer " + "a" * 10000, "Token is larger than the maximum of 8192 characters"),
        ("Bearer e30.e30.", "Algorithm not specified"),
        ("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", "The specified alg value is not allowed"),
        ("Bearer ,", BAD_HEADER),
    ],
    ids=["latin1", "bad-padding", "huge", "no-alg", "alg-none", "comma"],
)
@pytest.mark.parametrize("flavour", DRF_FLAVOURS)
def test_hostile_header_values_are_422(client, flavour, value, message):
    assert_refused(client.get(flavour_path(flavour), HTTP_AUTHORIZATION=value), 422, message)
