"""ImplicitRefreshMiddleware: an access cookie about to expire is replaced on the response.

testproject's MIDDLEWARE includes it, so every request of these tests goes
through it. The window is ``JWT_IMPLICIT_REFRESH_WINDOW`` (5 minutes by
default); access tokens live 15 minutes by default.
"""

import time
from datetime import timedelta

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.revocation import is_token_revoked, revoke_token
from tests.helpers import ALL_FLAVOURS, call, flavour_path
from tests.revocation_support import REVOKED

pytestmark = pytest.mark.django_db

ACCESS_COOKIES = ["access_token_cookie", "csrf_access_token"]
EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT"


@pytest.fixture
def cookies(settings):
    settings.JWT_TOKEN_LOCATION = ["cookies"]


def expiring(user, seconds=60, **kwargs):
    """An access token that expires in ``seconds`` (inside the default 300 s window)."""
    return create_access_token(user, expires_delta=timedelta(seconds=seconds), **kwargs)


def get_with_cookie(client, token, path="/api/protected", **kwargs):
    return call(client, path, token, "cookies", **kwargs)


def assert_replaced(response, old_token):
    """Check the response carries a valid new access cookie for the same identity."""
    assert sorted(response.cookies) == ACCESS_COOKIES
    cookie = response.cookies["access_token_cookie"]
    assert cookie["httponly"] is True
    assert not response.cookies["csrf_access_token"]["httponly"]
    old, new = decode_token(old_token), decode_token(cookie.value)
    assert new["jti"] != old["jti"]
    assert (new["type"], new["fresh"], new["sub"]) == ("access", False, old["sub"])
    assert new["exp"] > old["exp"]
    assert response.cookies["csrf_access_token"].value == new["csrf"]
    return cookie.value


# Replaced.


def test_expiring_cookie_is_replaced(client, cookies, user):
    old = expiring(user)

    response = get_with_cookie(client, old)

    assert response.status_code == 200
    new = assert_replaced(response, old)
    # The replacement is accepted, and is far from expiry: no further replacement.
    response = get_with_cookie(client, new)
    assert (response.status_code, response.json()["logged_in_as"]) == (200, "alice")
    assert not response.cookies


def test_fresh_expiring_cookie_is_replaced_by_a_non_fresh_one(client, cookies, user):
    old = expiring(user, fresh=True)
    response = get_with_cookie(client, old, flavour_path("sync", "fresh"))
    assert response.status_code == 200
    assert decode_token(old)["fresh"] is True
    assert_replaced(response, old)


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_every_view_flavour_gets_the_replacement(client, cookies, user, flavour):
    old = expiring(user)
    response = get_with_cookie(client, old, flavour_path(flavour))
    assert response.status_code == 200
    assert_replaced(response, old)


def test_unsafe_request_with_the_csrf_header_is_replaced(client, cookies, user):
    old = expiring(user)
    response = get_with_cookie(
        client, old, flavour_path("sync"), method="post", csrf=decode_token(old)["csrf"]
    )
    assert response.status_code == 200
    assert_replaced(response, old)


def test_replacement_carries_the_managers_additional_claims(client, cookies, user, manager):
    @manager.additional_claims_loader
    def add_claims(identity):
        return {"tenant": f"t-{identity}"}

    old = expiring(user)
    new = assert_replaced(get_with_cookie(client, old), old)
    # With a user lookup the loader receives the user, as it did at login.
    assert decode_token(new)["tenant"] == f"t-{user}" == decode_token(old)["tenant"]


def test_replacement_follows_the_cookie_settings(client, cookies, settings, user):
    settings.JWT_ACCESS_COOKIE_NAME = "at"
    settings.JWT_COOKIE_SECURE = True
    settings.JWT_COOKIE_SAMESITE = "Strict"
    old = expiring(user)
    client.cookies["at"] = old

    response = client.get("/api/protected")

    assert sorted(response.cookies) == ["at", "csrf_access_token"]
    for cookie in response.cookies.values():
        assert (cookie["secure"], cookie["samesite"]) == (True, "Strict")
    assert decode_token(response.cookies["at"].value)["sub"] == str(user.pk)


# Not replaced.


def test_cookie_outside_the_window_is_not_replaced(client, cookies, user):
    token = create_access_token(user)  # 15 minutes: outside the 5-minute window
    response = get_with_cookie(client, token)
    assert response.status_code == 200
    assert not response.cookies


