"""Every row of DESIGN 3.2 through HTTP, on every view flavour and token location.

A refused request gets ``{JWT_ERROR_MESSAGE_KEY: message}`` with
flask-jwt-extended's status; a 401 carries a ``WWW-Authenticate`` challenge.
"""

import base64
import json
import time
import uuid
from datetime import timedelta

import jwt as pyjwt
import pytest
from django.http import JsonResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from django_jwt_ext import (
    averify_jwt_in_request,
    create_access_token,
    create_refresh_token,
    decode_token,
    get_csrf_token,
    get_jwt,
    get_jwt_request_location,
    jwt_required,
    verify_jwt_in_request,
)
from django_jwt_ext.mixins import JWTRequiredMixin
from django_jwt_ext.revocation import revoke_token
from testproject.flavours import async_csrf_exempt
from tests.conftest import SECRET
from tests.helpers import HAS_NINJA, assert_refused, call, flavour_path

pytestmark = pytest.mark.django_db


# What each location reports when it holds no access token.
NO_TOKEN = {
    "headers": "Missing Authorization Header",
    "cookies": 'Missing cookie "access_token_cookie"',
    "query_string": "Missing 'jwt' query paramater",
    "json": "Invalid content-type. Must be application/json.",
}


def send(client, flavour, variant="protected", token=None, location="headers", **kwargs):
    """Request a flavour view with ``token`` in ``location``; JSON bodies go by POST."""
    kwargs.setdefault("method", "post" if location == "json" else "get")
    return call(client, flavour_path(flavour, variant), token, location, **kwargs)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(identity, *, drop=(), key=SECRET, algorithm="HS256", headers=None, **claims):
    """Sign a token with the standard claims, ``claims`` merged in, ``drop`` removed."""
    now = int(time.time())
    payload = {
        "fresh": False,
        "iat": now,
        "jti": str(uuid.uuid4()),
        "type": "access",
        "sub": identity,
        "nbf": now,
        "csrf": str(uuid.uuid4()),
        "exp": now + 900,
    }
    payload.update(claims)
    for name in drop:
        del payload[name]
    return pyjwt.encode(payload, key, algorithm=algorithm, headers=headers)


