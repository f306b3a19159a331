"""The obtain endpoint (``django_jwt_ext:obtain``): credentials in, two tokens out.

Also what the three endpoints share: POST only.
"""

import json
from urllib.parse import urlencode

import pytest
from django.urls import include, path, reverse

from django_jwt_ext import decode_token
from django_jwt_ext.views import ObtainTokensView
from tests.revocation_support import bearer

pytestmark = pytest.mark.django_db

BAD_CREDENTIALS = {"msg": "Bad username or password"}
NOT_JSON = "The body is not valid JSON"
NOT_AN_OBJECT = "The JSON body must be an object"
NO_CREDENTIALS = "Both username and password are required, as strings"
TOKEN_COOKIES = ("access_token_cookie", "refresh_token_cookie")
CSRF_COOKIES = ("csrf_access_token", "csrf_refresh_token")


class RoleObtainTokensView(ObtainTokensView):
    """Adds the user's role to both tokens, the way the docstring invites."""

    def get_additional_claims(self, user):
        return {"role": "staff" if user.is_staff else "member", "username": user.get_username()}


# pytest.mark.urls("tests.test_endpoints_obtain") mounts this urlconf.
urlpatterns = [
    path("auth/", include("django_jwt_ext.urls")),
    path("custom/obtain/", RoleObtainTokensView.as_view(), name="custom-obtain"),
]


def obtain(client, credentials, encoding="json", url=None):
    """POST ``credentials`` to the obtain endpoint in one of the encodings a client uses."""
    url = url or reverse("django_jwt_ext:obtain")
    if encoding == "json":
        return client.post(url, credentials, content_type="application/json")
    if encoding == "urlencoded":
        return client.post(
            url, urlencode(credentials), content_type="application/x-www-form-urlencoded"
        )
    return client.post(url, credentials)  # multipart/form-data, the test client's default


def post_raw(client, body, content_type):
    return client.post(reverse("django_jwt_ext:obtain"), body, content_type=content_type)


ALICE = {"username": "alice", "password": "alice-password"}


@pytest.fixture
def cookies(settings):
    """Cookies among the token locations (headers stay, as a browser app's API would)."""
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]


# Success.


@pytest.mark.parametrize("encoding", ["json", "urlencoded", "multipart"])
def test_credentials_give_a_fresh_access_token_and_a_refresh_token(client, user, encoding):
    response = obtain(client, ALICE, encoding)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"access_token", "refresh_token"}
    access, refresh = decode_token(body["access_token"]), decode_token(body["refresh_token"])
    assert (access["type"], access["fresh"], access["sub"]) == ("access", True, str(user.pk))
    assert (refresh["type"], refresh["sub"]) == ("refresh", str(user.pk))
    assert access["jti"] != refresh["jti"]
    # Header mode: no cookie is set.
    assert not response.cookies


def test_obtained_tokens_are_accepted_by_the_api_and_the_refresh_endpoint(client, user):
    tokens = obtain(client, ALICE).json()

    response = client.get("/api/protected", **bearer(tokens["access_token"]))
    assert (response.status_code, response.json()["logged_in_as"]) == (200, "alice")
    response = client.post(reverse("django_jwt_ext:refresh"), **bearer(tokens["refresh_token"]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/vnd.api+json"]
)
def test_json_media_types_with_parameters_or_suffix_are_read_as_json(client, user, content_type):
    response = post_raw(client, json.dumps(ALICE), content_type)
    assert response.status_code == 200
    assert decode_token(response.json()["access_token"])["sub"] == str(user.pk)


def test_each_login_issues_new_tokens(client, user):
    first, second = obtain(client, ALICE).json(), obtain(client, ALICE).json()
    assert decode_token(first["access_token"])["jti"] != decode_token(second["access_token"])["jti"]
    assert (
        decode_token(first["refresh_token"])["jti"] != decode_token(second["refresh_token"])["jti"]
    )


# Refusals: one answer whatever was wrong.


@pytest.fixture
def inactive_user(django_user_model):
    return django_user_model.objects.create_user(
        "carol", password="carol-password", is_active=False
    )


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "alice", "password": "wrong-password"},
        {"username": "alice", "password": ""},
        {"username": "nobody", "password": "alice-password"},
        {"username": "ALICE", "password": "alice-password"},
        {"username": "carol", "password": "carol-password"},
    ],
    ids=["wrong-password", "empty-password", "unknown-user", "other-case", "inactive-user"],
)
@pytest.mark.parametrize("encoding", ["json", "multipart"])
def test_bad_credentials_get_one_message_that_names_no_part(
    client, user, inactive_user, credentials, encoding
):
    response = obtain(client, credentials, encoding)
    assert response.status_code == 401
    assert response.json() == BAD_CREDENTIALS
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert not response.cookies


