"""Refresh-token rotation: exchange a refresh token for a new one, once."""

from typing import Any

from django.db import transaction

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
    # One transaction: concurrent losers wait for the winner's row lock and
    # then find its successor in the family they revoke.
    with transaction.atomic():
        consumed = revocation.consume_refresh_token(jwt_data)
        if consumed is not None:
            family, user_id = consumed
            return get_jwt_manager().encode(
                jwt_data[config.identity_claim_key], "refresh", family=family, user_id=user_id
            )
    # Raised outside the transaction, which keeps the family's revocation.
    raise RevokedTokenError(jwt_header, jwt_data)
