"""DatabaseBackend: revocations in the Django ORM (the default store)."""

import uuid
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    connections,
    router,
    transaction,
)
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Exists, Field, Model, OuterRef
from django.db.models.manager import BaseManager
from django.utils import timezone

from .base import RevocationBackend, RevocationState, TokenRecord, leeway_seconds

# What a database that cannot be reached raises (not the errors of a bad query).
UNREACHABLE_DATABASE: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


# The hot-path queries are written once per database and user model and
# cached: building them through the ORM on every request cost more than
# running them (see docs/performance.rst).


def column(model: type[Model], name: str) -> str:
    return cast(str, cast(Field, model._meta.get_field(name)).column)


def revocation_columns(connection: BaseDatabaseWrapper) -> tuple[str, str]:
    """Return two SQL expressions: is the jti revoked, and the identity's last logout.

    Their parameters are the ``jti``, then the identity.
    """
    from ..models import RevokedIdentity, RevokedToken

    quote = connection.ops.quote_name
    jti_revoked = (
        f"EXISTS(SELECT 1 FROM {quote(RevokedToken._meta.db_table)} "
        f"WHERE {quote(column(RevokedToken, 'jti'))} = %s)"
    )
    last_logout = (
        f"(SELECT {quote(column(RevokedIdentity, 'revoked_before'))} "
        f"FROM {quote(RevokedIdentity._meta.db_table)} "
        f"WHERE {quote(column(RevokedIdentity, 'identity'))} = %s)"
    )
    return jti_revoked, last_logout


@cache
def state_sql(alias: str) -> str:
    connection = connections[alias]
    jti_revoked, last_logout = revocation_columns(connection)
    return f"SELECT {jti_revoked}, {last_logout}{connection.features.bare_select_suffix}"


