"""The request helpers (get_jwt & co.) and the cookie helpers (set_*/unset_*)."""

import json
import re
from datetime import timedelta

import jwt as pyjwt
import pytest
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from django_jwt_ext import (
    create_access_token,
    create_refresh_token,
    decode_token,
    get_csrf_token,
    get_current_user,
    get_jwt,
    get_jwt_header,
    get_jwt_identity,
    get_jwt_request_location,
    set_access_cookies,
    set_refresh_cookies,
    unset_access_cookies,
    unset_jwt_cookies,
    unset_refresh_cookies,
    verify_jwt_in_request,
)
from django_jwt_ext.exceptions import ExpiredSignatureError, JWTDecodeError
from tests.helpers import LOCATIONS, flavour_path

EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT"
ONE_YEAR = 31540000
NOT_VERIFIED = "You must call `@jwt_required()` or `verify_jwt_in_request"


def request_with(token, location, refresh=False):
    """Build a request carrying ``token`` in ``location`` (GET, or POST for JSON)."""
    factory = RequestFactory()
    if location == "headers":
        return factory.get("/", HTTP_AUTHORIZATION=f"Bearer {token}")
    if location == "cookies":
        request = factory.get("/")
        request.COOKIES["refresh_token_cookie" if refresh else "access_token_cookie"] = token
        return request
    if location == "query_string":
        return factory.get("/", {"jwt": token})
    key = "refresh_token" if refresh else "access_token"
    return factory.post("/", json.dumps({key: token}), content_type="application/json")


# The request helpers.


@pytest.mark.django_db
@pytest.mark.parametrize("location", LOCATIONS)
def test_helpers_on_a_verified_request(settings, user, access_token, location):
    settings.JWT_TOKEN_LOCATION = [location]
    request = request_with(access_token, location)
    header, claims = verify_jwt_in_request(request)
    assert header == pyjwt.get_unverified_header(access_token) == {"alg": "HS256", "typ": "JWT"}
    assert claims == decode_token(access_token)
    assert get_jwt(request) == claims
    assert get_jwt_header(request) == header
    assert get_jwt_identity(request) == str(user.pk)
    assert get_jwt_request_location(request) == location
    assert get_current_user(request) == user
    assert request.user == user


@pytest.mark.django_db
@pytest.mark.parametrize("location", LOCATIONS)
def test_helpers_on_a_verified_refresh_request(settings, user, refresh_token, location):
    settings.JWT_TOKEN_LOCATION = [location]
    request = request_with(refresh_token, location, refresh=True)
    _header, claims = verify_jwt_in_request(request, refresh=True)
    assert get_jwt(request) == claims == decode_token(refresh_token)
    assert claims["type"] == "refresh"
    assert get_jwt_request_location(request) == location
    assert get_current_user(request) == user


@pytest.mark.django_db
def test_additional_headers_reach_get_jwt_header(user):
    token = create_access_token(user, additional_headers={"kid": "key-1"})
    request = request_with(token, "headers")
    verify_jwt_in_request(request)
    assert get_jwt_header(request) == {"alg": "HS256", "typ": "JWT", "kid": "key-1"}


@pytest.mark.django_db
def test_custom_identity_claim(settings, user):
    settings.JWT_IDENTITY_CLAIM = "uid"
    token = create_access_token(user)
    request = request_with(token, "headers")
    verify_jwt_in_request(request)
    assert get_jwt(request)["uid"] == str(user.pk)
    assert "sub" not in get_jwt(request)
    assert get_jwt_identity(request) == str(user.pk)
    assert get_current_user(request) == user


@pytest.mark.parametrize("location", LOCATIONS)
def test_helpers_on_an_optional_request_without_token(settings, location):
    settings.JWT_TOKEN_LOCATION = [location]
    request = RequestFactory().get("/")
    assert verify_jwt_in_request(request, optional=True) is None
    assert get_jwt(request) == {}
    assert get_jwt_header(request) == {}
    assert get_jwt_identity(request) is None
    assert get_jwt_request_location(request) is None
    assert get_current_user(request) is None


def test_optional_request_without_token_and_without_lookup(settings):
    settings.JWT_USER_LOOKUP = None
    request = RequestFactory().get("/")
    verify_jwt_in_request(request, optional=True)
    assert get_current_user(request) is None


