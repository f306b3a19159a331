"""Find users by the identity a token carries.

The user row is read with SQL written once per database and user model, and
turned into a user as the ORM would: building the query through the ORM on
every request cost more than running it (see docs/performance.rst).
"""

from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple, cast

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.db.models.manager import BaseManager

Converter = Callable[[Any], Any]

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


def field_converter(field: Field, alias: str) -> Converter | None:
    """Return what turns a raw database value of ``field`` into its Python value, as the
    ORM would; ``None`` when the database value is already right."""
    connection = connections[alias]
    expression = field.get_col(field.model._meta.db_table)
    converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
        connection
    )
    if not converters:
        return None

    def convert(value: Any) -> Any:
        for converter in converters:
            value = converter(value, expression, connection)
        return value

    return convert


def plain_user_table(user_model: type[Model]) -> bool:
    """Tell whether one table holds every user and the default manager filters nothing."""
    inherited = type(user_model._default_manager).get_queryset is BaseManager.get_queryset
    return inherited and not user_model._meta.parents


class UserRow(NamedTuple):
    """How to select a user row by primary key, and how to read it back."""

    table: str
    columns: str
    where: str
    attnames: list[str]
    converters: list[tuple[int, Converter]]

    def user(self, model: type[Model], alias: str, values: tuple[Any, ...]) -> Model:
        """Build the user from the first columns of ``values``."""
        row = list(values[: len(self.attnames)])
        for index, convert in self.converters:
            if row[index] is not None:
                row[index] = convert(row[index])
        return model.from_db(alias, self.attnames, row)


@cache
def user_row(alias: str, user_label: str) -> UserRow:
    quote = connections[alias].ops.quote_name
    meta = apps.get_model(user_label)._meta
    table = quote(meta.db_table)
    fields = list(meta.concrete_fields)
    converters = [(index, field_converter(field, alias)) for index, field in enumerate(fields)]
    pk_column = cast(str, cast(Field, meta.pk).column)
    return UserRow(
        table,
        ", ".join(f"{table}.{quote(cast(str, field.column))}" for field in fields),
        f"{table}.{quote(pk_column)} = %s",
        [field.attname for field in fields],
        [(index, convert) for index, convert in converters if convert is not None],
    )


def user_by_pk(pk: Any) -> Any:
    """Return the user whose primary key is ``pk`` (see :func:`user_pk`), or ``None``."""
    model = get_user_model()
    if not plain_user_table(model):
        return first(users_with_pk(pk))
    alias = router.db_for_read(model)
    row = user_row(alias, model._meta.label)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {row.columns} FROM {row.table} WHERE {row.where}",
            [model._meta.pk.get_db_prep_value(pk, connection)],
        )
        values = cursor.fetchone()
    return None if values is None else row.user(model, alias, values)


def user_with_identity(identity: Any) -> Any:
    """Return the user whose primary key is ``identity``, active or not, or ``None``."""
    pk = user_pk(identity)
    return None if pk is None else user_by_pk(pk)
