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
    lineage = revocation.refresh_lineage(jwt_data)
    if lineage is not None:
        family, user_id = lineage
        # The successor joins the family before the token is consumed: a
        # concurrent loser, refused by the consumption, then revokes a family
        # that already holds the winner's successor. No transaction needed.
        successor = get_jwt_manager().encode(
            jwt_data[config.identity_claim_key], "refresh", family=family, user_id=user_id
        )
        if revocation.consume_refresh_token(jwt_data, family):
            return successor
    raise RevokedTokenError(jwt_header, jwt_data)
