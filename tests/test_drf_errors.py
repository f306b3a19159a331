"""Refusals flow through Django REST framework's exception handling.

A project's ``EXCEPTION_HANDLER`` sees a ``JWTAPIException`` for every kind
of refusal, from the authentication/permission classes and from
``@jwt_required`` alike; DRF's default handler keeps the status codes and
``{"msg": ...}`` bodies of DESIGN.md 3.2; ``django_jwt_ext.drf_errors.exception_handler``
returns a custom loader's response exactly.
"""

from datetime import timedelta

import pytest
from django.http import HttpResponse, JsonResponse
from rest_framework.request import Request
from rest_framework.test import APIClient
from rest_framework.views import exception_handler as drf_exception_handler

from django_jwt_ext import create_access_token, create_refresh_token
from django_jwt_ext.drf_errors import JWTAPIException, exception_handler
from django_jwt_ext.exceptions import (
    CSRFError,
    ExpiredSignatureError,
    FreshTokenRequired,
    InvalidHeaderError,
    InvalidQueryParamError,
    JWTDecodeError,
    NoAuthorizationError,
    RevokedTokenError,
    UserClaimsVerificationError,
    UserLookupError,
    WrongTokenError,
)
from django_jwt_ext.tokens import encode_jwt
from tests.helpers import DRF_FLAVOURS, call, flavour_path

OTHER_SECRET = "other-secret-0123456789abcdef0123456789abcdef0123456789abcdef0123"
CHALLENGE = 'Bearer realm="api"'

# What the recording handlers received: (exception, context) pairs.
RECEIVED = []


def recording_drf_handler(exc, context):
    """Record, then delegate to DRF's default handler."""
    RECEIVED.append((exc, context))
    return drf_exception_handler(exc, context)


def recording_jwt_ext_handler(exc, context):
    """Record, then delegate to django_jwt_ext's handler."""
    RECEIVED.append((exc, context))
    return exception_handler(exc, context)


HANDLERS = {
    "drf-default": f"{__name__}.recording_drf_handler",
    "jwt-ext": f"{__name__}.recording_jwt_ext_handler",
}


