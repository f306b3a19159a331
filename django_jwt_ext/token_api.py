"""Create and read tokens with the active manager and the settings."""

from datetime import timedelta
from typing import Any, Literal

from .exceptions import JWTDecodeError
from .manager import get_jwt_manager
from .tokens import Claims, Header, unverified_header


def create_access_token(
    identity: Any,
    fresh: bool | timedelta = False,
    expires_delta: timedelta | int | Literal[False] | None = None,
    additional_claims: dict[str, Any] | None = None,
    additional_headers: dict[str, Any] | None = None,
) -> str:
    """Return a new access token for ``identity``.

    :param identity: stored in the identity claim after ``user_identity_loader``
        (a user-model instance becomes ``str(pk)`` by default).
    :param fresh: ``True``, or a ``timedelta`` during which the token counts as fresh.
    :param expires_delta: lifetime (a ``timedelta`` or integer seconds);
        default ``JWT_ACCESS_TOKEN_EXPIRES``; ``False`` means the token never expires.
    :param additional_claims: merged after the ``additional_claims_loader`` claims.
    :param additional_headers: merged after the ``additional_headers_loader`` fields.
    """
    return get_jwt_manager().encode(
        identity,
        "access",
        fresh=fresh,
        expires_delta=expires_delta,
        claims=additional_claims,
        headers=additional_headers,
    )


def create_refresh_token(
    identity: Any,
    expires_delta: timedelta | int | Literal[False] | None = None,
    additional_claims: dict[str, Any] | None = None,
    additional_headers: dict[str, Any] | None = None,
) -> str:
    """Return a new refresh token for ``identity``.

    :param expires_delta: lifetime (a ``timedelta`` or integer seconds);
        default ``JWT_REFRESH_TOKEN_EXPIRES``; ``False`` means the token never expires.
    """
    return get_jwt_manager().encode(
        identity,
        "refresh",
        expires_delta=expires_delta,
        claims=additional_claims,
        headers=additional_headers,
    )


def decode_token(
    encoded_token: str, csrf_value: str | None = None, allow_expired: bool = False
) -> Claims:
    """Verify ``encoded_token`` (signature and claims) and return its claims.

    No revocation check, no user lookup.

    :param csrf_value: the double-submit value the ``csrf`` claim must equal.
    :param allow_expired: accept a token whose ``exp`` has passed.
    """
    return get_jwt_manager().decode(encoded_token, csrf_value, allow_expired)[1]


def get_unverified_jwt_headers(encoded_token: str) -> Header:
    """Return the JOSE header of ``encoded_token`` without verifying it."""
    return unverified_header(encoded_token)


def get_jti(encoded_token: str) -> str | None:
    """Return the ``jti`` claim of ``encoded_token`` after verifying it."""
    return decode_token(encoded_token).get("jti")


def get_csrf_token(encoded_token: str) -> str:
    """Return the double-submit CSRF value stored in ``encoded_token``.

    :raises JWTDecodeError: the token has no ``csrf`` claim.
    """
    claims = decode_token(encoded_token)
    if "csrf" not in claims:
        raise JWTDecodeError("Missing claim: csrf")
    return claims["csrf"]
