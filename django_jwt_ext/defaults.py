"""The callbacks a :class:`~django_jwt_ext.JWTManager` uses until others are registered.

Each returns what flask-jwt-extended 4.x's default returns, as a Django
response where a response is due: JSON ``{JWT_ERROR_MESSAGE_KEY: message}``
with flask-jwt-extended's status code. Messages are in the active language;
in English they are flask-jwt-extended's words.
"""

from http import HTTPStatus
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext

from . import revocation
from .config import config
from .revocation.store import reaching_store
from .users import is_active, user_by_pk, user_pk

# RFC 9110 requires a challenge on every 401.
WWW_AUTHENTICATE = 'Bearer realm="api"'


def error_response(message: str, status: int) -> HttpResponse:
    """Return ``{JWT_ERROR_MESSAGE_KEY: message}`` as JSON with ``status``."""
    response = JsonResponse({config.error_msg_key: message}, status=status)
    if status == HTTPStatus.UNAUTHORIZED:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


def additional_claims(identity: Any) -> dict[str, Any]:
    """Add no claims."""
    return {}


def additional_headers(identity: Any) -> dict[str, Any]:
    """Add no header fields."""
    return {}


def decode_key(jwt_header: dict, jwt_data: dict) -> Any:
    """Return ``JWT_PUBLIC_KEY`` for asymmetric algorithms, else the secret key."""
    return config.decode_key


def encode_key(identity: Any) -> Any:
    """Return ``JWT_PRIVATE_KEY`` for asymmetric algorithms, else the secret key."""
    return config.encode_key


def user_identity(identity: Any) -> Any:
    """Return ``str(pk)`` for a user-model instance, anything else unchanged."""
    if isinstance(identity, get_user_model()):
        return str(identity.pk)
    return identity


def token_in_blocklist(jwt_header: dict, jwt_data: dict) -> bool:
    """Ask the built-in store (``JWT_REVOCATION_BACKEND``)."""
    return revocation.is_token_revoked(jwt_data)


def token_verification(jwt_header: dict, jwt_data: dict) -> bool:
    """Accept every token."""
    return True


def load_user_by_pk(jwt_header: dict, jwt_data: dict) -> Any:
    """Return the active user whose primary key is the token's identity, else ``None``.

    Only the canonical spelling of a key finds a user (see
    :func:`~django_jwt_ext.users.user_pk`).
    """
    pk = user_pk(jwt_data.get(config.identity_claim_key))
    user = None if pk is None else reaching_store(lambda: user_by_pk(pk))
    return user if user is not None and is_active(user) else None


def user_and_revocation(jwt_data: dict) -> tuple[Any, bool]:
    """Do :func:`load_user_by_pk` and the built-in revocation check in one round trip.

    Return ``(active user or None, revoked)``.
    """
    pk = user_pk(jwt_data.get(config.identity_claim_key))
    if pk is None:
        return None, revocation.is_token_revoked(jwt_data)
    user, revoked = revocation.user_and_revocation(pk, jwt_data)
    return (user if user is not None and is_active(user) else None), revoked


def expired_token(jwt_header: dict, jwt_data: dict) -> HttpResponse:
    """Return 401 ``Token has expired``."""
    return error_response(gettext("Token has expired"), HTTPStatus.UNAUTHORIZED)


def invalid_token(reason: str) -> HttpResponse:
    """Return 422 with the reason the token is invalid (already in the active language)."""
    return error_response(reason, HTTPStatus.UNPROCESSABLE_ENTITY)


def unauthorized(reason: str) -> HttpResponse:
    """Return 401 with the reason no usable token was found (already in the active
    language)."""
    return error_response(reason, HTTPStatus.UNAUTHORIZED)


def needs_fresh_token(jwt_header: dict, jwt_data: dict) -> HttpResponse:
    """Return 401 ``Fresh token required``."""
    return error_response(gettext("Fresh token required"), HTTPStatus.UNAUTHORIZED)


def revoked_token(jwt_header: dict, jwt_data: dict) -> HttpResponse:
    """Return 401 ``Token has been revoked``."""
    return error_response(gettext("Token has been revoked"), HTTPStatus.UNAUTHORIZED)


def user_lookup_error(jwt_header: dict, jwt_data: dict) -> HttpResponse:
    """Return 401 ``Error loading the user <identity>``."""
    identity = jwt_data.get(config.identity_claim_key)
    message = gettext("Error loading the user %(identity)s") % {"identity": identity}
    return error_response(message, HTTPStatus.UNAUTHORIZED)


def token_verification_failed(jwt_header: dict, jwt_data: dict) -> HttpResponse:
    """Return 400 ``User claims verification failed``."""
    return error_response(gettext("User claims verification failed"), HTTPStatus.BAD_REQUEST)


def store_unavailable(reason: str) -> HttpResponse:
    """Return 503 when the token store or the ``JWT_JWKS_URL`` key set cannot be reached
    (the request fails closed)."""
    return error_response(reason, HTTPStatus.SERVICE_UNAVAILABLE)