@cache
def user_sql(alias: str, user_label: str) -> str:
    """Return the user row by primary key, with the revocation columns alongside."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = apps.get_model(user_label)._meta
    table = quote(meta.db_table)
    jti_revoked, last_logout = revocation_columns(connection)
    return (
        f"SELECT {table}.*, {jti_revoked} AS jwt_ext_jti_revoked, "
        f"{last_logout} AS jwt_ext_revoked_before "
        f"FROM {table} WHERE {table}.{quote(meta.pk.column)} = %s"
    )


def plain_user_table(user_model: type[Model]) -> bool:
    """Tell whether one table holds every user and the default manager filters nothing."""
    inherited = type(user_model._default_manager).get_queryset is BaseManager.get_queryset
    return inherited and not user_model._meta.parents


def datetime_from_db(value: Any, connection: BaseDatabaseWrapper) -> datetime | None:
    """Convert a ``revoked_before`` value read with raw SQL, as the ORM would."""
    from ..models import RevokedIdentity

    if value is None:
        return None
    field = cast(Field, RevokedIdentity._meta.get_field("revoked_before"))
    expression = field.get_col(RevokedIdentity._meta.db_table)
    converters = connection.ops.get_db_converters(expression)
    for converter in converters + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value


class DatabaseBackend(RevocationBackend):
    """Keep revocations in the database: one indexed lookup per check.

    With the default user lookup the check rides along the user query, so a
    protected request costs a single query.
    """

    unavailable_errors = UNREACHABLE_DATABASE
    keeps_users = True

    def is_revoked(self, token: TokenRecord) -> bool:
        return self.state(token).covers(token)

    def state(self, token: TokenRecord) -> RevocationState:
        """Return what the database knows of ``token``, in one query."""
        from ..models import RevokedToken

        connection = connections[router.db_for_read(RevokedToken)]
        with connection.cursor() as cursor:
            cursor.execute(state_sql(connection.alias), [token.jti, token.identity])
            jti_hit, revoked_before = cursor.fetchone()
        return RevocationState(bool(jti_hit), datetime_from_db(revoked_before, connection))

    def user_and_revocation(self, pk: Any, token: TokenRecord) -> tuple[Any, bool]:
        from ..models import RevokedToken

        user_model = get_user_model()
        alias = router.db_for_read(user_model)
        if alias != router.db_for_read(RevokedToken) or not plain_user_table(user_model):
            return super().user_and_revocation(pk, token)
        connection = connections[alias]
        params = [token.jti, token.identity, user_model._meta.pk.get_db_prep_value(pk, connection)]
        sql = user_sql(alias, user_model._meta.label)
        user = next(iter(user_model._default_manager.db_manager(alias).raw(sql, params)), None)
        if user is None:
            # No such user: the lookup refuses the token anyway, but a revoked
            # token must be reported as revoked first.
            return None, self.is_revoked(token)
        state = RevocationState(
            bool(user.jwt_ext_jti_revoked),
            datetime_from_db(user.jwt_ext_revoked_before, connection),
        )
        del user.jwt_ext_jti_revoked, user.jwt_ext_revoked_before
        revoked = state.covers(token)
        return (None if revoked else user), revoked

    def revoke(self, token: TokenRecord, reason: str = "", user: Any = None) -> bool:
        from ..models import RevokedToken

        if token.jti is None:
            return False
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

        RevokedIdentity.objects.update_or_create(
            identity=identity,
            defaults={
                "revoked_before": revoked_before,
                "reason": reason,
                "user": user,
            },
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
            expires_at=token.expires_at,
        )

    def refresh_lineage(self, token: TokenRecord) -> tuple[uuid.UUID, Any] | None:
        from ..models import IssuedRefreshToken

        if token.jti is None:
            return None  # Nothing to consume once: never exchanged.
        rows = IssuedRefreshToken.objects.filter(jti=token.jti).values_list(
            "family", "user_id", "used_at"
        )
        row = next(iter(rows[:1]), None)
        if row is None:
            # Issued before the store knew it (or elsewhere): record it now.
            try:
                with transaction.atomic():
                    self.record_refresh_token(token, uuid.uuid4())
            except IntegrityError:
                pass  # A concurrent request recorded it first.
            row = rows.get()
        family, user_id, used_at = row
        if used_at is not None:
            self.revoke_family(family, reason="Refresh token reused")
            return None
        return family, user_id

    def consume_refresh_token(self, token: TokenRecord, family: uuid.UUID) -> bool:
        from ..models import IssuedRefreshToken

        # The conditional UPDATE is the atomic step: of concurrent requests
        # presenting the same token, exactly one sees it unused.
        unused = IssuedRefreshToken.objects.filter(jti=token.jti, used_at__isnull=True)
        if unused.update(used_at=timezone.now()):
            return True
        self.revoke_family(family, reason="Refresh token reused")
        return False

    def revoke_family(self, family: uuid.UUID, reason: str) -> None:
        """Revoke every refresh token of ``family``."""
        from ..models import IssuedRefreshToken, RevokedToken

        members = (
            IssuedRefreshToken.objects.filter(family=family)
            .exclude(Exists(RevokedToken.objects.filter(jti=OuterRef("jti"))))
            .select_related("user")
        )
        for member in members:
            self.revoke(
                TokenRecord(member.jti, "refresh", member.identity, None, member.expires_at),
                reason,
                member.user,
            )

    def purge_expired(self, batch_size: int = 1000) -> int:
        from ..models import IssuedRefreshToken, RevokedToken

        # A token within the decode leeway is still accepted: keep its rows.
        cutoff = timezone.now() - timedelta(seconds=leeway_seconds())
        deleted = 0
        for model in (RevokedToken, IssuedRefreshToken):
            # Unordered: the default ordering would walk another index and
            # skip every live row at each batch.
            expired = model.objects.filter(expires_at__lt=cutoff).order_by()
            while True:
                batch = list(expired.values_list("pk", flat=True)[:batch_size])
                if not batch:
                    break
                deleted += model.objects.filter(pk__in=batch).delete()[0]
        return deleted