@pytest.mark.parametrize("locations", [["headers"], ["headers", "cookies"]])
def test_header_token_never_gets_a_cookie(client, settings, user, locations):
    settings.JWT_TOKEN_LOCATION = locations
    token = expiring(user, seconds=5)
    response = call(client, "/api/protected", token, "headers")
    assert response.status_code == 200
    assert not response.cookies


@pytest.mark.parametrize("location", ["query_string", "json"])
def test_other_locations_never_get_a_cookie(client, settings, user, location):
    settings.JWT_TOKEN_LOCATION = [location]
    token = expiring(user, seconds=5)
    response = call(client, flavour_path("sync"), token, location, method="post")
    assert response.status_code == 200
    assert not response.cookies


def test_header_token_wins_over_an_expiring_cookie(client, settings, user):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    client.cookies["access_token_cookie"] = expiring(user)
    response = call(client, "/api/protected", create_access_token(user), "headers")
    assert response.status_code == 200
    assert not response.cookies


def test_unprotected_view_does_not_replace_the_cookie(client, cookies, user):
    client.cookies["access_token_cookie"] = expiring(user)
    response = client.get("/")
    assert response.status_code == 200
    assert not response.cookies


def test_optional_view_without_a_token_gets_no_cookie(client, cookies, user):
    response = client.get(flavour_path("sync", "optional"))
    assert (response.status_code, response.json()["identity"]) == (200, None)
    assert not response.cookies


def test_refresh_cookie_is_not_replaced_by_an_access_cookie(client, cookies, user):
    # A refresh token about to expire, on the views that accept it.
    refresh = create_refresh_token(user, expires_delta=timedelta(seconds=60))
    response = call(client, flavour_path("sync", "refresh"), refresh, "cookies", refresh=True)
    assert response.status_code == 200
    assert not response.cookies


def refused_by_expiry(client, user):
    return get_with_cookie(client, expiring(user, seconds=-10)), (401, "Token has expired")


def refused_by_revocation(client, user):
    token = expiring(user)
    revoke_token(token)
    return get_with_cookie(client, token), (401, REVOKED["msg"])


def refused_by_missing_csrf(client, user):
    response = get_with_cookie(client, expiring(user), flavour_path("sync"), method="post")
    return response, (401, "Missing CSRF token")


def refused_by_wrong_csrf(client, user):
    response = get_with_cookie(
        client, expiring(user), flavour_path("sync"), method="post", csrf="wrong"
    )
    return response, (401, "CSRF double submit tokens do not match")


def refused_for_freshness(client, user):
    response = get_with_cookie(client, expiring(user), flavour_path("sync", "fresh"))
    return response, (401, "Fresh token required")


def refused_user(client, user):
    token = expiring(user)
    user.is_active = False
    user.save()
    return get_with_cookie(client, token), (401, f"Error loading the user {user.pk}")


def refused_token_type(client, user):
    # A refresh token sent in the access cookie.
    token = create_refresh_token(user, expires_delta=timedelta(seconds=60))
    return get_with_cookie(client, token), (422, "Only non-refresh tokens are allowed")


REFUSALS = {
    "expired": refused_by_expiry,
    "revoked": refused_by_revocation,
    "missing-csrf": refused_by_missing_csrf,
    "wrong-csrf": refused_by_wrong_csrf,
    "not-fresh": refused_for_freshness,
    "inactive-user": refused_user,
    "refresh-type": refused_token_type,
}


@pytest.mark.parametrize("refuse", REFUSALS.values(), ids=REFUSALS.keys())
def test_refused_request_gets_no_cookie(client, cookies, user, refuse):
    response, (status, message) = refuse(client, user)
    assert (response.status_code, response.json()) == (status, {"msg": message})
    assert not response.cookies


# The endpoints.


@pytest.mark.parametrize("session_cookie", [True, False], ids=["session", "persistent"])
def test_logout_near_expiry_does_not_hand_out_a_new_access_cookie(
    csrf_client, settings, user, session_cookie
):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    settings.JWT_SESSION_COOKIE = session_cookie
    old = expiring(user)
    csrf_client.cookies["access_token_cookie"] = old

    response = csrf_client.post(
        reverse("django_jwt_ext:logout"), HTTP_X_CSRF_TOKEN=decode_token(old)["csrf"]
    )

    assert response.status_code == 200
    assert is_token_revoked(decode_token(old))
    # The logout's expired cookies must reach the browser, not a new session:
    # with a persistent cookie a replacement would keep the browser logged in.
    for name in ACCESS_COOKIES:
        cookie = response.cookies[name]
        assert (cookie.value, cookie["max-age"], cookie["expires"]) == ("", 0, EPOCH)
    assert csrf_client.get("/api/protected").status_code == 401


