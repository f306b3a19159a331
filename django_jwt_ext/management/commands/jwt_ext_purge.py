from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError

from django_jwt_ext.revocation import get_backend


def positive_int(value: str) -> int:
    """Parse a strictly positive integer (argparse type)."""
    try:
        number = int(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not an integer") from None
    if number < 1:
        raise ArgumentTypeError(f"must be at least 1, got {number}")
    return number


class Command(BaseCommand):
    help = (
        "Delete revocation records of tokens that have expired, in batches. "
        "Run it daily from cron; the cache backend needs none (entries expire)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=1000,
            help="Rows deleted per query, at least 1 (default 1000).",
        )

    def handle(self, *args, batch_size, **options):
        backend = get_backend()
        try:
            deleted = backend.purge_expired(batch_size=batch_size)
        except NotImplementedError:
            raise CommandError(
                f"{type(backend).__name__} does not support purging expired records."
            ) from None
        self.stdout.write(f"Deleted {deleted} expired record(s).")
