"""Errors raised while locating, decoding and verifying a JWT.

The names are flask-jwt-extended's, so code written against it catches the same
classes. Every class derives from :class:`JWTExtendedException`; the active
:class:`~django_jwt_ext.JWTManager` turns each into the response of the matching
loader.
"""

from functools import cache
from typing import Any

import jwt
from django.core.exceptions import ImproperlyConfigured


class JWTExtendedException(Exception):
    """Base class of every error of this app."""


class ConfigurationError(ImproperlyConfigured, RuntimeError):
    """A ``JWT_*`` setting holds a value this app cannot use.

    Django code expects ``ImproperlyConfigured``; flask-jwt-extended raises
    ``RuntimeError``: this is both.
    """


class JWTDecodeError(JWTExtendedException):
    """The token cannot be decoded or one of its claims is invalid."""


@cache
def decode_error_class(pyjwt_class: type[jwt.PyJWTError]) -> type[JWTDecodeError]:
    """Return the subclass of both :class:`JWTDecodeError` and ``pyjwt_class``."""
    return type(
        pyjwt_class.__name__,
        (JWTDecodeError, pyjwt_class),
        {"__module__": __name__, "__doc__": f"PyJWT's {pyjwt_class.__name__}, refused here."},
    )


def decode_error(error: jwt.PyJWTError) -> JWTDecodeError:
    """Return PyJWT's ``error`` as an error that is also a :class:`JWTDecodeError`.

    ``except jwt.InvalidAudienceError`` (flask-jwt-extended lets PyJWT's errors
    through) and ``except JWTDecodeError`` both catch the result; the message
    is PyJWT's.
    """
    return decode_error_class(type(error))(*error.args)  # type: ignore[arg-type]


class KeyMismatchError(JWTDecodeError):
    """The token's algorithm cannot be used with the key tried on it (an RSA key for an
    HMAC token, a secret for an RSA token...)."""


class UnknownKeyIdError(JWTDecodeError, jwt.InvalidTokenError):
    """The token's ``kid`` names none of the keys that may verify it, or it has none and
    only a ``JWT_JWKS_URL`` key could verify it (a 422 response).

    No other key is tried. It is also PyJWT's ``InvalidTokenError``, like the
    other decode errors.
    """


class InvalidHeaderError(JWTExtendedException):
    """The header carrying the token is malformed."""


class InvalidQueryParamError(JWTExtendedException):
    """The query-string value carrying the token lacks the configured prefix."""


class NoAuthorizationError(JWTExtendedException):
    """No token was found where the request was expected to carry one."""


class CSRFError(JWTExtendedException):
    """The double-submit CSRF value is missing or does not match the token."""


class WrongTokenError(JWTExtendedException):
    """An access token was given where a refresh token is required, or the reverse."""


class TokenStateError(JWTExtendedException):
    """Base class of errors about a token that decoded correctly.

    ``jwt_header`` and ``jwt_data`` hold the token's header and claims, which the
    response loaders receive.
    """

    def __init__(self, message: str, jwt_header: dict[str, Any], jwt_data: dict[str, Any]):
        super().__init__(message)
        self.jwt_header = jwt_header
        self.jwt_data = jwt_data


class RevokedTokenError(TokenStateError):
    """The token is revoked."""

    def __init__(self, jwt_header: dict[str, Any], jwt_data: dict[str, Any]):
        super().__init__("Token has been revoked", jwt_header, jwt_data)


class FreshTokenRequired(TokenStateError):
    """The view requires a fresh token and the token is not fresh."""


class UserLookupError(TokenStateError):
    """The user lookup found no (active) user for the token's identity."""


class UserClaimsVerificationError(TokenStateError):
    """The ``token_verification_loader`` callback refused the token."""


class ExpiredSignatureError(TokenStateError, jwt.ExpiredSignatureError):
    """The token's ``exp`` is in the past.

    It is also a :class:`jwt.ExpiredSignatureError`, which is what
    flask-jwt-extended raises, so existing ``except`` clauses keep working.
    """

    def __init__(self, jwt_header: dict[str, Any], jwt_data: dict[str, Any]):
        super().__init__("Signature has expired", jwt_header, jwt_data)


class TokenNotRevocableError(JWTExtendedException):
    """The token has no ``jti``: it cannot be revoked on its own (a 422 response).

    Logging its user out everywhere still covers it.
    """


class ServiceUnavailableError(JWTExtendedException):
    """A service that verification depends on cannot be reached: requests fail
    closed with a 503 response (a WebSocket closes with 4503)."""


class StoreUnavailableError(ServiceUnavailableError):
    """The database or cache behind revocation or user lookup cannot be reached.

    Requests fail closed with a 503 response (unless ``JWT_REVOCATION_FAIL_OPEN``
    lets revocation checks pass).
    """


class KeySetUnavailableError(ServiceUnavailableError):
    """The JWKS endpoint of ``JWT_JWKS_URL`` cannot be reached, is too slow, or answers
    something that is not a key set.

    Requests whose token needs a key from it fail closed with a 503 response.
    """
