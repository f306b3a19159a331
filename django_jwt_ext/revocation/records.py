"""What a store keeps of a token, and the rules every backend applies to it.

One place for each rule: how an identity is compared (:func:`identity_key`),
how a value a store cannot hold is kept (:func:`storable`), how long an entry
must live (:meth:`TokenRecord.ttl`) and when a logout everywhere covers a
token (:func:`revoked_by_logout`).
"""

import hashlib
import json
import math
from datetime import datetime, timezone
from typing import Any, NamedTuple

from ..config import config

# Longest values the database columns hold; longer ones are kept as digests.
JTI_LENGTH = 128
IDENTITY_LENGTH = 255
DIGEST_PREFIX = "sha256:"


def storable(value: str, max_length: int) -> str:
    """Return ``value`` as every store can hold it: itself, or a fixed-length digest.

    A value that is too long, holds a NUL or an unpaired surrogate (which
    PostgreSQL, UTF-8 and most caches refuse) is replaced by
    ``sha256:<hex>`` of its UTF-8 bytes. Values that already look like a
    digest are digested too, so two different values never share a key.
    """
    plain = (
        len(value) <= max_length
        and "\x00" not in value
        and not value.startswith(DIGEST_PREFIX)
        and (value.isascii() or encodable(value))
    )
    if plain:
        return value
    return DIGEST_PREFIX + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def identity_key(identity: Any) -> str:
    """Return the one form under which an identity's revocations are kept and compared.

    A string is itself and an integer its decimal string, so ``"4"`` and
    ``4`` are one identity, as the built-in user lookup reads them. Any other
    JSON value (a token made with ``JWT_VERIFY_SUB = False``) is kept by a
    digest of its canonical JSON, apart from every string.
    """
    if identity is None:
        return ""
    if isinstance(identity, str):
        return storable(identity, IDENTITY_LENGTH)
    if isinstance(identity, int) and not isinstance(identity, bool):
        return storable(str(identity), IDENTITY_LENGTH)
    canonical = json.dumps(identity, sort_keys=True, separators=(",", ":"), default=str)
    return (
        DIGEST_PREFIX
        + hashlib.sha256(b"json:" + canonical.encode("utf-8", "surrogatepass")).hexdigest()
    )


def jti_key(jti: Any) -> str | None:
    """Return the stored form of a ``jti`` claim; ``None`` when the token has none."""
    if not isinstance(jti, str) or not jti:
        return None
    return storable(jti, JTI_LENGTH)


def finite_number(value: Any) -> float | None:
    """Return ``value`` when it is a finite JSON number (not a bool), else ``None``."""
    if type(value) not in (int, float):
        return None
    try:
        return value if math.isfinite(value) else None
    except OverflowError:  # An integer too large for a float.
        return None


def moment(timestamp: Any) -> datetime | None:
    """Return a NumericDate as an aware datetime; ``None`` when no datetime can hold it.

    An ``exp`` beyond the year 9999 (milliseconds by mistake, or hostile)
    means "never expires": the revocation is then kept until purged by hand,
    which is the safe side.
    """
    number = finite_number(timestamp)
    if number is None:
        return None
    try:
        return datetime.fromtimestamp(number, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


class TokenRecord(NamedTuple):
    """What a store needs of a token: never the encoded token itself.

    ``jti`` and ``identity`` are already in their stored forms. ``expires``
    is the ``exp`` claim (a NumericDate) or an ``expires_at`` datetime read
    from a store; checks never need it as a datetime, so it is converted only
    when asked (:attr:`expires_at`). A named tuple: checks build one per
    request.
    """

    jti: str | None
    token_type: str
    identity: str
    issued_at: float | None
    expires: Any

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "TokenRecord":
        """Build the record of a token from its claims, whatever values they hold."""
        return cls(
            jti_key(claims.get("jti")),
            "refresh" if claims.get("type") == "refresh" else "access",
            identity_key(claims.get(config.identity_claim_key)),
            finite_number(claims.get("iat")),
            claims.get("exp"),
        )

    @property
    def expires_at(self) -> datetime | None:
        """Return when the token expires; ``None``: never (no ``exp``, or beyond a datetime)."""
        if isinstance(self.expires, datetime):
            return self.expires
        return moment(self.expires)

    def ttl(self, now: datetime | None = None) -> int | None:
        """Return for how many seconds the token stays usable; ``None``: for ever.

        The decode leeway counts: a token within it is still accepted. ``0``
        means the token can no longer be presented (nothing to remember).
        """
        return ttl_until(self.expires_at, now)

    @property
    def issued_moment(self) -> datetime | None:
        return None if self.issued_at is None else moment(math.floor(self.issued_at))


def ttl_until(expires_at: datetime | None, now: datetime | None = None) -> int | None:
    """Return the seconds until ``expires_at`` plus the leeway; ``None`` for no expiry."""
    if expires_at is None:
        return None
    now = now or datetime.now(timezone.utc)
    remaining = (expires_at - now).total_seconds() + config.leeway_seconds
    return max(0, math.ceil(remaining))


def longest_ttl(*ttls: int | None) -> int | None:
    """Return the longest of several TTLs; ``None`` (for ever) wins."""
    if any(ttl is None for ttl in ttls):
        return None
    return max(ttls, default=0)  # type: ignore[type-var]


def revoked_by_logout(issued_at: float | None, revoked_before: datetime | None) -> bool:
    """Tell whether a logout everywhere at ``revoked_before`` covers a token issued at
    ``issued_at``.

    ``iat`` is in whole seconds, so a token of the logout's own second may
    have been issued before it: it counts as revoked (fail closed). A token
    without ``iat`` cannot be placed after any logout: revoked too. The
    issuing step waits out that second before minting new tokens
    (:func:`django_jwt_ext.revocation.wait_until_issuable`).
    """
    if revoked_before is None:
        return False
    if issued_at is None:
        return True
    return math.floor(issued_at) <= math.floor(revoked_before.timestamp())


class RevocationState(NamedTuple):
    """What a store knows of one token: its ``jti``, its family, its identity's last logout."""

    jti_revoked: bool = False
    revoked_before: datetime | None = None
    family_revoked: bool = False

    def covers(self, token: TokenRecord) -> bool:
        """Tell whether this state makes ``token`` revoked."""
        return (
            self.jti_revoked
            or self.family_revoked
            or revoked_by_logout(token.issued_at, self.revoked_before)
        )
