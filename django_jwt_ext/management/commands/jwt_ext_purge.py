from django.core.management.base import BaseCommand

from django_jwt_ext.revocation import get_backend


class Command(BaseCommand):
    help = (
        "Delete revocation records of tokens that have expired, in batches. "
        "Run it daily from cron; the cache backend needs none (entries expire)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows deleted per query (default 1000)."
        )

    def handle(self, *args, batch_size, **options):
        deleted = get_backend().purge_expired(batch_size=batch_size)
        self.stdout.write(f"Deleted {deleted} expired record(s).")
