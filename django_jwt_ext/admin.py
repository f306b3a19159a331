"""Admin screens for issued and revoked tokens; they show ``jti`` values, never tokens."""

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Field,
    Model,
    OuterRef,
    Q,
    QuerySet,
)
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats
from django.utils import timezone as django_timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import IssuedRefreshToken, RevokedFamily, RevokedIdentity, RevokedToken
from .revocation import TokenRecord, get_backend, identity_of
from .revocation.records import DIGEST_PREFIX
from .revocation.store import reaching_store

USER_SEARCH = f"user__{get_user_model().USERNAME_FIELD}"


# The changelists fit a 1280 px screen: identifiers are cut to their first
# characters (the whole value in a tooltip and in the change view), dates use
# the short format, and reasons and usernames wrap (static/django_jwt_ext/admin.css).
SHORT_LENGTH = 8
# Identities are often readable (a username, an e-mail): cut them later.
IDENTITY_SHORT_LENGTH = 24
ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"


def shortened(value: str, length: int = SHORT_LENGTH) -> SafeString:
    """Return ``value`` cut to ``length`` characters, the whole value in its tooltip.

    A ``sha256:`` digest keeps its prefix and 8 hex digits; a narrow column
    may break it after the prefix, and nowhere else.
    """
    prefix = DIGEST_PREFIX if value.startswith(DIGEST_PREFIX) else ""
    rest = value[len(prefix) :]
    keep = SHORT_LENGTH if prefix else length
    if len(rest) <= keep + 1:  # An ellipsis would hide nothing.
        title, shown = "", rest
    else:
        title, shown = format_html(' title="{}"', value), rest[:keep] + ELLIPSIS
    return format_html(
        '<span class="jwt-ext-value"{}>{}{}<span>{}</span></span>',
        title,
        prefix,
        mark_safe("<wbr>") if prefix else "",
        shown,
    )


def compact_datetime(value: datetime | None) -> SafeString | None:
    """Return a date in the locale's short format; it may wrap between date and time only."""
    if value is None:
        return None
    if django_timezone.is_aware(value):
        value = django_timezone.localtime(value)
    date = formats.date_format(value, "SHORT_DATE_FORMAT").replace(" ", "\N{NO-BREAK SPACE}")
    time = formats.time_format(value, "TIME_FORMAT").replace(" ", "\N{NO-BREAK SPACE}")
    # The tooltip has the seconds, which logout everywhere compares.
    moment = value.isoformat(timespec="seconds")
    return format_html('<time datetime="{}" title="{}">{} {}</time>', moment, moment, date, time)


def short_column(model: type[Model], name: str, length: int = SHORT_LENGTH) -> Callable:
    """Return a changelist column showing field ``name`` shortened, sorted by the field."""
    field = cast(Field, model._meta.get_field(name))

    @admin.display(description=field.verbose_name, ordering=name)
    def column(obj: Model) -> SafeString | None:
        value = getattr(obj, name)
        return shortened(str(value), length) if value not in (None, "") else None

    column.__name__ = name  # Its cells keep the CSS class field-<name>.
    return column


def date_column(model: type[Model], name: str) -> Callable:
    """Return a changelist column showing date field ``name`` compactly, sorted by it."""
    field = cast(Field, model._meta.get_field(name))

    @admin.display(description=field.verbose_name, ordering=name)
    def column(obj: Model) -> SafeString | None:
        return compact_datetime(getattr(obj, name))

    column.__name__ = name
    return column


