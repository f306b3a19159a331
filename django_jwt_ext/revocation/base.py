"""The contract every revocation backend fulfils, and what backends share."""

import math
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from asgiref.sync import sync_to_async

from ..config import config
from ..signals import token_revoked
from ..users import first, users_with_pk


@dataclass(frozen=True)
class TokenRecord:
    """What a store needs of a token: never the encoded token itself."""

    jti: str | None
    token_type: str
    identity: str
    issued_at: float | None
    expires_at: datetime | None

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "TokenRecord":
        """Build the record of a decoded token, or of one being issued.

        Claims being issued may hold a datetime ``exp`` where the token holds
        a number.
        """
        jti, exp, iat = claims.get("jti"), claims.get("exp"), claims.get("iat")
        if exp is not None and is_number(exp):
            exp = datetime.fromtimestamp(exp, timezone.utc)
        return cls(
            jti=jti if isinstance(jti, str) else None,
            token_type="refresh" if claims.get("type") == "refresh" else "access",
            identity=identity_key(claims.get(config.identity_claim_key)),
            issued_at=iat if is_number(iat) else None,
            expires_at=exp if isinstance(exp, datetime) else None,
        )

    def seconds_left(self, now: datetime) -> int | None:
        """Return how long the token stays usable (never negative); ``None``: for ever."""
        if self.expires_at is None:
            return None
        remaining = (self.expires_at - now).total_seconds() + leeway_seconds()
        return max(0, math.ceil(remaining))


def is_number(value: Any) -> bool:
    return type(value) in (int, float)


def identity_key(identity: Any) -> str:
    """Return the string under which an identity's revocations are kept."""
    return "" if identity is None else str(identity)


def leeway_seconds() -> float:
    leeway = config.leeway
    return leeway if isinstance(leeway, int | float) else leeway.total_seconds()


def revoked_by_identity(token: TokenRecord, revoked_before: datetime | None) -> bool:
    """Tell whether a logout everywhere at ``revoked_before`` covers ``token``.

    Tokens made here carry ``iat`` to the microsecond. A whole-second ``iat``
    (tokens made elsewhere) of the logout's own second cannot be placed before
    or after it, so it counts as before: fail closed.
    """
    if revoked_before is None:
        return False
    if token.issued_at is None:
        return True
    cutoff = revoked_before.timestamp()
    if float(token.issued_at).is_integer():
        return token.issued_at <= cutoff
    return token.issued_at < cutoff


@dataclass(frozen=True)
class RevocationState:
    """What a store knows about one token: its ``jti`` and its identity's last logout."""

    jti_revoked: bool = False
    revoked_before: datetime | None = None

    def covers(self, token: TokenRecord) -> bool:
        """Tell whether this state makes ``token`` revoked."""
        return self.jti_revoked or revoked_by_identity(token, self.revoked_before)


class RevocationBackend:
    """Base class of the revocation stores chosen by ``JWT_REVOCATION_BACKEND``.

    Methods that child classes must implement: :meth:`is_revoked`,
    :meth:`revoke`, :meth:`revoke_identity`, :meth:`record_refresh_token`,
    :meth:`refresh_lineage`, :meth:`consume_refresh_token` and
    :meth:`purge_expired`. Each has an
    ``a``-prefixed async twin that runs it in a thread unless a child class
    does better.
    """

    #: Exceptions meaning the store cannot be reached (it fails closed on them).
    unavailable_errors: tuple[type[BaseException], ...] = ()
    #: Whether revocations keep a link to the user (shown in the admin).
    keeps_users = False

    def is_revoked(self, token: TokenRecord) -> bool:
        """Return whether ``token`` is revoked, by ``jti``, family or identity."""
        raise NotImplementedError

    def revoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        """Revoke ``token``; return ``False`` when it was already revoked."""
        raise NotImplementedError

    def revoke_identity(
        self, identity: str, revoked_before: datetime, reason: str = "", user: Any = None
    ) -> None:
        """Revoke every token of ``identity`` issued before ``revoked_before``."""
        raise NotImplementedError

    def record_refresh_token(
        self, token: TokenRecord, family: uuid.UUID, user_id: Any = None
    ) -> None:
        """Remember a new refresh token and the family it belongs to."""
        raise NotImplementedError

    def refresh_lineage(self, token: TokenRecord) -> tuple[uuid.UUID, Any] | None:
        """Return ``(family, user id)`` of a refresh token about to be exchanged.

        ``None`` when it was exchanged before: its whole family is then
        revoked. A token the store never recorded is recorded now, in a new
        family.
        """
        raise NotImplementedError

    def consume_refresh_token(self, token: TokenRecord, family: uuid.UUID) -> bool:
        """Mark a refresh token as exchanged, atomically.

        ``False`` when another request exchanged it first: ``family`` (which
        already holds the token's successor) is then revoked.
        """
        raise NotImplementedError

    def purge_expired(self, batch_size: int = 1000) -> int:
        """Delete what only concerns expired tokens, in batches; return the count."""
        raise NotImplementedError

    def user_and_revocation(self, pk: Any, token: TokenRecord) -> tuple[Any, bool]:
        """Return ``(user with primary key pk or None, revoked)``.

        Backends that can answer both in one round trip override this.
        """
        if self.is_revoked(token):
            return None, True
        return first(users_with_pk(pk)), False

    def token_revoked(self, token: TokenRecord | None, identity: str, reason: str) -> None:
        """Send the ``token_revoked`` signal."""
        token_revoked.send(
            sender=type(self),
            jti=token.jti if token else None,
            token_type=token.token_type if token else None,
            identity=identity,
            reason=reason,
        )

    # Async twins.

    async def ais_revoked(self, token: TokenRecord) -> bool:
        return await sync_to_async(self.is_revoked)(token)

    async def arevoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        return await sync_to_async(self.revoke)(token, reason, user)

    async def arevoke_identity(
        self, identity: str, revoked_before: datetime, reason: str = "", user: Any = None
    ) -> None:
        await sync_to_async(self.revoke_identity)(identity, revoked_before, reason, user)

    async def arecord_refresh_token(
        self, token: TokenRecord, family: uuid.UUID, user_id: Any = None
    ) -> None:
        await sync_to_async(self.record_refresh_token)(token, family, user_id)

    async def arefresh_lineage(self, token: TokenRecord) -> tuple[uuid.UUID, Any] | None:
        return await sync_to_async(self.refresh_lineage)(token)

    async def aconsume_refresh_token(self, token: TokenRecord, family: uuid.UUID) -> bool:
        return await sync_to_async(self.consume_refresh_token)(token, family)

    async def apurge_expired(self, batch_size: int = 1000) -> int:
        return await sync_to_async(self.purge_expired)(batch_size)