HELPERS = [get_jwt, get_jwt_header, get_jwt_identity, get_current_user]


@pytest.mark.parametrize("helper", HELPERS)
def test_helpers_on_a_request_never_verified(helper):
    request = RequestFactory().get("/")
    with pytest.raises(RuntimeError, match="^" + re.escape(NOT_VERIFIED)):
        helper(request)
    assert get_jwt_request_location(request) is None


@pytest.mark.django_db
@pytest.mark.parametrize("helper", HELPERS)
def test_helpers_after_a_refused_verification(user, helper):
    """Nothing is stored unless every step passed."""
    token = create_access_token(user, expires_delta=timedelta(seconds=-10))
    request = request_with(token, "headers")
    with pytest.raises(ExpiredSignatureError):
        verify_jwt_in_request(request)
    with pytest.raises(RuntimeError):
        helper(request)
    assert get_jwt_request_location(request) is None


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", ["model", None])
def test_helpers_after_an_options_request(settings, access_token, lookup):
    """OPTIONS is exempt: nothing is verified, and the helpers answer as for no token."""
    settings.JWT_USER_LOOKUP = lookup
    request = RequestFactory().options("/", HTTP_AUTHORIZATION=f"Bearer {access_token}")
    assert verify_jwt_in_request(request) is None
    assert get_jwt(request) == {}
    assert get_jwt_header(request) == {}
    assert get_jwt_identity(request) is None
    assert get_jwt_request_location(request) is None
    assert get_current_user(request) is None


