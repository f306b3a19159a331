from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext, ngettext

from django_jwt_ext.i18n import gettext_noop
from django_jwt_ext.management.base import TranslatedCommand
from django_jwt_ext.revocation import get_backend, identity_of, revoke_user_tokens


class Command(TranslatedCommand):
    help = gettext_noop(
        "Revoke every token of a user issued up to now (logout everywhere). "
        "Each run is kept, with its reason; the latest one counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "user", help=gettext("Username of the user (or identity with --identity).")
        )
        parser.add_argument(
            "--identity",
            action="store_true",
            help=gettext("Treat USER as the tokens' identity claim value instead of a username."),
        )
        parser.add_argument("--reason", default="", help=gettext("Kept with the revocation."))

    def handle(self, *args, user, identity, reason, **options):
        if identity:
            target = user
        else:
            user_model = get_user_model()
            try:
                target = user_model._default_manager.get_by_natural_key(user)
            except user_model.DoesNotExist:
                raise CommandError(
                    gettext("No user with username %(username)s.") % {"username": repr(user)}
                ) from None
        try:
            # The reason is stored data, not a message: it is not translated.
            revoke_user_tokens(target, reason=reason or "jwt_ext_revoke")
        except NotImplementedError:
            raise CommandError(
                gettext("%(backend)s does not support logging out everywhere.")
                % {"backend": type(get_backend()).__name__}
            ) from None
        self.stdout.write(
            gettext("Revoked every token of %(user)s issued up to now.") % {"user": target}
        )
        self.stdout.write(self.known_tokens(identity_of(target)))

    def known_tokens(self, identity: str) -> str:
        """Say how many recorded refresh tokens carry ``identity``."""
        if not get_backend().keeps_users:
            return gettext("The revocation backend keeps no record of issued tokens to count.")
        from django_jwt_ext.models import IssuedRefreshToken

        count = IssuedRefreshToken.objects.filter(identity=identity).count()
        if not count:
            return gettext(
                "No recorded refresh token carries the identity %(identity)s: "
                "check the spelling if you expected some."
            ) % {"identity": repr(identity)}
        # English says "token(s)" whatever the count (both forms are the
        # message id); the catalogues use each language's plural forms.
        return ngettext(
            "%(count)d recorded refresh token(s) carry the identity %(identity)s.",
            "%(count)d recorded refresh token(s) carry the identity %(identity)s.",
            count,
        ) % {"count": count, "identity": repr(identity)}
