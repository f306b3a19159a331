"""The contract every revocation backend fulfils.

One contract for every backend, proven by one test suite that runs on each
(``tests/test_revocation_contract.py``):

* A revoked token stays revoked for as long as it could be presented: until
  its ``exp`` plus the decode leeway, and for ever when it has no ``exp``.
* A revoked refresh-token family stays revoked for every member, present and
  future: a successor recorded by an exchange that was in flight is refused,
  and an exchange that starts or ends after the revocation fails.
* Consuming a refresh token is atomic: of concurrent exchanges of one token,
  exactly one succeeds; presenting a consumed token revokes its family.
* A logout everywhere covers every token of the identity issued up to it
  (:func:`~django_jwt_ext.revocation.records.revoked_by_logout`).
* Identities and ``jti`` values arrive in their stored forms
  (:class:`~django_jwt_ext.revocation.records.TokenRecord`), so every value a
  token can carry is stored safely.
"""

import uuid
from datetime import datetime
from typing import Any

from asgiref.sync import sync_to_async
from django.db import InterfaceError, OperationalError

from ..signals import token_revoked
from ..users import user_by_pk
from .records import RevocationState, TokenRecord

REUSED = "Refresh token reused"

# What a database that cannot be reached raises (not the errors of a bad query).
UNREACHABLE_DATABASE: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


def signal_args(
    token: TokenRecord | None, identity: str, reason: str, family: Any = None
) -> dict[str, Any]:
    """Return the arguments of the ``token_revoked`` signal."""
    return {
        "jti": token.jti if token else None,
        "token_type": token.token_type if token else None,
        "identity": identity,
        "reason": reason,
        "family": family,
    }


class RevocationBackend:
    """Base class of the revocation stores chosen by ``JWT_REVOCATION_BACKEND``.

    Methods that child classes must implement: :meth:`state`, :meth:`revoke`,
    :meth:`revoke_identity`, :meth:`record_refresh_token`,
    :meth:`refresh_lineage`, :meth:`consume_refresh_token`,
    :meth:`revoke_family` and :meth:`purge_expired`. Each public method has an
    ``a``-prefixed async twin that runs it in a thread unless a child class
    does better (then it sets :attr:`native_async`).
    """

    #: Exceptions meaning the store cannot be reached (requests fail closed on them).
    unavailable_errors: tuple[type[BaseException], ...] = ()
    #: Whether revocations keep a link to the user (shown in the admin).
    keeps_users = False
    #: Whether the async twins run on the event loop, without a thread.
    native_async = False

    def __init__(self) -> None:
        #: What calls to this store raise when it cannot be reached: its own
        #: errors, and the database's, which user lookups ride along.
        self.unreachable = (*UNREACHABLE_DATABASE, *self.unavailable_errors)

    # Checks.

    def state(self, token: TokenRecord) -> RevocationState:
        """Return what the store knows of ``token``: its ``jti``, its family (refresh
        tokens), its identity's last logout everywhere."""
        raise NotImplementedError

    def is_revoked(self, token: TokenRecord) -> bool:
        """Return whether ``token`` is revoked, by ``jti``, family or identity."""
        return self.state(token).covers(token)

    def user_and_revocation(self, pk: Any, token: TokenRecord) -> tuple[Any, bool]:
        """Return ``(user with primary key pk or None, revoked)``.

        Backends that can answer both in one round trip override this.
        """
        if self.is_revoked(token):
            return None, True
        return user_by_pk(pk), False

    # Revocations.

    def revoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        """Revoke ``token`` (which has a ``jti``); return ``False`` when it already was."""
        raise NotImplementedError

    def revoke_identity(
        self, identity: str, revoked_before: datetime, reason: str = "", user: Any = None
    ) -> None:
        """Revoke every token of ``identity`` issued up to ``revoked_before``.

        Earlier logouts of the identity are kept; the latest one counts.
        """
        raise NotImplementedError

    def last_logout(self, identity: str) -> datetime | None:
        """Return when ``identity`` last logged out everywhere, or ``None``."""
        return self.state(TokenRecord(None, "access", identity, None, None)).revoked_before

    # Refresh-token families (rotation with reuse detection).

    def record_refresh_token(
        self, token: TokenRecord, family: uuid.UUID, user_id: Any = None
    ) -> None:
        """Remember an issued refresh token as a member of ``family``.

        A member recorded into a family that is already revoked is revoked
        with it.
        """
        raise NotImplementedError

    def refresh_lineage(self, token: TokenRecord) -> tuple[uuid.UUID, Any] | None:
        """Return ``(family, user id)`` of a refresh token about to be exchanged.

        ``None`` when it cannot be exchanged: it was exchanged before (its
        family is then revoked) or its family is revoked. A token the store
        never recorded is recorded now, in a new family; of concurrent first
        exchanges, all see the family the first one recorded.
        """
        raise NotImplementedError

    def consume_refresh_token(self, token: TokenRecord, family: uuid.UUID) -> bool:
        """Mark a refresh token as exchanged, atomically.

        ``False`` when another request exchanged it first (``family``, which
        already holds the successor, is then revoked) or when ``family`` is
        revoked, whenever that happened.
        """
        raise NotImplementedError

    def revoke_family(self, family: uuid.UUID, reason: str, token: TokenRecord) -> None:
        """Revoke every member of ``family``, present and future; ``token`` is the
        one whose replay caused it."""
        raise NotImplementedError

    def purge_expired(self, batch_size: int = 1000) -> int:
        """Delete what only concerns expired tokens, in batches; return the count."""
        raise NotImplementedError

    def forget(self, jtis: list[str], identities: list[str]) -> None:
        """Drop any copy of revocations whose records were deleted (in the admin).

        Backends that keep copies (a cache) override this; the default keeps none.
        """

    # Signals.

    def token_revoked(
        self,
        token: TokenRecord | None,
        identity: str,
        reason: str,
        family: uuid.UUID | None = None,
    ) -> None:
        """Send the ``token_revoked`` signal."""
        token_revoked.send(sender=type(self), **signal_args(token, identity, reason, family))

    # Async twins.

    async def astate(self, token: TokenRecord) -> RevocationState:
        return await sync_to_async(self.state)(token)

    async def ais_revoked(self, token: TokenRecord) -> bool:
        return (await self.astate(token)).covers(token)

    async def arevoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        return await sync_to_async(self.revoke)(token, reason, user)

    async def arevoke_identity(
        self, identity: str, revoked_before: datetime, reason: str = "", user: Any = None
    ) -> None:
        await sync_to_async(self.revoke_identity)(identity, revoked_before, reason, user)

    async def alast_logout(self, identity: str) -> datetime | None:
        token = TokenRecord(None, "access", identity, None, None)
        return (await self.astate(token)).revoked_before

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
