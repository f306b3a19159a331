from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from django_jwt_ext.revocation import get_backend, identity_of, revoke_user_tokens


class Command(BaseCommand):
    help = (
        "Revoke every token of a user issued up to now (logout everywhere). "
        "Each run is kept, with its reason; the latest one counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("user", help="Username of the user (or identity with --identity).")
        parser.add_argument(
            "--identity",
            action="store_true",
            help="Treat USER as the tokens' identity claim value instead of a username.",
        )
        parser.add_argument("--reason", default="", help="Kept with the revocation.")

    def handle(self, *args, user, identity, reason, **options):
        if identity:
            target = user
        else:
            user_model = get_user_model()
            try:
                target = user_model._default_manager.get_by_natural_key(user)
            except user_model.DoesNotExist:
                raise CommandError(f"No user with username {user!r}.") from None
        try:
            revoke_user_tokens(target, reason=reason or "jwt_ext_revoke")
        except NotImplementedError:
            raise CommandError(
                f"{type(get_backend()).__name__} does not support logging out everywhere."
            ) from None
        self.stdout.write(f"Revoked every token of {target} issued up to now.")
        self.stdout.write(self.known_tokens(identity_of(target)))

    def known_tokens(self, identity: str) -> str:
        """Say how many recorded refresh tokens carry ``identity``."""
        if not get_backend().keeps_users:
            return "The revocation backend keeps no record of issued tokens to count."
        from django_jwt_ext.models import IssuedRefreshToken

        count = IssuedRefreshToken.objects.filter(identity=identity).count()
        if not count:
            return (
                f"No recorded refresh token carries the identity {identity!r}: "
                "check the spelling if you expected some."
            )
        return f"{count} recorded refresh token(s) carry the identity {identity!r}."
