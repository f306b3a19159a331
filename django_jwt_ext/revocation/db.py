"""DatabaseBackend: revocations in the Django ORM (the default store)."""

import uuid
from datetime import datetime, timedelta
from functools import cache
from typing import Any, NamedTuple, cast

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Exists, Field, Model, OuterRef, Q
from django.utils import timezone

from ..config import config
from ..users import Converter, UserRow, field_converter, plain_user_table, user_by_pk, user_row
from .base import REUSED, UNREACHABLE_DATABASE, RevocationBackend
from .records import RevocationState, TokenRecord

# The hot-path queries are written once per database and user model and cached
# with everything needed to read their rows: building them through the ORM, or
# through Manager.raw, on every request cost more than running them (see
# docs/performance.rst).


def column(model: type[Model], name: str) -> str:
    return cast(str, cast(Field, model._meta.get_field(name)).column)


def revocation_columns(alias: str, refresh: bool) -> tuple[str, list[str]]:
    """Return SQL for the revocation state of one token and the names of its parameters.

    Columns: is the jti revoked, the identity's last logout, and for refresh
    tokens whether the token's family is revoked.
    """
    from ..models import IssuedRefreshToken, RevokedFamily, RevokedIdentity, RevokedToken

    quote = connections[alias].ops.quote_name
    revoked, identities = quote(RevokedToken._meta.db_table), quote(RevokedIdentity._meta.db_table)
    columns = [
        f"EXISTS(SELECT 1 FROM {revoked} WHERE {quote(column(RevokedToken, 'jti'))} = %s)",
        f"(SELECT MAX({quote(column(RevokedIdentity, 'revoked_before'))}) FROM {identities} "
        f"WHERE {quote(column(RevokedIdentity, 'identity'))} = %s)",
    ]
    parameters = ["jti", "identity"]
    if refresh:
        issued, families = (
            quote(IssuedRefreshToken._meta.db_table),
            quote(RevokedFamily._meta.db_table),
        )
        family = quote(column(IssuedRefreshToken, "family"))
        columns.append(
            f"EXISTS(SELECT 1 FROM {issued} INNER JOIN {families} "
            f"ON {families}.{quote(column(RevokedFamily, 'family'))} = {issued}.{family} "
            f"WHERE {issued}.{quote(column(IssuedRefreshToken, 'jti'))} = %s)"
        )
        parameters.append("jti")
    return ", ".join(columns), parameters


class StateQuery(NamedTuple):
    """Cached SQL for the revocation state of a token, and how to read its row."""

    sql: str
    parameters: list[str]
    logout_converter: Converter | None

    def params(self, token: TokenRecord) -> list[Any]:
        return [getattr(token, name) for name in self.parameters]

    def state(self, values: tuple[Any, ...]) -> RevocationState:
        jti_revoked, revoked_before, *family = values
        if revoked_before is not None and self.logout_converter is not None:
            revoked_before = self.logout_converter(revoked_before)
        return RevocationState(bool(jti_revoked), revoked_before, bool(family and family[0]))


def logout_converter(alias: str) -> Converter | None:
    from ..models import RevokedIdentity

    return field_converter(cast(Field, RevokedIdentity._meta.get_field("revoked_before")), alias)


@cache
def state_query(alias: str, refresh: bool) -> StateQuery:
    columns, parameters = revocation_columns(alias, refresh)
    suffix = connections[alias].features.bare_select_suffix
    return StateQuery(f"SELECT {columns}{suffix}", parameters, logout_converter(alias))


class UserQuery(NamedTuple):
    """Cached SQL for a user row with the token's revocation state alongside."""

    sql: str
    row: UserRow
    state: StateQuery


@cache
def user_query(alias: str, user_label: str, refresh: bool) -> UserQuery:
    row = user_row(alias, user_label)
    columns, parameters = revocation_columns(alias, refresh)
    sql = f"SELECT {row.columns}, {columns} FROM {row.table} WHERE {row.where}"
    return UserQuery(sql, row, StateQuery(sql, parameters, logout_converter(alias)))