@pytest.mark.django_db
def test_an_options_outcome_never_stands_in_for_a_later_verification(user):
    """A method override after an OPTIONS pass (X-HTTP-Method-Override middleware...)
    verifies the token: what OPTIONS stored settles nothing."""
    bad = RequestFactory().options("/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert verify_jwt_in_request(bad) is None
    bad.method = "GET"
    with pytest.raises(JWTDecodeError):
        verify_jwt_in_request(bad)
    good = RequestFactory().options("/", HTTP_AUTHORIZATION=f"Bearer {create_access_token(user)}")
    verify_jwt_in_request(good)
    good.method = "GET"
    assert verify_jwt_in_request(good)[1]["sub"] == str(user.pk)


@pytest.mark.django_db
def test_get_current_user_without_user_lookup(settings, user, access_token):
    settings.JWT_USER_LOOKUP = None
    request = request_with(access_token, "headers")
    verify_jwt_in_request(request)
    assert get_jwt_identity(request) == str(user.pk)
    with pytest.raises(RuntimeError, match="user_lookup_loader"):
        get_current_user(request)


@pytest.mark.django_db
def test_get_current_user_with_a_user_lookup_loader(settings, manager, access_token):
    settings.JWT_USER_LOOKUP = None
    manager.user_lookup_loader(lambda jwt_header, jwt_data: {"name": jwt_data["sub"]})
    request = request_with(access_token, "headers")
    verify_jwt_in_request(request)
    assert get_current_user(request) == {"name": decode_token(access_token)["sub"]}


# Cookies.

RESPONSES = {"HttpResponse": HttpResponse, "JsonResponse": lambda: JsonResponse({"ok": True})}


@pytest.fixture(params=RESPONSES)
def response(request):
    return RESPONSES[request.param]()


@pytest.mark.django_db
def test_set_access_cookies(response, access_token):
    set_access_cookies(response, access_token)
    assert set(response.cookies) == {"access_token_cookie", "csrf_access_token"}
    token_cookie, csrf_cookie = (
        response.cookies["access_token_cookie"],
        response.cookies["csrf_access_token"],
    )
    assert token_cookie.value == access_token
    assert token_cookie["httponly"] is True
    assert csrf_cookie.value == get_csrf_token(access_token) == decode_token(access_token)["csrf"]
    assert not csrf_cookie["httponly"]
    for cookie in (token_cookie, csrf_cookie):
        assert cookie["path"] == "/"
        assert cookie["max-age"] == ""  # a session cookie
        assert cookie["expires"] == ""
        assert cookie["domain"] == ""
        assert not cookie["secure"]
        assert cookie["samesite"] == ""


@pytest.mark.django_db
def test_set_refresh_cookies(response, refresh_token):
    set_refresh_cookies(response, refresh_token)
    assert set(response.cookies) == {"refresh_token_cookie", "csrf_refresh_token"}
    token_cookie, csrf_cookie = (
        response.cookies["refresh_token_cookie"],
        response.cookies["csrf_refresh_token"],
    )
    assert token_cookie.value == refresh_token
    assert token_cookie["httponly"] is True
    assert csrf_cookie.value == get_csrf_token(refresh_token)
    assert not csrf_cookie["httponly"]
    assert token_cookie["max-age"] == csrf_cookie["max-age"] == ""


SETTERS = [(set_access_cookies, create_access_token), (set_refresh_cookies, create_refresh_token)]
SETTER_IDS = ["access", "refresh"]


@pytest.mark.django_db
@pytest.mark.parametrize(("setter", "maker"), SETTERS, ids=SETTER_IDS)
def test_persistent_cookies(settings, response, user, setter, maker):
    settings.JWT_SESSION_COOKIE = False
    setter(response, maker(user))
    assert len(response.cookies) == 2
    for cookie in response.cookies.values():
        assert cookie["max-age"] == ONE_YEAR
        assert cookie["expires"]


@pytest.mark.django_db
@pytest.mark.parametrize(("setter", "maker"), SETTERS, ids=SETTER_IDS)
@pytest.mark.parametrize("session_cookie", [True, False])
@pytest.mark.parametrize(("max_age", "expected"), [(100, 100), (timedelta(hours=1), 3600)])
def test_max_age_argument_overrides(
    settings, response, user, setter, maker, session_cookie, max_age, expected
):
    settings.JWT_SESSION_COOKIE = session_cookie
    setter(response, maker(user), max_age=max_age)
    assert [cookie["max-age"] for cookie in response.cookies.values()] == [expected, expected]


@pytest.mark.django_db
@pytest.mark.parametrize(("setter", "maker"), SETTERS, ids=SETTER_IDS)
def test_domain_setting_and_argument(settings, user, setter, maker):
    settings.JWT_COOKIE_DOMAIN = ".example.org"
    response = HttpResponse()
    setter(response, maker(user))
    assert [cookie["domain"] for cookie in response.cookies.values()] == [".example.org"] * 2
    response = HttpResponse()
    setter(response, maker(user), domain="api.example.com")
    assert [cookie["domain"] for cookie in response.cookies.values()] == ["api.example.com"] * 2


@pytest.mark.django_db
@pytest.mark.parametrize(("setter", "maker"), SETTERS, ids=SETTER_IDS)
def test_secure_cookies(settings, response, user, setter, maker):
    settings.JWT_COOKIE_SECURE = True
    setter(response, maker(user))
    assert [cookie["secure"] for cookie in response.cookies.values()] == [True, True]


@pytest.mark.django_db
@pytest.mark.parametrize(("setter", "maker"), SETTERS, ids=SETTER_IDS)
@pytest.mark.parametrize("samesite", ["Lax", "Strict", "None"])
def test_samesite(settings, response, user, setter, maker, samesite):
    settings.JWT_COOKIE_SAMESITE = samesite
    setter(response, maker(user))
    assert [cookie["samesite"] for cookie in response.cookies.values()] == [samesite] * 2


@pytest.mark.django_db
def test_cookie_paths_and_names(settings, user):
    settings.JWT_ACCESS_COOKIE_PATH = "/api/"
    settings.JWT_ACCESS_CSRF_COOKIE_PATH = "/"
    settings.JWT_REFRESH_COOKIE_PATH = "/auth/refresh"
    settings.JWT_REFRESH_CSRF_COOKIE_PATH = "/auth/"
    settings.JWT_ACCESS_COOKIE_NAME = "at"
    settings.JWT_ACCESS_CSRF_COOKIE_NAME = "at_csrf"
    settings.JWT_REFRESH_COOKIE_NAME = "rt"
    settings.JWT_REFRESH_CSRF_COOKIE_NAME = "rt_csrf"
    response = HttpResponse()
    set_access_cookies(response, create_access_token(user))
    set_refresh_cookies(response, create_refresh_token(user))
    assert {name: cookie["path"] for name, cookie in response.cookies.items()} == {
        "at": "/api/",
        "at_csrf": "/",
        "rt": "/auth/refresh",
        "rt_csrf": "/auth/",
    }
    unset = HttpResponse()
    unset_jwt_cookies(unset)
    assert {name: cookie["path"] for name, cookie in unset.cookies.items()} == {
        "at": "/api/",
        "at_csrf": "/",
        "rt": "/auth/refresh",
        "rt_csrf": "/auth/",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("setter", "maker"), SETTERS, ids=SETTER_IDS)
@pytest.mark.parametrize("setting", ["JWT_CSRF_IN_COOKIES", "JWT_COOKIE_CSRF_PROTECT"])
def test_no_csrf_cookie(settings, response, user, setter, maker, setting):
    token = maker(user)
    setattr(settings, setting, False)
    setter(response, token)
    assert len(response.cookies) == 1
    assert next(iter(response.cookies.values())).value == token


def assert_expired(cookie, httponly):
    assert cookie.value == ""
    assert cookie["max-age"] == 0
    assert cookie["expires"] == EPOCH
    assert bool(cookie["httponly"]) is httponly


@pytest.mark.parametrize(
    ("unset", "names"),
    [
        (unset_access_cookies, ["access_token_cookie", "csrf_access_token"]),
        (unset_refresh_cookies, ["refresh_token_cookie", "csrf_refresh_token"]),
        (
            unset_jwt_cookies,
            [
                "access_token_cookie",
                "csrf_access_token",
                "refresh_token_cookie",
                "csrf_refresh_token",
            ],
        ),
    ],
    ids=["access", "refresh", "all"],
)
def test_unset_cookies(response, unset, names):
    unset(response)
    assert list(response.cookies) == names
    for name in names:
        assert_expired(response.cookies[name], httponly=not name.startswith("csrf"))
        assert response.cookies[name]["path"] == "/"


def test_unset_cookies_domain(settings, response):
    settings.JWT_COOKIE_DOMAIN = ".example.org"
    settings.JWT_COOKIE_SECURE = True
    settings.JWT_COOKIE_SAMESITE = "Strict"
    unset_access_cookies(response)
    assert [c["domain"] for c in response.cookies.values()] == [".example.org"] * 2
    assert [c["secure"] for c in response.cookies.values()] == [True] * 2
    assert [c["samesite"] for c in response.cookies.values()] == ["Strict"] * 2
    other = HttpResponse()
    unset_refresh_cookies(other, domain="api.example.com")
    assert [c["domain"] for c in other.cookies.values()] == ["api.example.com"] * 2


def test_unset_without_csrf_cookies(settings, response):
    settings.JWT_CSRF_IN_COOKIES = False
    unset_jwt_cookies(response)
    assert list(response.cookies) == ["access_token_cookie", "refresh_token_cookie"]


@pytest.mark.django_db
def test_cookies_round_trip_through_a_browser_like_client(client, settings, user, access_token):
    """What set_access_cookies sends is what a protected view accepts, until unset."""
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    response = HttpResponse()
    set_access_cookies(response, access_token)
    client.cookies.update(response.cookies)
    csrf_value = client.cookies["csrf_access_token"].value
    answer = client.post(flavour_path("sync"), HTTP_X_CSRF_TOKEN=csrf_value)
    assert answer.status_code == 200
    assert answer.json()["identity"] == str(user.pk)

    logout = HttpResponse()
    unset_access_cookies(logout)
    client.cookies.update(logout.cookies)
    answer = client.post(flavour_path("sync"), HTTP_X_CSRF_TOKEN=csrf_value)
    assert answer.status_code == 401
    assert answer.json() == {"msg": 'Missing cookie "access_token_cookie"'}


@pytest.mark.parametrize("method", ["get", "options"])
def test_empty_claims_are_not_shared_between_requests(rf, method):
    """A view that writes into the empty claims of one request leaves the next one's empty."""
    first, second = getattr(rf, method)("/"), getattr(rf, method)("/")
    verify_jwt_in_request(first, optional=True)
    get_jwt(first)["leaked"] = True
    verify_jwt_in_request(second, optional=True)
    assert get_jwt(second) == {}
