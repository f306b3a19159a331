"""Create and read tokens with the active manager and the settings."""

from datetime import timedelta
from typing import Any, Literal

from .config import config
from .exceptions import JWTDecodeError
from .manager import get_jwt_manager
from .revocation import exchange_refresh_token
from .tokens import Claims, Header, unverified_header

# Claims every token gets anew; the rest of a token's claims were added for it.
STANDARD_CLAIMS = frozenset({"iss", "aud", "exp", "nbf", "iat", "jti", "type", "fresh", "csrf"})


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


def carried_claims(jwt_data: Claims, identity: Any) -> dict[str, Any]:
    """Return the claims a token was given beyond the standard ones, to carry into its
    replacement (a refreshed access token, a rotated refresh token).

    The ``additional_claims_loader``'s claims are left out: the replacement
    gets them anew, from the loader, as they are now.
    """
    key = config.user_claims_key
    added = jwt_data.get(key, {}) if key else jwt_data
    if not isinstance(added, dict):
        return {}
    loaded = get_jwt_manager().callbacks.additional_claims(identity) or {}
    excluded = STANDARD_CLAIMS | {config.identity_claim_key} | set(loaded)
    return {name: value for name, value in added.items() if name not in excluded}


def rotate_refresh_token(
    jwt_header: Header,
    jwt_data: Claims,
    identity: Any = None,
    additional_claims: dict[str, Any] | None = None,
) -> str:
    """Exchange a verified refresh token for its successor in the same family, once.

    A token can be exchanged once: presenting it again (a replay, or the
    losers of concurrent refreshes) revokes its whole family, the successor
    included, and raises :class:`~django_jwt_ext.exceptions.RevokedTokenError`.

    :param identity: what the successor is issued to (the current user when a
        user lookup is configured); default the token's identity claim.
    :param additional_claims: claims for the successor; default the claims the
        token carries beyond the standard ones (:func:`~django_jwt_ext.token_api.carried_claims`).
    """
    if identity is None:
        identity = jwt_data[config.identity_claim_key]
    if additional_claims is None:
        additional_claims = carried_claims(jwt_data, identity)
    token, claims = get_jwt_manager().issue(identity, "refresh", claims=additional_claims)
    exchange_refresh_token(jwt_header, jwt_data, claims)
    return token