class DatabaseBackend(RevocationBackend):
    """Keep revocations in the database: one indexed query per check.

    With the default user lookup the check rides along the user query, so a
    protected request costs a single query. The database is the record of
    every revocation, which the admin shows.
    """

    unavailable_errors = UNREACHABLE_DATABASE
    keeps_users = True

    def state(self, token: TokenRecord) -> RevocationState:
        from ..models import RevokedToken

        connection = connections[router.db_for_read(RevokedToken)]
        query = state_query(connection.alias, token.token_type == "refresh")
        with connection.cursor() as cursor:
            cursor.execute(query.sql, query.params(token))
            return query.state(cursor.fetchone())

    def user_and_revocation(self, pk: Any, token: TokenRecord) -> tuple[Any, bool]:
        user, state = self.user_and_state(pk, token)
        revoked = state.covers(token)
        return (None if revoked else user), revoked

    def user_and_state(self, pk: Any, token: TokenRecord) -> tuple[Any, RevocationState]:
        """Return the user with primary key ``pk`` (or ``None``) and the token's state,
        in one query where the user table allows it."""
        from ..models import RevokedToken

        user_model = get_user_model()
        alias = router.db_for_read(user_model)
        if alias != router.db_for_read(RevokedToken) or not plain_user_table(user_model):
            state = self.state(token)
            return (None if state.covers(token) else user_by_pk(pk)), state
        connection = connections[alias]
        query = user_query(alias, user_model._meta.label, token.token_type == "refresh")
        params = [*query.state.params(token), user_model._meta.pk.get_db_prep_value(pk, connection)]
        with connection.cursor() as cursor:
            cursor.execute(query.sql, params)
            row = cursor.fetchone()
        if row is None:
            # No such user: the lookup refuses the token anyway, but a revoked
            # token must be reported as revoked first.
            return None, self.state(token)
        width = len(query.row.attnames)
        return query.row.user(user_model, alias, row), query.state.state(row[width:])

    def revoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        from ..models import RevokedToken

        _, created = RevokedToken.objects.get_or_create(
            jti=token.jti,
            defaults={
                "token_type": token.token_type,
                "identity": token.identity,
                "user": user,
                "expires_at": token.expires_at,
                "reason": reason,
            },
        )
        if created:
            self.token_revoked(token, token.identity, reason)
        return created

    def revoke_identity(
        self, identity: str, revoked_before: datetime, reason: str = "", user: Any = None
    ) -> None:
        from ..models import RevokedIdentity

        RevokedIdentity.objects.create(
            identity=identity, revoked_before=revoked_before, reason=reason, user=user
        )
        self.token_revoked(None, identity, reason)

    def record_refresh_token(
        self, token: TokenRecord, family: uuid.UUID, user_id: Any = None
    ) -> None:
        from ..models import IssuedRefreshToken

        IssuedRefreshToken.objects.create(
            jti=token.jti,
            family=family,
            identity=token.identity,
            user_id=user_id,
            issued_at=token.issued_moment or timezone.now(),
            expires_at=token.expires_at,
        )

    def refresh_lineage(self, token: TokenRecord) -> tuple[uuid.UUID, Any] | None:
        from ..models import IssuedRefreshToken, RevokedFamily

        if token.jti is None:
            return None  # Nothing to consume once: never exchanged.
        rows = (
            IssuedRefreshToken.objects.filter(jti=token.jti)
            .annotate(
                family_revoked=Exists(RevokedFamily.objects.filter(family=OuterRef("family")))
            )
            .values_list("family", "user_id", "used_at", "family_revoked")
        )
        row = next(iter(rows[:1]), None)
        if row is None:
            # Issued before the store knew it (or elsewhere): record it now.
            # The unique jti makes the first recording win; the others read it.
            try:
                with transaction.atomic(using=router.db_for_write(IssuedRefreshToken)):
                    self.record_refresh_token(token, uuid.uuid4())
            except IntegrityError:
                pass
            row = rows.get()
        family, user_id, used_at, family_revoked = row
        if family_revoked:
            return None
        if used_at is not None:
            self.revoke_family(family, REUSED, token)
            return None
        return family, user_id

    def consume_refresh_token(self, token: TokenRecord, family: uuid.UUID) -> bool:
        from ..models import IssuedRefreshToken, RevokedFamily

        # The conditional UPDATE is the atomic step: of concurrent requests
        # presenting the same token, exactly one sees it unused, and none
        # succeeds once the family is revoked.
        unused = IssuedRefreshToken.objects.filter(jti=token.jti, used_at__isnull=True).exclude(
            Exists(RevokedFamily.objects.filter(family=OuterRef("family")))
        )
        if unused.update(used_at=timezone.now()):
            return True
        if not self.family_revoked(family):
            self.revoke_family(family, REUSED, token)
        return False

    def family_revoked(self, family: uuid.UUID) -> bool:
        from ..models import RevokedFamily

        return RevokedFamily.objects.filter(family=family).exists()

    def revoke_family(self, family: uuid.UUID, reason: str, token: TokenRecord) -> None:
        from ..models import RevokedFamily

        _, created = RevokedFamily.objects.get_or_create(
            family=family,
            defaults={
                "identity": token.identity,
                "jti": token.jti or "",
                "reason": reason,
                "user": family_user(family),
            },
        )
        if created:
            self.token_revoked(token, token.identity, reason, family)

    def purge_expired(self, batch_size: int = 1000) -> int:
        from ..models import IssuedRefreshToken, RevokedFamily, RevokedToken

        # A token within the decode leeway is still accepted: keep its rows.
        cutoff = timezone.now() - timedelta(seconds=config.leeway_seconds)
        deleted = 0
        for model in (RevokedToken, IssuedRefreshToken):
            # Unordered: the default ordering would walk another index and
            # skip every live row at each batch.
            deleted += delete_in_batches(
                model.objects.filter(expires_at__lt=cutoff).order_by(), batch_size
            )
        live_members = IssuedRefreshToken.objects.filter(family=OuterRef("family")).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gte=cutoff)
        )
        # A family without members left can have no member presented.
        deleted += delete_in_batches(
            RevokedFamily.objects.exclude(Exists(live_members)).order_by(), batch_size
        )
        return deleted


def delete_in_batches(queryset: Any, batch_size: int) -> int:
    deleted = 0
    while True:
        batch = list(queryset.values_list("pk", flat=True)[:batch_size])
        if not batch:
            return deleted
        deleted += queryset.model.objects.filter(pk__in=batch).delete()[0]


def family_user(family: uuid.UUID) -> Any:
    """Return the user recorded with a member of ``family``, for the admin."""
    from ..models import IssuedRefreshToken

    members = IssuedRefreshToken.objects.filter(family=family).exclude(user=None)
    member = next(iter(members.select_related("user").order_by()[:1]), None)
    return None if member is None else member.user
