"""Find users by the identity a token carries."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

# No database stores a wider integer key.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def user_pk(identity: Any) -> Any:
    """Return the primary key of the user model that ``identity`` names, or ``None``.

    Only the canonical form of a key names a user: ``"4"`` (or ``4``) names
    user 4, while ``"04"``, ``"+4"``, ``" 4"``, ``"4\\n"`` or ``"٤"`` name no one,
    although ``int()`` would read them as 4. The revocation store compares
    identities as written, so a lookup that accepted other spellings would let
    such tokens survive a logout everywhere. ``None`` too for anything that
    cannot be a key (a string for an integer key, a number out of range), so
    such input finds no user instead of raising a database error.
    """
    if isinstance(identity, bool) or not isinstance(identity, str | int):
        return None
    pk_field = get_user_model()._meta.pk
    try:
        pk = pk_field.to_python(identity)
        pk_field.run_validators(pk)
    except (ValidationError, TypeError, ValueError, OverflowError):
        return None
    if isinstance(pk, int) and not INT64_MIN <= pk <= INT64_MAX:
        return None  # Older Django versions do not range-check on every database.
    if str(pk) != str(identity):
        return None
    return pk


def users_with_pk(pk: Any) -> QuerySet:
    """Return the queryset of the user whose primary key is ``pk`` (see :func:`user_pk`)."""
    return get_user_model()._default_manager.filter(pk=pk)


def first(users: QuerySet) -> Any:
    """Return the first row of ``users`` or ``None``, without ``first()``'s ORDER BY."""
    return next(iter(users[:1]), None)


def is_active(user: Any) -> bool:
    """Tell whether ``user`` may authenticate (users without the flag may)."""
    return getattr(user, "is_active", True)


def user_with_identity(identity: Any) -> Any:
    """Return the user whose primary key is ``identity``, active or not, or ``None``."""
    pk = user_pk(identity)
    return None if pk is None else first(users_with_pk(pk))
