from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from django_jwt_ext.revocation import revoke_user_tokens


class Command(BaseCommand):
    help = "Revoke every token of a user issued up to now (logout everywhere)."

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
        revoke_user_tokens(target, reason=reason or "jwt_ext_revoke")
        self.stdout.write(f"Revoked every token of {target} issued up to now.")
