"""Refresh-token rotation: a refresh token is exchanged once for its successor.

The protocol, the same on every backend:

1. find the presented token's family (recording a token the store never saw);
   a consumed token revokes its family here and the exchange fails;
2. record the successor in that family *before* consuming: a concurrent
   replay that revokes the family then covers the successor too;
3. consume the presented token atomically; the exchange fails if another
   request consumed it first, or if the family is revoked by then.

The successor is minted by the caller (creating tokens is pure and belongs
to the manager); see :func:`django_jwt_ext.token_api.rotate_refresh_token`.
"""

from typing import Any

from ..exceptions import RevokedTokenError
from .records import TokenRecord
from .store import get_backend, reaching_store


def exchange_refresh_token(
    jwt_header: dict[str, Any], jwt_data: dict[str, Any], successor: dict[str, Any]
) -> None:
    """Consume the refresh token ``jwt_data`` and record ``successor`` (claims) in its family.

    :raises RevokedTokenError: the token was exchanged before (its family is
        now revoked) or its family is revoked.
    """
    token, new = TokenRecord.from_claims(jwt_data), TokenRecord.from_claims(successor)
    backend = get_backend()
    lineage = reaching_store(lambda: backend.refresh_lineage(token))
    if lineage is not None:
        family, user_id = lineage
        reaching_store(lambda: backend.record_refresh_token(new, family, user_id))
        if reaching_store(lambda: backend.consume_refresh_token(token, family)):
            return
    raise RevokedTokenError(jwt_header, jwt_data)
