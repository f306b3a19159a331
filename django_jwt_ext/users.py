"""Find users by the identity a token carries."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

# No database stores a wider integer key.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def users_with_pk(identity: Any) -> QuerySet | None:
    """Return the queryset of the user whose primary key is ``identity``.

    ``None`` when ``identity`` cannot be a primary key of the user model (a
    string for an integer key, a number out of the column's range), so that
    such input finds no user instead of raising a database error.
    """
    user_model = get_user_model()
    pk_field = user_model._meta.pk
    try:
        pk = pk_field.to_python(identity)
        pk_field.run_validators(pk)
    except (ValidationError, TypeError, ValueError, OverflowError):
        return None
    if pk is None or (isinstance(pk, int) and not INT64_MIN <= pk <= INT64_MAX):
        # Older Django versions do not range-check integers on every database.
        return None
    return user_model._default_manager.filter(pk=pk)


def is_active(user: Any) -> bool:
    """Tell whether ``user`` may authenticate (users without the flag may)."""
    return getattr(user, "is_active", True)


def user_with_pk(identity: Any) -> Any:
    """Return the user whose primary key is ``identity``, active or not, or ``None``."""
    users = users_with_pk(identity)
    return None if users is None else users.first()
