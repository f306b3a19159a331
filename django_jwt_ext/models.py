"""What the database revocation store keeps: ``jti`` values and dates, never a token."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .revocation.records import IDENTITY_LENGTH, JTI_LENGTH

ACCESS = "access"
REFRESH = "refresh"
TOKEN_TYPES = [(ACCESS, _("access")), (REFRESH, _("refresh"))]


def user_field() -> models.ForeignKey:
    """Link a record to its user for the admin; deleting the user keeps the record."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class IssuedRefreshToken(models.Model):
    """One refresh token handed out; tokens refreshed from one login share a family."""

    jti = models.CharField(_("JWT ID"), max_length=JTI_LENGTH, unique=True)
    family = models.UUIDField(_("family"), db_index=True)
    identity = models.CharField(_("identity"), max_length=IDENTITY_LENGTH, db_index=True)
    user = user_field()
    # The token's iat (whole seconds), which logout everywhere compares.
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)
    used_at = models.DateTimeField(
        _("rotated at"),
        null=True,
        blank=True,
        help_text=_("When the token was exchanged for a new one (refresh rotation)."),
    )

    class Meta:
        verbose_name = _("issued refresh token")
        verbose_name_plural = _("issued refresh tokens")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.jti


class RevokedToken(models.Model):
    """A token that is refused until it expires.

    Deleting the user keeps the row (``user`` becomes null): a revocation must
    outlive its user, or a stolen token of a deleted user would work again.
    """

    jti = models.CharField(_("JWT ID"), max_length=JTI_LENGTH, unique=True)
    token_type = models.CharField(_("type"), max_length=16, choices=TOKEN_TYPES)
    identity = models.CharField(
        _("identity"), max_length=IDENTITY_LENGTH, blank=True, db_index=True
    )
    user = user_field()
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), default=timezone.now, db_index=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("revoked token")
        verbose_name_plural = _("revoked tokens")
        ordering = ["-revoked_at"]

    def __str__(self) -> str:
        return self.jti


class RevokedIdentity(models.Model):
    """Logout everywhere: every token of this identity issued up to ``revoked_before``.

    One row per logout, so the history stays; the latest one counts.
    """

    identity = models.CharField(_("identity"), max_length=IDENTITY_LENGTH)
    user = user_field()
    revoked_before = models.DateTimeField(_("tokens issued up to"), db_index=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("logout everywhere")
        verbose_name_plural = _("logouts everywhere")
        ordering = ["-revoked_before"]
        indexes = [
            models.Index(fields=["identity", "revoked_before"], name="jwt_ext_identity_logout")
        ]

    def __str__(self) -> str:
        return self.identity


class RevokedFamily(models.Model):
    """A refresh-token family refused for good: a member was presented twice.

    It covers every member, including successors recorded after it.
    """

    family = models.UUIDField(_("family"), unique=True)
    identity = models.CharField(_("identity"), max_length=IDENTITY_LENGTH, blank=True)
    user = user_field()
    jti = models.CharField(_("replayed JWT ID"), max_length=JTI_LENGTH, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), default=timezone.now, db_index=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("revoked refresh-token family")
        verbose_name_plural = _("revoked refresh-token families")
        ordering = ["-revoked_at"]

    def __str__(self) -> str:
        return str(self.family)
