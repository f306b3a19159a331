import json

from django.core.management.base import CommandError
from django.utils.translation import gettext

from django_jwt_ext.config import config
from django_jwt_ext.i18n import gettext_noop
from django_jwt_ext.keys import GENERATED_ALGORITHMS, new_key, pem_thumbprint, published_jwks
from django_jwt_ext.management.base import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_noop(
        "Print a new signing key (generate), or the JWK Set this app publishes (jwks). "
        "Nothing is written: put keys in your settings or secret store yourself."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{generate,jwks}")
        generate = actions.add_parser(
            "generate",
            help=gettext("Print a new private and public key in PEM, or a new HMAC secret."),
        )
        generate.add_argument(
            "--algorithm",
            choices=GENERATED_ALGORITHMS,
            help=gettext("The algorithm the key is for (default: JWT_ALGORITHM)."),
        )
        actions.add_parser(
            "jwks", help=gettext("Print the JWK Set of the current and fallback keys.")
        )

    def handle(self, *args, action, **options):
        if action == "generate":
            self.generate(options.get("algorithm") or config.algorithm)
        else:
            self.jwks()

    def generate(self, algorithm: str) -> None:
        if algorithm not in GENERATED_ALGORITHMS:
            raise CommandError(
                gettext(
                    "Cannot generate a key for %(algorithm)s; "
                    "use --algorithm with one of %(algorithms)s."
                )
                % {"algorithm": algorithm, "algorithms": ", ".join(GENERATED_ALGORITHMS)}
            )
        private, public = new_key(algorithm)
        if public is None:
            self.stdout.write(private)
            self.stderr.write(
                gettext("A new %(algorithm)s secret: set it as JWT_SECRET_KEY.")
                % {"algorithm": algorithm}
            )
            return
        self.stdout.write(private + public, ending="")
        kid = pem_thumbprint(public, algorithm)
        self.stderr.write(
            gettext(
                "A new %(algorithm)s key pair: the first PEM block is JWT_PRIVATE_KEY, the second "
                "JWT_PUBLIC_KEY. Its kid (RFC 7638 thumbprint) is %(kid)s."
            )
            % {"algorithm": algorithm, "kid": kid}
        )

    def jwks(self) -> None:
        key_set = published_jwks()
        if key_set is None:
            raise CommandError(
                gettext(
                    "No public keys to publish: %(algorithm)s keys are HMAC secrets, "
                    "which are never published."
                )
                % {"algorithm": config.algorithm}
            )
        self.stdout.write(json.dumps(key_set, indent=2))