@pytest.fixture(params=list(HANDLERS))
def handler(request, settings):
    """Install a recording EXCEPTION_HANDLER; DRF reloads its settings on the change."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "EXCEPTION_HANDLER": HANDLERS[request.param],
    }
    RECEIVED.clear()
    yield request.param
    RECEIVED.clear()


@pytest.fixture
def drf_default_handler(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "EXCEPTION_HANDLER": HANDLERS["drf-default"],
    }
    RECEIVED.clear()
    yield
    RECEIVED.clear()


# Kind -> (variant, status, message, error class); prepare() builds the request.
REFUSALS = {
    "missing": ("protected", 401, "Missing Authorization Header", NoAuthorizationError),
    "malformed-header": (
        "protected",
        422,
        "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'",
        InvalidHeaderError,
    ),
    "malformed-query": (
        "query-only",
        422,
        "Invalid value for query parameter 'jwt'. Expected the value to start with 'Bearer '",
        InvalidQueryParamError,
    ),
    "bad-signature": ("protected", 422, "Signature verification failed", JWTDecodeError),
    "not-a-jwt": ("protected", 422, "Not enough segments", JWTDecodeError),
    "refresh-as-access": ("protected", 422, "Only non-refresh tokens are allowed", WrongTokenError),
    "access-as-refresh": ("refresh", 422, "Only refresh tokens are allowed", WrongTokenError),
    "expired": ("protected", 401, "Token has expired", ExpiredSignatureError),
    "csrf-missing": ("protected", 401, "Missing CSRF token", CSRFError),
    "csrf-mismatch": ("protected", 401, "CSRF double submit tokens do not match", CSRFError),
    "revoked": ("protected", 401, "Token has been revoked", RevokedTokenError),
    "not-fresh": ("fresh", 401, "Fresh token required", FreshTokenRequired),
    "unknown-user": ("protected", 401, "Error loading the user 424242", UserLookupError),
    "inactive-user": ("protected", 401, "Error loading the user {pk}", UserLookupError),
    "verification-failed": (
        "protected",
        400,
        "User claims verification failed",
        UserClaimsVerificationError,
    ),
}


def prepare(kind, settings, manager, user):
    """Set the scene for ``kind``; return the arguments of helpers.call()."""
    token = create_access_token(user)
    if kind == "missing":
        return {}
    if kind == "malformed-header":
        return {"HTTP_AUTHORIZATION": "Bearer a b"}
    if kind == "malformed-query":
        settings.JWT_QUERY_STRING_VALUE_PREFIX = "Bearer "
        return {"token": token, "location": "query_string"}
    if kind == "bad-signature":
        return {
            "token": encode_jwt(
                identity=str(user.pk), token_type="access", key=OTHER_SECRET, algorithm="HS256"
            )
        }
    if kind == "not-a-jwt":
        return {"token": "not-a-jwt"}
    if kind == "refresh-as-access":
        return {"token": create_refresh_token(user)}
    if kind == "expired":
        return {"token": create_access_token(user, expires_delta=timedelta(seconds=-5))}
    if kind in ("csrf-missing", "csrf-mismatch"):
        settings.JWT_TOKEN_LOCATION = ["cookies"]
        csrf = "forged" if kind == "csrf-mismatch" else None
        return {"token": token, "location": "cookies", "method": "post", "csrf": csrf}
    if kind == "revoked":
        manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: True)
    elif kind == "unknown-user":
        token = create_access_token("424242")
    elif kind == "inactive-user":
        user.is_active = False
        user.save()
    elif kind == "verification-failed":
        manager.token_verification_loader(lambda jwt_header, jwt_data: False)
    return {"token": token}


@pytest.fixture
def client():
    # Django's CSRF checks enforced, as a browser meets them.
    return APIClient(enforce_csrf_checks=True)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(REFUSALS))
@pytest.mark.parametrize("flavour", DRF_FLAVOURS)
def test_every_refusal_reaches_the_exception_handler(
    client, settings, manager, user, handler, flavour, kind
):
    variant, status, message, error_class = REFUSALS[kind]
    message = message.format(pk=user.pk)
    response = call(
        client, flavour_path(flavour, variant), **prepare(kind, settings, manager, user)
    )

    assert (response.status_code, response.json()) == (status, {"msg": message})
    if status == 401:
        assert response["WWW-Authenticate"] == CHALLENGE
    else:
        assert not response.has_header("WWW-Authenticate")

    assert len(RECEIVED) == 1
    exc, context = RECEIVED[0]
    assert isinstance(exc, JWTAPIException)
    assert isinstance(exc.error, error_class)
    assert str(exc.error) != "" and exc.status_code == status
    assert isinstance(context["request"], Request)
    assert context["view"] is not None


@pytest.mark.django_db
@pytest.mark.parametrize("flavour", DRF_FLAVOURS)
def test_handler_sees_nothing_on_success(client, user, handler, flavour):
    response = call(client, flavour_path(flavour), create_access_token(user))
    assert response.status_code == 200
    assert RECEIVED == []


@pytest.mark.django_db
@pytest.mark.parametrize("flavour", DRF_FLAVOURS)
def test_error_message_key_is_kept_by_drf_default_handler(
    client, settings, drf_default_handler, flavour
):
    settings.JWT_ERROR_MESSAGE_KEY = "error"
    response = client.get(flavour_path(flavour))
    assert (response.status_code, response.json()) == (
        401,
        {"error": "Missing Authorization Header"},
    )


# A custom loader's response.


def expired_response(jwt_header, jwt_data):
    response = JsonResponse(
        {"msg": "Token expired, refresh it", "sub": jwt_data["sub"]}, status=419
    )
    response["X-Token-Expired"] = "yes"
    response.set_cookie("expired_hint", "refresh", max_age=60)
    return response


@pytest.fixture
def expired_token(manager, user):
    manager.expired_token_loader(expired_response)
    return create_access_token(user, expires_delta=timedelta(seconds=-5))


@pytest.mark.django_db
@pytest.mark.parametrize("flavour", DRF_FLAVOURS)
def test_jwt_ext_handler_returns_the_loader_response_exactly(
    client, settings, user, expired_token, flavour
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "EXCEPTION_HANDLER": "django_jwt_ext.drf_errors.exception_handler",
    }
    response = call(client, flavour_path(flavour), expired_token)
    assert response.status_code == 419
    assert response.json() == {"msg": "Token expired, refresh it", "sub": str(user.pk)}
    assert response["Content-Type"] == "application/json"
    assert response["X-Token-Expired"] == "yes"
    assert response.cookies["expired_hint"].value == "refresh"
    assert response.cookies["expired_hint"]["max-age"] == 60


@pytest.mark.django_db
@pytest.mark.parametrize("flavour", DRF_FLAVOURS)
def test_drf_default_handler_keeps_the_loader_status_and_body(
    client, user, expired_token, drf_default_handler, flavour
):
    response = call(client, flavour_path(flavour), expired_token)
    assert response.status_code == 419
    assert response.json() == {"msg": "Token expired, refresh it", "sub": str(user.pk)}
    exc = RECEIVED[0][0]
    assert isinstance(exc.error, ExpiredSignatureError)
    assert exc.response["X-Token-Expired"] == "yes"


@pytest.mark.django_db
@pytest.mark.parametrize("flavour", DRF_FLAVOURS)
def test_jwt_ext_handler_returns_a_non_json_loader_response(client, settings, manager, flavour):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "EXCEPTION_HANDLER": "django_jwt_ext.drf_errors.exception_handler",
    }
    manager.unauthorized_loader(
        lambda reason: HttpResponse(f"go away: {reason}", status=401, content_type="text/plain")
    )
    response = client.get(flavour_path(flavour))
    assert (response.status_code, response["Content-Type"]) == (401, "text/plain")
    assert response.content == b"go away: Missing Authorization Header"


@pytest.mark.django_db
@pytest.mark.parametrize("flavour", DRF_FLAVOURS)
def test_drf_default_handler_keeps_a_non_json_loader_text(
    client, manager, drf_default_handler, flavour
):
    manager.unauthorized_loader(
        lambda reason: HttpResponse("go away", status=401, content_type="text/plain")
    )
    response = client.get(flavour_path(flavour))
    assert (response.status_code, response.json()) == (401, {"detail": "go away"})


@pytest.mark.django_db
@pytest.mark.parametrize("flavour", DRF_FLAVOURS)
def test_loader_response_without_challenge_gets_none_from_drf(
    client, manager, drf_default_handler, flavour
):
    manager.unauthorized_loader(lambda reason: JsonResponse({"msg": reason}, status=401))
    response = client.get(flavour_path(flavour))
    assert (response.status_code, response.json()) == (401, {"msg": "Missing Authorization Header"})
    assert not response.has_header("WWW-Authenticate")


# The exception class itself.


def test_api_exception_carries_the_loader_response(settings):
    from django_jwt_ext.drf_errors import api_exception

    exc = api_exception(NoAuthorizationError("Missing Authorization Header"))
    assert (exc.status_code, exc.detail, exc.auth_header) == (
        401,
        {"msg": "Missing Authorization Header"},
        CHALLENGE,
    )
    assert exc.response.status_code == 401


def test_api_exception_without_body_falls_back_to_the_message(manager):
    from django_jwt_ext.drf_errors import api_exception

    manager.invalid_token_loader(lambda reason: HttpResponse(status=422))
    exc = api_exception(JWTDecodeError("Not enough segments"))
    assert (exc.status_code, exc.detail, exc.auth_header) == (
        422,
        {"msg": "Not enough segments"},
        None,
    )


def test_jwt_ext_handler_delegates_other_exceptions_to_drf():
    from rest_framework.exceptions import NotFound

    response = exception_handler(NotFound(), {"view": None, "request": None})
    assert (response.status_code, response.data) == (404, {"detail": "Not found."})
    assert exception_handler(ValueError("boom"), {}) is None