def test_inactive_user_is_refused_even_by_a_backend_that_authenticates_it(
    client, settings, inactive_user
):
    # AllowAllUsersModelBackend returns inactive users; the view must refuse them itself.
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.AllowAllUsersModelBackend"]
    response = obtain(client, {"username": "carol", "password": "carol-password"})
    assert (response.status_code, response.json()) == (401, BAD_CREDENTIALS)


# Garbage bodies: 400 with the reason.

NESTED_ARRAY = "[" * 100_000 + "]" * 100_000
NESTED_OBJECT = '{"a": ' * 100_000 + "1" + "}" * 100_000

GARBAGE_JSON = [
    ("{not json", NOT_JSON),
    ('{"username": "alice", "password": "alice-password"', NOT_JSON),
    (b'{"username": "\xff", "password": "x"}', NOT_JSON),  # not UTF-8
    (NESTED_ARRAY, NOT_JSON),
    (NESTED_OBJECT, NOT_JSON),
    ('["alice", "alice-password"]', NOT_AN_OBJECT),
    ('"alice"', NOT_AN_OBJECT),
    ("42", NOT_AN_OBJECT),
    ("4.2", NOT_AN_OBJECT),
    ("true", NOT_AN_OBJECT),
    ("null", NOT_AN_OBJECT),
    ("", NO_CREDENTIALS),
    ("{}", NO_CREDENTIALS),
    ('{"username": "alice"}', NO_CREDENTIALS),
    ('{"password": "alice-password"}', NO_CREDENTIALS),
    ('{"username": 5, "password": "alice-password"}', NO_CREDENTIALS),
    ('{"username": "alice", "password": null}', NO_CREDENTIALS),
    ('{"username": ["alice"], "password": "alice-password"}', NO_CREDENTIALS),
    ('{"username": "alice", "password": {"value": "alice-password"}}', NO_CREDENTIALS),
]
GARBAGE_IDS = [
    "invalid",
    "truncated",
    "not-utf8",
    "nested-arrays",
    "nested-objects",
    "list",
    "string",
    "integer",
    "float",
    "boolean",
    "null",
    "empty",
    "empty-object",
    "no-password",
    "no-username",
    "number-username",
    "null-password",
    "list-username",
    "object-password",
]


@pytest.mark.parametrize(("body", "message"), GARBAGE_JSON, ids=GARBAGE_IDS)
def test_garbage_json_body_is_a_bad_request(client, user, body, message):
    response = post_raw(client, body, "application/json")
    assert response.status_code == 400
    assert response.json() == {"msg": message}
    assert not response.cookies


@pytest.mark.parametrize(
    "form",
    [{}, {"username": "alice"}, {"password": "alice-password"}],
    ids=["empty", "no-password", "no-username"],
)
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_incomplete_form_is_a_bad_request(client, user, form, encoding):
    response = obtain(client, form, encoding)
    assert (response.status_code, response.json()) == (400, {"msg": NO_CREDENTIALS})


def test_empty_body_without_content_type_is_a_bad_request(client, user):
    response = client.generic("POST", reverse("django_jwt_ext:obtain"), b"", content_type="")
    assert (response.status_code, response.json()) == (400, {"msg": NO_CREDENTIALS})


def test_credentials_in_the_query_string_are_not_read(client, user):
    url = reverse("django_jwt_ext:obtain") + "?" + urlencode(ALICE)
    response = client.post(url)
    assert (response.status_code, response.json()) == (400, {"msg": NO_CREDENTIALS})


# POST only, on every endpoint.


@pytest.mark.parametrize("name", ["obtain", "refresh", "logout"])
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_endpoints_accept_only_post(client, user, access_token, name, method):
    response = getattr(client, method)(reverse(f"django_jwt_ext:{name}"), **bearer(access_token))
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"


def test_endpoint_urls():
    assert reverse("django_jwt_ext:obtain") == "/auth/obtain/"
    assert reverse("django_jwt_ext:refresh") == "/auth/refresh/"
    assert reverse("django_jwt_ext:logout") == "/auth/logout/"


# Cookies.


def test_cookie_mode_sets_the_token_cookies_httponly_and_the_csrf_cookies_readable(
    client, user, cookies
):
    response = obtain(client, ALICE)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token"}
    assert sorted(response.cookies) == sorted(TOKEN_COOKIES + CSRF_COOKIES)
    access_cookie, refresh_cookie = (response.cookies[name] for name in TOKEN_COOKIES)
    access_csrf, refresh_csrf = (response.cookies[name] for name in CSRF_COOKIES)
    assert access_cookie.value == body["access_token"]
    assert refresh_cookie.value == body["refresh_token"]
    assert access_cookie["httponly"] is True
    assert refresh_cookie["httponly"] is True
    # Script must read the CSRF values to echo them in a header.
    assert not access_csrf["httponly"]
    assert not refresh_csrf["httponly"]
    assert access_csrf.value == decode_token(body["access_token"])["csrf"]
    assert refresh_csrf.value == decode_token(body["refresh_token"])["csrf"]
    assert access_csrf.value != refresh_csrf.value


