"""CSRF: the double-submit check for cookie-carried tokens, and Django's CsrfViewMiddleware."""

import json
from datetime import timedelta

import pytest

from django_jwt_ext import create_access_token, create_refresh_token, decode_token, get_csrf_token
from tests.helpers import DECORATED, assert_refused, call, flavour_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cookies_only(settings):
    settings.JWT_TOKEN_LOCATION = ["cookies"]


def assert_passed(response, token, location="cookies"):
    assert response.status_code == 200
    body = response.json()
    assert body["location"] == location
    assert body["claims"]["jti"] == decode_token(token)["jti"]


def send(client, flavour, token, method, variant="protected", **kwargs):
    return call(client, flavour_path(flavour, variant), token, "cookies", method=method, **kwargs)


# Which methods need the double-submit value.


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_csrf_methods_need_the_value(client, flavour, access_token, method):
    assert_refused(send(client, flavour, access_token, method), 401, "Missing CSRF token")
    response = send(client, flavour, access_token, method, csrf=get_csrf_token(access_token))
    assert_passed(response, access_token)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_csrf_mismatch(client, flavour, user, access_token, method):
    other = get_csrf_token(create_access_token(user))
    response = send(client, flavour, access_token, method, csrf=other)
    assert_refused(response, 401, "CSRF double submit tokens do not match")


def test_safe_methods_need_no_value(client, flavour, access_token):
    assert_passed(send(client, flavour, access_token, "get"), access_token)
    assert send(client, flavour, access_token, "head").status_code == 200


def test_custom_csrf_methods(client, flavour, settings, access_token):
    settings.JWT_CSRF_METHODS = ["GET"]
    assert_refused(send(client, flavour, access_token, "get"), 401, "Missing CSRF token")
    assert_passed(
        send(client, flavour, access_token, "get", csrf=get_csrf_token(access_token)), access_token
    )
    assert_passed(send(client, flavour, access_token, "post"), access_token)


def test_empty_csrf_header_is_missing(client, flavour, access_token):
    assert_refused(send(client, flavour, access_token, "post", csrf=""), 401, "Missing CSRF token")


def test_custom_access_csrf_header_name(client, flavour, settings, access_token):
    settings.JWT_ACCESS_CSRF_HEADER_NAME = "X-Double-Submit"
    value = get_csrf_token(access_token)
    client.cookies["access_token_cookie"] = access_token
    path = flavour_path(flavour)
    assert_refused(client.post(path, HTTP_X_CSRF_TOKEN=value), 401, "Missing CSRF token")
    assert_passed(client.post(path, HTTP_X_DOUBLE_SUBMIT=value), access_token)


# The value from a form field.


def test_form_field_when_check_form(client, flavour, settings, access_token):
    settings.JWT_CSRF_CHECK_FORM = True
    client.cookies["access_token_cookie"] = access_token
    path = flavour_path(flavour)
    assert_passed(client.post(path, {"csrf_token": get_csrf_token(access_token)}), access_token)
    assert_refused(
        client.post(path, {"csrf_token": "forged"}), 401, "CSRF double submit tokens do not match"
    )
    assert_refused(client.post(path, {"other": "x"}), 401, "Missing CSRF token")


def test_urlencoded_form_field_when_check_form(client, flavour, settings, access_token):
    settings.JWT_CSRF_CHECK_FORM = True
    client.cookies["access_token_cookie"] = access_token
    response = client.post(
        flavour_path(flavour),
        f"csrf_token={get_csrf_token(access_token)}",
        content_type="application/x-www-form-urlencoded",
    )
    assert_passed(response, access_token)


def test_header_wins_over_form_field(client, flavour, settings, access_token):
    settings.JWT_CSRF_CHECK_FORM = True
    client.cookies["access_token_cookie"] = access_token
    response = client.post(
        flavour_path(flavour),
        {"csrf_token": "forged"},
        HTTP_X_CSRF_TOKEN=get_csrf_token(access_token),
    )
    assert_passed(response, access_token)


def test_form_field_ignored_without_check_form(client, flavour, access_token):
    client.cookies["access_token_cookie"] = access_token
    response = client.post(flavour_path(flavour), {"csrf_token": get_csrf_token(access_token)})
    assert_refused(response, 401, "Missing CSRF token")


