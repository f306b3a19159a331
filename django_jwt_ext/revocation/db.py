"""DatabaseBackend: revocations in the Django ORM (the default store)."""

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import (
    DateTimeField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from .base import RevocationBackend, RevocationState, TokenRecord, leeway_seconds

# What a database that cannot be reached raises (not the errors of a bad query).
UNREACHABLE_DATABASE: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


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
        from ..models import RevokedIdentity, RevokedToken

        # Both sides select the same two named annotations, unordered: Django
        # versions differ in how they order plain fields among expressions.
        by_jti = (
            RevokedToken.objects.filter(jti=token.jti)
            .annotate(jti_hit=Value(True), before=Value(None, output_field=DateTimeField()))
            .order_by()
            .values_list("jti_hit", "before")
        )
        by_identity = (
            RevokedIdentity.objects.filter(identity=token.identity)
            .annotate(jti_hit=Value(False), before=F("revoked_before"))
            .order_by()
            .values_list("jti_hit", "before")
        )
        jti_revoked, revoked_before = False, None
        for row_jti_revoked, row_before in by_jti.union(by_identity, all=True).order_by():
            if row_jti_revoked:
                jti_revoked = True
            else:
                revoked_before = row_before
        return RevocationState(jti_revoked, revoked_before)

    def user_and_revocation(self, users: QuerySet, token: TokenRecord) -> tuple[Any, bool]:
        from ..models import RevokedIdentity, RevokedToken

        marker = RevokedIdentity.objects.filter(identity=token.identity)
        annotated = users.annotate(
            jwt_ext_jti_revoked=Exists(RevokedToken.objects.filter(jti=token.jti)),
            jwt_ext_revoked_before=Subquery(marker.values("revoked_before")[:1]),
        )
        user = next(iter(annotated[:1]), None)
        if user is None:
            # No such user: the lookup refuses the token anyway, but a revoked
            # token must be reported as revoked first.
            return None, self.is_revoked(token)
        revoked = RevocationState(user.jwt_ext_jti_revoked, user.jwt_ext_revoked_before).covers(
            token
        )
        for name in ("jwt_ext_jti_revoked", "jwt_ext_revoked_before"):
            delattr(user, name)
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

    def consume_refresh_token(self, token: TokenRecord) -> tuple[uuid.UUID, Any] | None:
        from ..models import IssuedRefreshToken

        if token.jti is None:
            return None
        now = timezone.now()
        tokens = IssuedRefreshToken.objects.filter(jti=token.jti)
        # The conditional UPDATE is the atomic step: of concurrent requests
        # presenting the same token, exactly one sees it unused.
        if tokens.filter(used_at__isnull=True).update(used_at=now):
            return tokens.values_list("family", "user_id").get()
        family = tokens.values_list("family", flat=True).first()
        if family is None:
            # Issued before the store knew it (or elsewhere): start its record as used.
            family = uuid.uuid4()
            try:
                with transaction.atomic():
                    IssuedRefreshToken.objects.create(
                        jti=token.jti,
                        family=family,
                        identity=token.identity,
                        expires_at=token.expires_at,
                        used_at=now,
                    )
                return family, None
            except IntegrityError:
                family = tokens.values_list("family", flat=True).get()
        self.revoke_family(family, reason="Refresh token reused")
        return None

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
            expired = model.objects.filter(expires_at__lt=cutoff)
            while True:
                batch = list(expired.values_list("pk", flat=True)[:batch_size])
                if not batch:
                    break
                deleted += model.objects.filter(pk__in=batch).delete()[0]
        return deleted