def user_link(user: Any, fallback: str = "") -> str:
    """Return a link to the user's admin page, or ``fallback`` (shortened) without a user."""
    if user is None:
        return shortened(fallback, IDENTITY_SHORT_LENGTH) if fallback else "-"
    meta = user._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[user.pk])
    return format_html('<a href="{}">{}</a>', url, user)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records made by the revocation API: viewed, filtered, deleted, never typed in."""

    raw_id_fields = ("user",)
    list_select_related = ("user",)
    list_per_page = 100
    show_full_result_count = False  # COUNT(*) over millions of rows on every page is slow.

    class Media:
        css = {"all": ["django_jwt_ext/admin.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Delete the records, then any copy a cache in front of the database keeps."""
        jtis, identities = self.revocation_keys(queryset)
        super().delete_queryset(request, queryset)
        reaching_store(lambda: get_backend().forget(jtis, identities))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete_queryset(request, type(obj)._default_manager.filter(pk=obj.pk))

    def revocation_keys(self, queryset: QuerySet) -> tuple[list[str], list[str]]:
        """Return the ``jti`` values and identities whose revocation deleting lifts."""
        return [], []

    @admin.display(description=_("user"), ordering="user")
    def user_display(self, obj: Any) -> str:
        return user_link(obj.user, obj.identity)

    @admin.action(description=_("Revoke all tokens of these users"), permissions=["delete"])
    def revoke_users(self, request: HttpRequest, queryset: QuerySet) -> None:
        pairs = set(queryset.values_list("identity", "user"))
        users = get_user_model()._default_manager.in_bulk([pk for _, pk in pairs if pk is not None])
        # The identity the listed tokens carry, and the one the manager's
        # user_identity_loader makes of their user today (if it differs).
        targets: dict[str, Any] = {}
        for identity, user_pk in pairs:
            user = users.get(user_pk)
            targets.setdefault(identity, user)
            if user is not None:
                targets.setdefault(identity_of(user), user)
        backend, reason = get_backend(), f"Admin: {request.user}"
        now = datetime.now(timezone.utc)

        def revoke_all() -> None:
            for identity, user in targets.items():
                backend.revoke_identity(identity, now, reason, user)

        reaching_store(revoke_all)
        count = len({user_pk for _, user_pk in pairs if user_pk is not None}) or len(targets)
        self.message_user(
            request,
            ngettext(
                "Revoked every token of %(count)d user.",
                "Revoked every token of %(count)d users.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class RevokedFilter(admin.SimpleListFilter):
    title = _("revoked")
    parameter_name = "revoked"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(is_revoked=self.value() == "yes")
        return queryset


@admin.register(IssuedRefreshToken)
class IssuedRefreshTokenAdmin(ReadOnlyAdmin):
    list_display = (
        short_column(IssuedRefreshToken, "jti"),
        "user_display",
        date_column(IssuedRefreshToken, "issued_at"),
        date_column(IssuedRefreshToken, "expires_at"),
        date_column(IssuedRefreshToken, "used_at"),
        "revoked",
        short_column(IssuedRefreshToken, "family"),
    )
    list_filter = (RevokedFilter, "issued_at", "expires_at", "used_at")
    search_fields = ("=jti", "=identity", "=family", USER_SEARCH)
    date_hierarchy = "issued_at"
    actions = ["revoke_selected", "revoke_users"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Every way a token is revoked: its jti, its family, a logout
        # everywhere of its identity at or after its issue (same second included).
        by_jti = Exists(RevokedToken.objects.filter(jti=OuterRef("jti")))
        by_family = Exists(RevokedFamily.objects.filter(family=OuterRef("family")))
        by_logout = Exists(
            RevokedIdentity.objects.filter(
                identity=OuterRef("identity"), revoked_before__gte=OuterRef("issued_at")
            )
        )
        revoked = ExpressionWrapper(
            Q(by_jti) | Q(by_family) | Q(by_logout), output_field=BooleanField()
        )
        return super().get_queryset(request).annotate(is_revoked=revoked)

    @admin.display(description=_("revoked"), boolean=True, ordering="is_revoked")
    def revoked(self, obj: IssuedRefreshToken) -> bool:
        return obj.is_revoked  # type: ignore[attr-defined]

    @admin.action(description=_("Revoke selected refresh tokens"), permissions=["delete"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        backend, reason = get_backend(), f"Admin: {request.user}"

        def revoke_all() -> int:
            return sum(
                backend.revoke(
                    TokenRecord(
                        issued.jti,
                        "refresh",
                        issued.identity,
                        issued.issued_at.timestamp(),
                        issued.expires_at,
                    ),
                    reason,
                    issued.user,
                )
                for issued in queryset.select_related("user")
            )

        revoked = reaching_store(revoke_all)
        self.message_user(
            request,
            ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )


@admin.register(RevokedToken)
class RevokedTokenAdmin(ReadOnlyAdmin):
    list_display = (
        short_column(RevokedToken, "jti"),
        "token_type",
        "user_display",
        date_column(RevokedToken, "revoked_at"),
        date_column(RevokedToken, "expires_at"),
        "reason",
    )
    list_filter = ("token_type", "revoked_at", "expires_at")
    search_fields = ("=jti", "=identity", USER_SEARCH, "reason")
    date_hierarchy = "revoked_at"
    actions = ["revoke_users"]

    def revocation_keys(self, queryset: QuerySet) -> tuple[list[str], list[str]]:
        return list(queryset.values_list("jti", flat=True)), []


@admin.register(RevokedIdentity)
class RevokedIdentityAdmin(ReadOnlyAdmin):
    list_display = (
        short_column(RevokedIdentity, "identity", IDENTITY_SHORT_LENGTH),
        "user_display",
        date_column(RevokedIdentity, "revoked_before"),
        "reason",
    )
    list_filter = ("revoked_before",)
    search_fields = ("=identity", USER_SEARCH, "reason")
    date_hierarchy = "revoked_before"

    def revocation_keys(self, queryset: QuerySet) -> tuple[list[str], list[str]]:
        return [], list(queryset.values_list("identity", flat=True))

    @admin.display(description=_("user"), ordering="user")
    def user_display(self, obj: RevokedIdentity) -> str:
        return user_link(obj.user)  # The identity has a column of its own.


@admin.register(RevokedFamily)
class RevokedFamilyAdmin(ReadOnlyAdmin):
    list_display = (
        short_column(RevokedFamily, "family"),
        short_column(RevokedFamily, "jti"),
        "user_display",
        date_column(RevokedFamily, "revoked_at"),
        "reason",
    )
    list_filter = ("revoked_at",)
    search_fields = ("=family", "=identity", "=jti", USER_SEARCH, "reason")
    date_hierarchy = "revoked_at"
    actions = ["revoke_users"]