def test_custom_form_field_names(client, flavour, settings, access_token, refresh_token):
    settings.JWT_CSRF_CHECK_FORM = True
    settings.JWT_ACCESS_CSRF_FIELD_NAME = "access_csrf"
    settings.JWT_REFRESH_CSRF_FIELD_NAME = "refresh_csrf"
    client.cookies["access_token_cookie"] = access_token
    client.cookies["refresh_token_cookie"] = refresh_token
    access_value, refresh_value = get_csrf_token(access_token), get_csrf_token(refresh_token)
    path = flavour_path(flavour)
    assert_passed(client.post(path, {"access_csrf": access_value}), access_token)
    assert_refused(client.post(path, {"csrf_token": access_value}), 401, "Missing CSRF token")
    refresh_path = flavour_path(flavour, "refresh")
    assert_passed(client.post(refresh_path, {"refresh_csrf": refresh_value}), refresh_token)
    assert_refused(
        client.post(refresh_path, {"access_csrf": refresh_value}), 401, "Missing CSRF token"
    )


def test_broken_multipart_form_is_missing_csrf(client, flavour, settings, access_token):
    settings.JWT_CSRF_CHECK_FORM = True
    client.cookies["access_token_cookie"] = access_token
    response = client.generic(
        "POST",
        flavour_path(flavour),
        b"--nonsense",
        content_type="multipart/form-data; boundary=",
    )
    assert_refused(response, 401, "Missing CSRF token")


# Refresh cookies.


def test_refresh_cookie_uses_the_refresh_csrf_header(client, flavour, settings, refresh_token):
    settings.JWT_REFRESH_CSRF_HEADER_NAME = "X-CSRF-REFRESH"
    value = get_csrf_token(refresh_token)
    client.cookies["refresh_token_cookie"] = refresh_token
    path = flavour_path(flavour, "refresh")
    assert_refused(client.post(path, HTTP_X_CSRF_TOKEN=value), 401, "Missing CSRF token")
    assert_passed(client.post(path, HTTP_X_CSRF_REFRESH=value), refresh_token)
    # The access endpoint keeps the access header.
    access = create_access_token(decode_token(refresh_token)["sub"])
    client.cookies["access_token_cookie"] = access
    assert_refused(
        client.post(flavour_path(flavour), HTTP_X_CSRF_REFRESH=get_csrf_token(access)),
        401,
        "Missing CSRF token",
    )


def test_refresh_cookie_needs_its_own_value(client, flavour, access_token, refresh_token):
    client.cookies["access_token_cookie"] = access_token
    response = send(
        client,
        flavour,
        refresh_token,
        "post",
        "refresh",
        refresh=True,
        csrf=get_csrf_token(access_token),
    )
    assert_refused(response, 401, "CSRF double submit tokens do not match")
    response = send(
        client,
        flavour,
        refresh_token,
        "post",
        "refresh",
        refresh=True,
        csrf=get_csrf_token(refresh_token),
    )
    assert_passed(response, refresh_token)


# Constant-time comparison of odd values.


@pytest.mark.parametrize("value", ["é", "日本語", "\u00ff" * 40, "\x00", "a\u2028b"])
def test_non_ascii_csrf_header_is_a_mismatch(client, flavour, access_token, value):
    response = send(client, flavour, access_token, "post", csrf=value)
    assert_refused(response, 401, "CSRF double submit tokens do not match")


def test_non_ascii_csrf_claim_compares(client, flavour, user):
    token = create_access_token(user, additional_claims={"csrf": "jeton-été-日本"})
    assert_passed(send(client, flavour, token, "post", csrf="jeton-été-日本"), token)
    assert_refused(
        send(client, flavour, token, "post", csrf="jeton-ete-日本"),
        401,
        "CSRF double submit tokens do not match",
    )


@pytest.mark.parametrize("claim", [123, None, ["x"], {"a": "b"}])
def test_non_string_csrf_claim_never_matches(client, flavour, user, claim):
    token = create_access_token(user, additional_claims={"csrf": claim})
    response = send(client, flavour, token, "post", csrf=json.dumps(claim))
    assert_refused(response, 401, "CSRF double submit tokens do not match")


def test_token_without_csrf_claim(client, flavour, settings, user):
    settings.JWT_COOKIE_CSRF_PROTECT = False
    token = create_access_token(user)
    assert "csrf" not in decode_token(token)
    settings.JWT_COOKIE_CSRF_PROTECT = True
    assert_refused(send(client, flavour, token, "post"), 401, "Missing CSRF token")
    assert_refused(
        send(client, flavour, token, "post", csrf="anything"), 422, "Missing claim: csrf"
    )


