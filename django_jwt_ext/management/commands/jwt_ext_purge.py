from argparse import ArgumentTypeError

from django.core.management.base import CommandError
from django.utils.translation import gettext, ngettext

from django_jwt_ext.i18n import gettext_noop
from django_jwt_ext.management.base import TranslatedCommand
from django_jwt_ext.revocation import get_backend


def positive_int(value: str) -> int:
    """Parse a strictly positive integer (argparse type)."""
    try:
        number = int(value)
    except ValueError:
        raise ArgumentTypeError(
            gettext("%(value)s is not an integer") % {"value": repr(value)}
        ) from None
    if number < 1:
        raise ArgumentTypeError(gettext("must be at least 1, got %(number)d") % {"number": number})
    return number


class Command(TranslatedCommand):
    help = gettext_noop(
        "Delete revocation records of tokens that have expired, in batches. "
        "Run it daily from cron; the cache backend needs none (entries expire)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=1000,
            help=gettext("Rows deleted per query, at least 1 (default 1000)."),
        )

    def handle(self, *args, batch_size, **options):
        backend = get_backend()
        try:
            deleted = backend.purge_expired(batch_size=batch_size)
        except NotImplementedError:
            raise CommandError(
                gettext("%(backend)s does not support purging expired records.")
                % {"backend": type(backend).__name__}
            ) from None
        # English says "record(s)" whatever the count (both forms are the
        # message id); the catalogues use each language's plural forms.
        done = ngettext(
            "Deleted %(count)d expired record(s).",
            "Deleted %(count)d expired record(s).",
            deleted,
        )
        self.stdout.write(done % {"count": deleted})
