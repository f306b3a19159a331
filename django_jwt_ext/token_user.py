"""A user built from a token's claims, for stateless mode (``JWT_USER_LOOKUP = None``)."""

from typing import Any

from .config import config


class TokenUser:
    """An authenticated user known only by the token's claims; no database row.

    ``pk`` and ``id`` are the identity claim. It has no permissions and is
    neither staff nor superuser.
    """

    is_active = True
    is_anonymous = False
    is_authenticated = True
    is_staff = False
    is_superuser = False

    def __init__(self, claims: dict[str, Any]):
        self.claims = claims
        self.pk = self.id = claims.get(config.identity_claim_key)

    def get_username(self) -> str:
        return str(self.pk)

    def __str__(self) -> str:
        return f"TokenUser {self.pk}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TokenUser) and self.pk == other.pk

    def __hash__(self) -> int:
        return hash((TokenUser, self.pk))

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def has_perms(self, perm_list: Any, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, module: str) -> bool:
        return False