def test_csrf_protect_off(client, flavour, settings, access_token):
    settings.JWT_COOKIE_CSRF_PROTECT = False
    assert_passed(send(client, flavour, access_token, "post"), access_token)
    assert_passed(send(client, flavour, access_token, "delete", csrf="ignored"), access_token)


def test_double_submit_only_for_cookies(client, flavour, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["headers"]
    response = call(client, flavour_path(flavour), access_token, "headers", method="post")
    assert_passed(response, access_token, "headers")


# Django's CsrfViewMiddleware (enforce_csrf_checks=True).


@pytest.mark.parametrize("location", ["headers", "query_string", "json"])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_jwt_credential_passes_django_csrf(
    csrf_client, flavour, settings, access_token, location, method
):
    settings.JWT_TOKEN_LOCATION = [location]
    response = call(csrf_client, flavour_path(flavour), access_token, location, method=method)
    assert_passed(response, access_token, location)


@pytest.mark.parametrize("variant", ["protected", "optional"])
def test_cookie_jwt_without_double_submit_gets_the_jwt_error(
    csrf_client, flavour, access_token, variant
):
    response = send(csrf_client, flavour, access_token, "post", variant)
    assert_refused(response, 401, "Missing CSRF token")


@pytest.mark.parametrize("variant", ["protected", "refresh"])
def test_cookie_jwt_with_double_submit_passes_django_csrf(csrf_client, flavour, user, variant):
    refresh = variant == "refresh"
    token = (create_refresh_token if refresh else create_access_token)(user)
    response = send(
        csrf_client, flavour, token, "post", variant, refresh=refresh, csrf=get_csrf_token(token)
    )
    assert_passed(response, token)


def test_cookie_jwt_with_wrong_double_submit(csrf_client, flavour, access_token):
    response = send(csrf_client, flavour, access_token, "post", csrf="forged")
    assert_refused(response, 401, "CSRF double submit tokens do not match")


@pytest.mark.parametrize("flavour", DECORATED)
def test_no_token_with_django_csrf_token_passes(csrf_client, settings, flavour):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    django_token = "a" * 32  # a valid CSRF secret, sent as cookie and header
    csrf_client.cookies["csrftoken"] = django_token
    response = csrf_client.post(flavour_path(flavour, "optional"), HTTP_X_CSRFTOKEN=django_token)
    assert response.status_code == 200
    assert response.json()["location"] is None


def test_token_does_not_lift_django_csrf_from_unprotected_views(csrf_client, access_token):
    response = csrf_client.post("/admin/login/", HTTP_AUTHORIZATION=f"Bearer {access_token}")
    assert response.status_code == 403
    assert b"CSRF" in response.content


def test_refused_token_is_answered_by_the_view_not_django_csrf(csrf_client, flavour, settings):
    settings.JWT_TOKEN_LOCATION = ["headers"]
    response = csrf_client.post(flavour_path(flavour), HTTP_AUTHORIZATION="Bearer not-a-jwt")
    assert_refused(response, 422, "Not enough segments")


@pytest.mark.urls("tests.test_errors")
def test_options_is_exempt(csrf_client, flavour, settings, access_token):
    settings.JWT_CSRF_METHODS = ["OPTIONS", "POST"]
    csrf_client.cookies["access_token_cookie"] = access_token
    response = csrf_client.options(f"/options/{flavour}")
    assert response.status_code == 200
    assert response.json() == {"ran": True, "claims": {}, "location": None}
    assert_refused(csrf_client.post(f"/options/{flavour}"), 401, "Missing CSRF token")


# The order of checks: the double submit is judged before expiry, as in flask.


def test_expired_cookie_token_with_a_wrong_csrf_value_is_a_csrf_error(client, flavour, user):
    expired = create_access_token(user, expires_delta=timedelta(seconds=-10))
    wrong = send(client, flavour, expired, "post", csrf="forged")
    assert_refused(wrong, 401, "CSRF double submit tokens do not match")
    right = send(client, flavour, expired, "post", csrf=get_csrf_token_of_expired(expired))
    assert_refused(right, 401, "Token has expired")


def get_csrf_token_of_expired(token):
    return decode_token(token, allow_expired=True)["csrf"]