def test_cookie_mode_cookies_follow_the_cookie_settings(client, user, cookies, settings):
    settings.JWT_ACCESS_COOKIE_NAME = "at"
    settings.JWT_REFRESH_COOKIE_NAME = "rt"
    settings.JWT_REFRESH_COOKIE_PATH = "/auth/refresh/"
    settings.JWT_COOKIE_SECURE = True
    settings.JWT_COOKIE_SAMESITE = "Strict"

    response = obtain(client, ALICE)

    assert sorted(response.cookies) == sorted(["at", "rt", *CSRF_COOKIES])
    assert response.cookies["rt"]["path"] == "/auth/refresh/"
    assert response.cookies["at"]["path"] == "/"
    for cookie in response.cookies.values():
        assert cookie["secure"] is True
        assert cookie["samesite"] == "Strict"


def test_cookie_mode_without_csrf_protection_sets_only_the_token_cookies(
    client, user, cookies, settings
):
    settings.JWT_COOKIE_CSRF_PROTECT = False
    response = obtain(client, ALICE)
    assert sorted(response.cookies) == sorted(TOKEN_COOKIES)
    assert "csrf" not in decode_token(response.json()["access_token"])


def test_cookies_from_obtain_authenticate_the_next_request(client, user, settings):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    obtain(client, ALICE)
    response = client.get("/api/protected")
    assert (response.status_code, response.json()["logged_in_as"]) == (200, "alice")


def test_refused_login_sets_no_cookie(client, user, cookies):
    response = obtain(client, {"username": "alice", "password": "nope"})
    assert response.status_code == 401
    assert not response.cookies


# Django's CSRF protection: there is nothing to forge before login.


@pytest.mark.parametrize("encoding", ["json", "multipart"])
@pytest.mark.parametrize("locations", [["headers"], ["headers", "cookies"]])
def test_obtain_is_csrf_exempt(csrf_client, user, settings, encoding, locations):
    settings.JWT_TOKEN_LOCATION = locations
    response = obtain(csrf_client, ALICE, encoding)
    assert response.status_code == 200
    assert set(response.json()) == {"access_token", "refresh_token"}


def test_csrf_enforcing_client_gets_the_jwt_401_where_the_view_is_not_exempt(csrf_client, user):
    # The control: the same client, posting without any JWT to the refresh
    # endpoint (not exempt), gets the JWT's 401, not Django's 403 page.
    response = csrf_client.post(reverse("django_jwt_ext:refresh"))
    assert (response.status_code, response.json()) == (
        401,
        {"msg": "Missing Authorization Header"},
    )


# Subclasses.


@pytest.mark.urls("tests.test_endpoints_obtain")
def test_subclass_adds_claims_to_both_tokens(client, user):
    response = obtain(client, ALICE, url=reverse("custom-obtain"))

    assert response.status_code == 200
    for token in response.json().values():
        claims = decode_token(token)
        assert (claims["role"], claims["username"]) == ("member", "alice")
        assert claims["sub"] == str(user.pk)


@pytest.mark.urls("tests.test_endpoints_obtain")
def test_subclass_claims_merge_with_the_manager_loader(client, user, manager):
    @manager.additional_claims_loader
    def loader_claims(identity):
        return {"tenant": "acme", "role": "loader"}

    tokens = obtain(client, ALICE, url=reverse("custom-obtain")).json()

    # The view's claims are merged after the loader's: its "role" wins.
    claims = decode_token(tokens["access_token"])
    assert (claims["tenant"], claims["role"]) == ("acme", "member")
    # The stock endpoint in the same urlconf keeps the loader's claims only.
    plain = decode_token(obtain(client, ALICE).json()["access_token"])
    assert (plain["tenant"], plain["role"]) == ("acme", "loader")
    assert "username" not in plain


# Strings JSON can carry but the database or the hasher cannot take.


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "alice\x00", "password": "alice-password"},
        {"username": "alice", "password": "alice-password\x00"},
        {"username": "\ud800", "password": "alice-password"},
        {"username": "alice", "password": "\ud800"},
    ],
    ids=["nul-username", "nul-password", "surrogate-username", "surrogate-password"],
)
def test_credentials_the_store_cannot_take_are_refused_not_a_server_error(
    client, user, credentials
):
    # Valid JSON strings, but PostgreSQL refuses NUL in text and UTF-8 cannot
    # encode a lone surrogate (for the query or the password hasher). Whether
    # the answer is 400 (unreadable body) or 401 (no such user) is the view's
    # choice; a 500 is not.
    response = post_raw(client, json.dumps(credentials), "application/json")
    assert response.status_code in (400, 401)
    assert set(response.json()) == {"msg"}
    assert not response.cookies


def test_malformed_multipart_body_is_a_bad_request(client, user):
    response = post_raw(client, b"--x\r\nnot a part", "multipart/form-data; boundary=x")
    assert response.status_code == 400
    assert response.json() == {"msg": NO_CREDENTIALS}