def test_logout_everywhere_near_expiry_leaves_no_valid_cookie(csrf_client, settings, user):
    # testproject's logout-everywhere view revokes every token issued up to
    # now; a replacement issued after it would escape that revocation.
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    old = expiring(user, fresh=True)
    csrf_client.cookies["access_token_cookie"] = old

    response = csrf_client.post(
        "/api/logout-everywhere", HTTP_X_CSRF_TOKEN=decode_token(old)["csrf"]
    )

    assert response.status_code == 200
    assert is_token_revoked(decode_token(old))
    # Whatever access cookie the browser now holds must be refused.
    assert csrf_client.get("/api/protected").status_code == 401


def test_refresh_endpoint_sets_one_access_cookie_only(csrf_client, settings, user):
    # The refresh endpoint's own new access cookie, not a second one from the middleware.
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    refresh = create_refresh_token(user, expires_delta=timedelta(seconds=60))
    csrf_client.cookies["refresh_token_cookie"] = refresh
    response = csrf_client.post(
        reverse("django_jwt_ext:refresh"), HTTP_X_CSRF_TOKEN=decode_token(refresh)["csrf"]
    )
    assert response.status_code == 200
    assert response.cookies["access_token_cookie"].value == response.json()["access_token"]


# The window setting.


@pytest.mark.parametrize(
    "window", [30, 30.0, timedelta(seconds=30)], ids=["int", "float", "timedelta"]
)
@pytest.mark.parametrize(("expires_in", "replaced"), [(20, True), (120, False)])
def test_window_accepts_seconds_and_a_timedelta(
    client, cookies, settings, user, window, expires_in, replaced
):
    settings.JWT_IMPLICIT_REFRESH_WINDOW = window
    old = expiring(user, seconds=expires_in)
    response = get_with_cookie(client, old)
    assert response.status_code == 200
    if replaced:
        assert_replaced(response, old)
    else:
        assert not response.cookies


def test_default_window_is_five_minutes(client, cookies, user):
    assert get_with_cookie(client, expiring(user, seconds=290)).cookies
    assert not get_with_cookie(client, expiring(user, seconds=320)).cookies


def test_zero_window_turns_implicit_refresh_off(client, cookies, settings, user):
    settings.JWT_IMPLICIT_REFRESH_WINDOW = 0
    response = get_with_cookie(client, expiring(user, seconds=2))
    assert response.status_code == 200
    assert not response.cookies


def test_window_longer_than_the_token_lifetime_replaces_every_cookie(
    client, cookies, settings, user
):
    settings.JWT_IMPLICIT_REFRESH_WINDOW = timedelta(hours=1)
    old = create_access_token(user, expires_delta=timedelta(minutes=10))
    new = assert_replaced(get_with_cookie(client, old), old)
    assert decode_token(new)["exp"] - time.time() > 14 * 60


def our_ids():
    return sorted(
        message.id for message in run_checks() if (message.id or "").startswith("django_jwt_ext.")
    )


@pytest.mark.parametrize(
    "value",
    [-5, -0.5, timedelta(seconds=-1), "300", None, True, [300]],
    ids=["negative", "negative-float", "negative-timedelta", "string", "none", "bool", "list"],
)
def test_bad_window_is_reported_by_e009(settings, value):
    settings.JWT_IMPLICIT_REFRESH_WINDOW = value
    assert our_ids() == ["django_jwt_ext.E009"]
    (message,) = [m for m in run_checks() if m.id == "django_jwt_ext.E009"]
    assert "JWT_IMPLICIT_REFRESH_WINDOW" in message.msg


@pytest.mark.parametrize(
    "value", [0, 300, 12.5, timedelta(minutes=2)], ids=["zero", "int", "float", "timedelta"]
)
def test_good_window_passes_the_checks(settings, value):
    settings.JWT_IMPLICIT_REFRESH_WINDOW = value
    assert our_ids() == []
