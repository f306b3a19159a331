"""The databases a run uses: PostgreSQL schemas when ``DATABASE_URL`` is set, else SQLite files.

Three aliases, each migrated and holding the same user: ``default`` for
every measurement but P5, and ``few`` and ``many``, the two sizes of the
revocation table P5 alternates between. On PostgreSQL they are schemas of
the ``DATABASE_URL`` database, created at the start and dropped at the end,
so that nothing else in that database is touched.
"""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

from testproject.database_url import database_from_url

ALIASES = ("default", "few", "many")
SCHEMA_PREFIX = "jwt_ext_bench"


def database_url() -> str | None:
    return os.environ.get("DATABASE_URL") or None


def schema(alias: str) -> str:
    return SCHEMA_PREFIX if alias == "default" else f"{SCHEMA_PREFIX}_{alias}"


def postgres_settings(url: str, alias: str) -> dict[str, Any]:
    """Return the DATABASES entry of ``alias``: the URL's database, the alias's schema."""
    return {
        **database_from_url(url),
        "OPTIONS": {"options": f"-c search_path={schema(alias)}"},
    }


def sqlite_settings(directory: Path, alias: str) -> dict[str, Any]:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(directory / f"{alias}.sqlite3")}


def databases(directory: Path) -> dict[str, dict[str, Any]]:
    """Return the DATABASES setting of a run."""
    url = database_url()
    if url:
        return {alias: postgres_settings(url, alias) for alias in ALIASES}
    return {alias: sqlite_settings(directory, alias) for alias in ALIASES}


def admin_connection(entry: dict[str, Any]):
    """Connect to the PostgreSQL database of ``entry`` outside Django, in autocommit."""
    import psycopg

    return psycopg.connect(
        dbname=entry["NAME"],
        user=entry["USER"] or None,
        password=entry["PASSWORD"] or None,
        host=entry["HOST"] or None,
        port=entry["PORT"] or None,
        autocommit=True,
    )


def create_schemas(entries: dict[str, dict[str, Any]]) -> None:
    """Create (anew) the schemas of a PostgreSQL run."""
    if not database_url():
        return
    with admin_connection(entries["default"]) as connection:
        for alias in entries:
            connection.execute(f"DROP SCHEMA IF EXISTS {schema(alias)} CASCADE")
            connection.execute(f"CREATE SCHEMA {schema(alias)}")


def drop_schemas(entries: dict[str, dict[str, Any]]) -> None:
    """Drop the schemas of a PostgreSQL run (Django's connections must be closed)."""
    if not database_url():
        return
    with admin_connection(entries["default"]) as connection:
        for alias in entries:
            connection.execute(f"DROP SCHEMA IF EXISTS {schema(alias)} CASCADE")


def describe() -> str:
    """Say which database the run measures, for the report."""
    from django.db import connection

    if connection.vendor == "postgresql":
        entry = connection.settings_dict
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (server_version,) = cursor.fetchone()
        schemas = ", ".join(schema(alias) for alias in ALIASES)
        return (
            f"PostgreSQL {server_version} at {entry['HOST'] or 'local socket'}:"
            f"{entry['PORT'] or 5432}, database {entry['NAME']!r} (DATABASE_URL),"
            f" schemas {schemas}, dropped at the end"
        )
    import sqlite3

    return (
        f"SQLite {sqlite3.sqlite_version}, files in {Path(connection.settings_dict['NAME']).parent}"
        " (DATABASE_URL not set), deleted at the end"
    )


@contextmanager
def indexes_dropped(alias: str, table: str) -> Iterator[None]:
    """Drop the secondary indexes of ``table`` in the block and build them again after it.

    A bulk load's usual recipe: building an index from a million rows at
    once is several times faster than updating it row by row. On SQLite the
    index of a UNIQUE column belongs to the table and stays.
    """
    from django.db import connections

    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'u'",
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes"
                " WHERE schemaname = current_schema() AND tablename = %s AND indexname NOT IN"
                " (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
            indexes = cursor.fetchall()
        else:
            constraints = []
            cursor.execute(
                "SELECT name, sql FROM sqlite_master"
                " WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            indexes = cursor.fetchall()
        quote = connection.ops.quote_name
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        for name, _ in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for name, definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for _, definition in indexes:
            cursor.execute(definition)


def fill_revoked(
    alias: str,
    count: int,
    expires_at: datetime,
    revoked_at: datetime | None = None,
    bulk: bool = False,
) -> float:
    """Insert ``count`` RevokedToken rows with random ``jti`` values; return the seconds taken.

    The database generates the rows itself (``generate_series`` on
    PostgreSQL, a recursive CTE on SQLite): one statement, no round trip
    per row and no Python objects per row. ``bulk`` (for an empty table)
    builds the indexes after the rows (see :func:`indexes_dropped`).
    """
    from django.db import connections, transaction
    from django.utils import timezone

    from django_jwt_ext.models import RevokedToken

    connection = connections[alias]
    meta, quote = RevokedToken._meta, connection.ops.quote_name
    fields = ["jti", "token_type", "identity", "user", "expires_at", "revoked_at", "reason"]
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    table = quote(meta.db_table)
    if connection.vendor == "postgresql":
        sql = (
            f"INSERT INTO {table} ({columns}) "
            "SELECT gen_random_uuid()::text, 'access', (i %% 10000)::text, NULL, %s, %s, ''"
            " FROM generate_series(1, %s) AS i"
        )
    else:
        sql = (
            f"INSERT INTO {table} ({columns}) "
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
            "SELECT jti, 'access', CAST(i %% 10000 AS TEXT), NULL, %s, %s, ''"
            # In key order: the UNIQUE index on jti stays, and grows at its end.
            " FROM (SELECT lower(hex(randomblob(16))) AS jti, i FROM n) ORDER BY jti"
        )
    expires = connection.ops.adapt_datetimefield_value(expires_at)
    revoked = connection.ops.adapt_datetimefield_value(revoked_at or timezone.now())
    params = (
        [expires, revoked, count]
        if connection.vendor == "postgresql"
        else [count, expires, revoked]
    )
    start = time.perf_counter()
    indexes = indexes_dropped(alias, meta.db_table) if bulk else nullcontext()
    # The indexes come back after the commit: the deferred foreign-key checks
    # of the new rows must have run before the table can be altered.
    with indexes, transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return time.perf_counter() - start


def analyze(alias: str) -> None:
    """Refresh the planner's statistics, as autovacuum would on a live table."""
    from django.db import connections

    from django_jwt_ext.models import RevokedToken

    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(RevokedToken._meta.db_table)}")


def delete_revocations(alias: str) -> None:
    from django.db import connections

    from django_jwt_ext.models import IssuedRefreshToken, RevokedToken

    connection = connections[alias]
    with connection.cursor() as cursor:
        for model in (RevokedToken, IssuedRefreshToken):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
