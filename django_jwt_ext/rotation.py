"""Refresh-token rotation: exchange a refresh token for a new one, once."""

from typing import Any

from . import revocation
from .config import config
from .exceptions import RevokedTokenError
from .manager import get_jwt_manager


def rotate_refresh_token(jwt_header: dict[str, Any], jwt_data: dict[str, Any]) -> str:
    """Consume a verified refresh token and return its successor in the same family.

    A token can be exchanged once: presenting it again (a replay, or the
    losers of concurrent refreshes) revokes its whole family, the successor
    included, and raises :class:`~django_jwt_ext.exceptions.RevokedTokenError`.
    """
    consumed = revocation.consume_refresh_token(jwt_data)
    if consumed is None:
        raise RevokedTokenError(jwt_header, jwt_data)
    family, user_id = consumed
    return get_jwt_manager().encode(
        jwt_data[config.identity_claim_key], "refresh", family=family, user_id=user_id
    )