def tamper(token):
    """Change the identity of a signed token and keep the old signature."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "mallory"
    return ".".join([header, b64(json.dumps(claims).encode()), signature])


# No token.


def test_no_token_single_location(client, flavour, location):
    response = send(client, flavour, location=location)
    assert_refused(response, 401, NO_TOKEN[location])


def test_no_token_json_body_without_key(client, flavour, settings):
    settings.JWT_TOKEN_LOCATION = ["json"]
    response = client.post(
        flavour_path(flavour), data={"other": "value"}, content_type="application/json"
    )
    assert_refused(response, 401, 'Missing "access_token" key in json data.')


def test_no_refresh_token_names_the_refresh_cookie_and_key(client, flavour, settings):
    settings.JWT_TOKEN_LOCATION = ["cookies", "json"]
    response = client.post(
        flavour_path(flavour, "refresh"),
        data={"access_token": "x"},
        content_type="application/json",
    )
    assert_refused(
        response,
        401,
        'Missing JWT in cookies or json (Missing cookie "refresh_token_cookie"; '
        'Missing "refresh_token" key in json data.)',
    )


@pytest.mark.parametrize(
    "locations",
    [
        ["headers", "cookies", "query_string", "json"],
        ["json", "query_string", "cookies", "headers"],
        ["cookies", "headers"],
    ],
)
def test_no_token_several_locations(client, flavour, settings, locations):
    settings.JWT_TOKEN_LOCATION = locations
    response = client.get(flavour_path(flavour))
    reasons = "; ".join(NO_TOKEN[name] for name in locations)
    head = ", ".join(locations[:-1])
    assert_refused(response, 401, f"Missing JWT in {head} or {locations[-1]} ({reasons})")


# Malformed carriers.


@pytest.mark.parametrize("value", ["Bearer", "Bearer a b", "Bearer  a  b  c"])
def test_malformed_header(client, flavour, value):
    response = client.get(flavour_path(flavour), HTTP_AUTHORIZATION=value)
    assert_refused(
        response, 422, "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"
    )


def test_bad_query_string_prefix(client, flavour, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["query_string"]
    settings.JWT_QUERY_STRING_VALUE_PREFIX = "Bearer "
    response = send(client, flavour, token=access_token, location="query_string")
    assert_refused(
        response,
        422,
        "Invalid value for query parameter 'jwt'. Expected the value to start with 'Bearer '",
    )


# Tokens PyJWT refuses: 422 with PyJWT's message.

INVALID_TOKENS = {
    "undecodable": (lambda user: "not-a-jwt", {}, "Not enough segments"),
    "garbage segments": (lambda user: "a.b.c", {}, "Invalid header padding"),
    "tampered": (
        lambda user: tamper(create_access_token(user)),
        {},
        "Signature verification failed",
    ),
    "other key": (
        lambda user: forge(str(user.pk), key=SECRET[::-1]),
        {},
        "Signature verification failed",
    ),
    "disallowed alg": (
        lambda user: forge(str(user.pk), algorithm="HS512"),
        {},
        "The specified alg value is not allowed",
    ),
    "bad audience": (
        lambda user: forge(str(user.pk), aud="someone-else"),
        {"JWT_DECODE_AUDIENCE": "our-api"},
        "Audience doesn't match",
    ),
    "missing audience": (
        lambda user: forge(str(user.pk)),
        {"JWT_DECODE_AUDIENCE": "our-api"},
        'Token is missing the "aud" claim',
    ),
    "bad issuer": (
        lambda user: forge(str(user.pk), iss="someone-else"),
        {"JWT_DECODE_ISSUER": "us"},
        "Invalid issuer",
    ),
    "nbf in the future": (
        lambda user: forge(str(user.pk), nbf=int(time.time()) + 600),
        {},
        "The token is not yet valid (nbf)",
    ),
    "iat in the future": (
        lambda user: forge(str(user.pk), iat=int(time.time()) + 600),
        {},
        "The token is not yet valid (iat)",
    ),
    "non-string sub": (
        lambda user: forge(user.pk),
        {},
        "Subject must be a string",
    ),
    "exp not a number": (
        lambda user: forge(str(user.pk), exp="tomorrow"),
        {},
        "Expiration Time claim (exp) must be an integer.",
    ),
    "missing identity claim": (
        lambda user: forge(str(user.pk), drop=["sub"]),
        {},
        "Missing claim: sub",
    ),
    "missing custom identity claim": (
        lambda user: forge(str(user.pk)),
        {"JWT_IDENTITY_CLAIM": "identity"},
        "Missing claim: identity",
    ),
}


@pytest.mark.parametrize("case", INVALID_TOKENS)
def test_invalid_token(client, flavour, location, settings, user, case):
    make, overrides, message = INVALID_TOKENS[case]
    for name, value in overrides.items():
        setattr(settings, name, value)
    response = send(client, flavour, token=make(user), location=location)
    assert_refused(response, 422, message)


def test_refresh_token_where_access_token_is_required(client, flavour, location, refresh_token):
    response = send(client, flavour, token=refresh_token, location=location)
    assert_refused(response, 422, "Only non-refresh tokens are allowed")


def test_access_token_where_refresh_token_is_required(client, flavour, location, access_token):
    response = send(client, flavour, "refresh", access_token, location, refresh=True)
    assert_refused(response, 422, "Only refresh tokens are allowed")


@pytest.mark.parametrize(("variant", "refresh"), [("protected", False), ("refresh", True)])
def test_expired_token(client, flavour, location, user, variant, refresh):
    make = create_refresh_token if refresh else create_access_token
    token = make(user, expires_delta=timedelta(seconds=-10))
    response = send(client, flavour, variant, token, location, refresh=refresh)
    assert_refused(response, 401, "Token has expired")


def test_expired_token_within_leeway_passes(client, flavour, location, settings, user):
    settings.JWT_DECODE_LEEWAY = 60
    token = create_access_token(user, expires_delta=timedelta(seconds=-10))
    response = send(client, flavour, token=token, location=location)
    assert response.status_code == 200


# CSRF double submit: cookies only.


def test_csrf_missing(client, flavour, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    response = send(client, flavour, token=access_token, location="cookies", method="post")
    assert_refused(response, 401, "Missing CSRF token")


def test_csrf_mismatch(client, flavour, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    response = send(
        client, flavour, token=access_token, location="cookies", method="post", csrf="forged"
    )
    assert_refused(response, 401, "CSRF double submit tokens do not match")


def test_csrf_match_passes(client, flavour, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    response = send(
        client,
        flavour,
        token=access_token,
        location="cookies",
        method="post",
        csrf=get_csrf_token(access_token),
    )
    assert response.status_code == 200
    assert response.json()["location"] == "cookies"


# Revocation.


def test_revoked_token(client, flavour, location, manager, access_token):
    seen = []

    @manager.token_in_blocklist_loader
    def revoked(jwt_header, jwt_data):
        seen.append((jwt_header, jwt_data))
        return True

    response = send(client, flavour, token=access_token, location=location)
    assert_refused(response, 401, "Token has been revoked")
    assert seen == [(pyjwt.get_unverified_header(access_token), decode_token(access_token))]


def test_blocklist_judges_each_token(client, flavour, location, manager, user):
    revoked_token, good_token = create_access_token(user), create_access_token(user)
    revoked_jti = decode_token(revoked_token)["jti"]
    manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: jwt_data["jti"] == revoked_jti)
    assert_refused(
        send(client, flavour, token=revoked_token, location=location), 401, "Token has been revoked"
    )
    client.cookies.clear()
    assert send(client, flavour, token=good_token, location=location).status_code == 200


def test_revoked_by_the_builtin_store(client, flavour, location, user, access_token):
    revoke_token(access_token)
    assert_refused(
        send(client, flavour, token=access_token, location=location), 401, "Token has been revoked"
    )
    client.cookies.clear()
    response = send(client, flavour, "no-revocation-check", access_token, location)
    assert response.status_code == 200


def test_skip_revocation_check(client, flavour, location, manager, access_token):
    manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: True)
    response = send(client, flavour, "no-revocation-check", access_token, location)
    assert response.status_code == 200


# Freshness.


@pytest.mark.parametrize(
    ("fresh", "status"),
    [
        (False, 401),
        (True, 200),
        (timedelta(minutes=5), 200),
        (timedelta(seconds=-5), 401),
    ],
    ids=["not-fresh", "fresh", "fresh-for-a-while", "freshness-past"],
)
def test_fresh_token_required(client, flavour, location, user, fresh, status):
    token = create_access_token(user, fresh=fresh)
    response = send(client, flavour, "fresh", token, location)
    if status == 401:
        assert_refused(response, 401, "Fresh token required")
    else:
        assert response.status_code == 200
        assert response.json()["claims"]["fresh"] == decode_token(token)["fresh"]


def test_non_fresh_token_passes_where_freshness_is_not_required(client, flavour, location, user):
    response = send(
        client, flavour, token=create_access_token(user, fresh=False), location=location
    )
    assert response.status_code == 200


# User lookup.


def test_unknown_user(client, flavour, location, user):
    token = create_access_token("424242")
    response = send(client, flavour, token=token, location=location)
    assert_refused(response, 401, "Error loading the user 424242")


def test_inactive_user(client, flavour, location, user, access_token):
    user.is_active = False
    user.save()
    response = send(client, flavour, token=access_token, location=location)
    assert_refused(response, 401, f"Error loading the user {user.pk}")


def test_deleted_user(client, flavour, location, user, access_token):
    pk = user.pk
    user.delete()
    response = send(client, flavour, token=access_token, location=location)
    assert_refused(response, 401, f"Error loading the user {pk}")


def test_user_lookup_loader_returning_none(client, flavour, location, manager, access_token):
    manager.user_lookup_loader(lambda jwt_header, jwt_data: None)
    response = send(client, flavour, token=access_token, location=location)
    assert_refused(response, 401, f"Error loading the user {decode_token(access_token)['sub']}")


# Custom verification.


def test_token_verification_loader_refuses(client, flavour, location, manager, access_token):
    seen = []

    @manager.token_verification_loader
    def verify(jwt_header, jwt_data):
        seen.append(jwt_data)
        return False

    response = send(client, flavour, token=access_token, location=location)
    assert_refused(response, 400, "User claims verification failed")
    assert seen == [decode_token(access_token)]


def test_token_verification_loader_accepts(client, flavour, location, manager, access_token):
    manager.token_verification_loader(lambda jwt_header, jwt_data: jwt_data["type"] == "access")
    response = send(client, flavour, token=access_token, location=location)
    assert response.status_code == 200


# The order of the checks: decode, type, fresh, revoked, custom verification, user.


def test_expired_before_revoked(client, flavour, user):
    token = create_access_token(user, expires_delta=timedelta(seconds=-10))
    revoke_token(token)
    assert_refused(send(client, flavour, token=token), 401, "Token has expired")


def test_type_before_freshness(client, flavour, user):
    response = send(client, flavour, "fresh", create_refresh_token(user))
    assert_refused(response, 422, "Only non-refresh tokens are allowed")


@pytest.mark.parametrize("store", ["builtin", "loader"])
def test_freshness_before_revocation(client, flavour, manager, user, store):
    token = create_access_token(user, fresh=False)
    if store == "builtin":
        revoke_token(token)
    else:
        manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: True)
    assert_refused(send(client, flavour, "fresh", token), 401, "Fresh token required")


@pytest.mark.parametrize("store", ["builtin", "loader"])
def test_revocation_before_verification_and_user(
    client, flavour, manager, user, access_token, store
):
    if store == "builtin":
        revoke_token(access_token)
    else:
        manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: True)
    manager.token_verification_loader(lambda jwt_header, jwt_data: False)
    user.is_active = False
    user.save()
    assert_refused(send(client, flavour, token=access_token), 401, "Token has been revoked")


def test_verification_before_user(client, flavour, manager, user, access_token):
    manager.token_verification_loader(lambda jwt_header, jwt_data: False)
    user.delete()
    assert_refused(
        send(client, flavour, token=access_token), 400, "User claims verification failed"
    )


# The message key.


def test_error_message_key(client, flavour, settings, manager, user):
    settings.JWT_ERROR_MESSAGE_KEY = "error"
    assert_refused(client.get(flavour_path(flavour)), 401, NO_TOKEN["headers"], key="error")
    assert_refused(send(client, flavour, token="x"), 422, "Not enough segments", key="error")
    expired = create_access_token(user, expires_delta=timedelta(seconds=-1))
    assert_refused(send(client, flavour, token=expired), 401, "Token has expired", key="error")
    manager.token_verification_loader(lambda jwt_header, jwt_data: False)
    response = send(client, flavour, token=create_access_token(user))
    assert_refused(response, 400, "User claims verification failed", key="error")


# Success.


def test_success(client, flavour, location, user, access_token):
    response = send(client, flavour, token=access_token, location=location)
    assert response.status_code == 200
    assert response.json() == {
        "identity": str(user.pk),
        "claims": decode_token(access_token),
        "header": pyjwt.get_unverified_header(access_token),
        "location": location,
        "user": "alice",
        "request_user": "alice",
    }


def test_refresh_success(client, flavour, location, user, refresh_token):
    response = send(client, flavour, "refresh", refresh_token, location, refresh=True)
    assert response.status_code == 200
    body = response.json()
    assert body["claims"] == decode_token(refresh_token)
    assert body["claims"]["type"] == "refresh"
    assert (body["location"], body["request_user"]) == (location, "alice")


@pytest.mark.parametrize("maker", [create_access_token, create_refresh_token])
def test_any_type(client, flavour, location, user, maker):
    token = maker(user)
    response = send(client, flavour, "any-type", token, location)
    assert response.status_code == 200
    assert response.json()["claims"]["jti"] == decode_token(token)["jti"]


def test_optional_without_token(client, flavour, location):
    response = send(client, flavour, "optional", location=location)
    assert response.status_code == 200
    assert response.json() == {
        "identity": None,
        "claims": {},
        "header": {},
        "location": None,
        "user": None,
        "request_user": None,
    }


def test_optional_with_token(client, flavour, location, user, access_token):
    response = send(client, flavour, "optional", access_token, location)
    assert response.status_code == 200
    body = response.json()
    assert (body["identity"], body["location"], body["request_user"]) == (
        str(user.pk),
        location,
        "alice",
    )


def test_optional_with_invalid_token_is_refused(client, flavour, location):
    response = send(client, flavour, "optional", "not-a-jwt", location)
    assert_refused(response, 422, "Not enough segments")


def test_optional_with_expired_token_is_refused(client, flavour, location, user):
    token = create_access_token(user, expires_delta=timedelta(seconds=-10))
    response = send(client, flavour, "optional", token, location)
    assert_refused(response, 401, "Token has expired")


# OPTIONS (CORS preflight) is exempt, as in flask-jwt-extended. In these views
# the decorated handler itself answers OPTIONS (a class-based view's default
# options() would bypass the decorator).


def preflight(request):
    return JsonResponse(
        {"ran": True, "claims": get_jwt(request), "location": get_jwt_request_location(request)}
    )


guard = jwt_required()


@guard
def sync_view(request):
    return preflight(request)


@guard
async def async_view(request):
    return preflight(request)


class MethodView(View):
    @guard
    def get(self, request):
        return preflight(request)

    options = post = get


@method_decorator(guard, name="dispatch")
class DispatchView(View):
    def get(self, request):
        return preflight(request)

    options = post = get


class AsyncMethodView(View):
    @guard
    async def get(self, request):
        return preflight(request)

    options = post = get


@method_decorator(guard, name="dispatch")
class AsyncDispatchView(View):
    async def get(self, request):
        return preflight(request)

    options = post = get


class MixinView(JWTRequiredMixin, View):
    def get(self, request):
        return preflight(request)

    options = post = get


class AsyncMixinView(JWTRequiredMixin, View):
    async def get(self, request):
        return preflight(request)

    options = post = get


@csrf_exempt
def manual_view(request):
    verify_jwt_in_request(request)
    return preflight(request)


@async_csrf_exempt
async def async_manual_view(request):
    await averify_jwt_in_request(request)
    return preflight(request)


OPTIONS_VIEWS = {
    "sync": sync_view,
    "async": async_view,
    "cbv": MethodView.as_view(),
    "dispatch": DispatchView.as_view(),
    "async-cbv": AsyncMethodView.as_view(),
    "async-dispatch": AsyncDispatchView.as_view(),
    "mixin": MixinView.as_view(),
    "async-mixin": AsyncMixinView.as_view(),
    "manual": manual_view,
    "async-manual": async_manual_view,
}

urlpatterns = [path(f"options/{name}", view) for name, view in OPTIONS_VIEWS.items()]

if HAS_NINJA:
    from ninja import NinjaAPI

    from django_jwt_ext.ninja import JWTAuth, add_error_handler

    options_api = NinjaAPI(auth=JWTAuth(), urls_namespace="options", docs_url=None)
    add_error_handler(options_api)

    @options_api.api_operation(["GET", "POST", "OPTIONS"], "/ninja-sync")
    def ninja_sync_view(request):
        return preflight(request)

    @options_api.api_operation(["GET", "POST", "OPTIONS"], "/ninja-async")
    async def ninja_async_view(request):
        return preflight(request)

    urlpatterns.append(path("options/", options_api.urls))


@pytest.mark.urls("tests.test_errors")
@pytest.mark.parametrize("token", [None, "not-a-jwt"], ids=["no-token", "bad-token"])
def test_options_is_exempt(client, flavour, token):
    extra = {} if token is None else {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.options(f"/options/{flavour}", **extra)
    assert response.status_code == 200
    assert response.json() == {"ran": True, "claims": {}, "location": None}
    # The same views refuse other methods.
    status, message = (401, NO_TOKEN["headers"]) if token is None else (422, "Not enough segments")
    assert_refused(client.get(f"/options/{flavour}", **extra), status, message)


@pytest.mark.parametrize("variant", ["protected", "fresh", "refresh", "query-only"])
def test_options_on_the_flavour_views(client, flavour, variant):
    """A CORS preflight carries no token and must not be refused."""
    response = client.options(flavour_path(flavour, variant), HTTP_ORIGIN="https://example.org")
    assert response.status_code == 200
