"""Read what the pipeline stored on a verified request."""

from typing import Any

from django.http import HttpRequest

from .config import config
from .locations import underlying
from .pipeline import VERIFIED_ATTR, VerifiedJWT
from .tokens import Claims, Header

NOT_VERIFIED = (
    "You must call `@jwt_required()` or `verify_jwt_in_request(request)` before using this method"
)


# flask-jwt-extended's words; here JWT_USER_LOOKUP = "model" does it too.
NO_USER_LOOKUP = "You must provide a `@jwt.user_lookup_loader` callback to use this method"


def verified_jwt(request: HttpRequest) -> VerifiedJWT:
    """Return what verification stored on ``request``.

    :raises RuntimeError: the request was never verified.
    """
    verified = getattr(underlying(request), VERIFIED_ATTR, None)
    if verified is None:
        raise RuntimeError(NOT_VERIFIED)
    return verified


def get_jwt(request: HttpRequest) -> Claims:
    """Return the claims of the request's token; ``{}`` when optional and absent."""
    return verified_jwt(request).claims


def get_jwt_claims(request: HttpRequest) -> dict[str, Any]:
    """Return the claims nested under 3.x's ``JWT_USER_CLAIMS`` key (``{}`` when absent).

    flask-jwt-extended 3.x's ``get_jwt_claims()``. Without ``JWT_USER_CLAIMS``
    (4.x layout) additional claims are top-level: use :func:`get_jwt`.
    """
    key = config.user_claims_key or "user_claims"
    claims = get_jwt(request).get(key, {})
    return claims if isinstance(claims, dict) else {}


def get_jwt_header(request: HttpRequest) -> Header:
    """Return the JOSE header of the request's token; ``{}`` when optional and absent."""
    return verified_jwt(request).header


def get_jwt_identity(request: HttpRequest) -> Any:
    """Return the identity claim of the request's token, ``None`` when absent."""
    return get_jwt(request).get(config.identity_claim_key)


def get_jwt_request_location(request: HttpRequest) -> str | None:
    """Return where the token was found: ``"headers"``, ``"cookies"``, ``"query_string"``
    or ``"json"``; ``None`` when there was none or the request was not verified."""
    verified = getattr(underlying(request), VERIFIED_ATTR, None)
    return None if verified is None else verified.location


def get_current_user(request: HttpRequest) -> Any:
    """Return the user the user lookup loaded; ``None`` when optional and absent.

    :raises RuntimeError: the request was not verified, or it carried a token
        and no user lookup is configured (``JWT_USER_LOOKUP = None`` and no
        ``user_lookup_loader``); ``request.user`` is then the token's
        :class:`~django_jwt_ext.token_user.TokenUser`.
    """
    verified = verified_jwt(request)
    if verified.location is None:
        return None
    if not verified.user_loaded:
        raise RuntimeError(NO_USER_LOOKUP)
    return verified.user
