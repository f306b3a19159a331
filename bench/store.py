"""P5: the revocation check against a large table, and jwt_ext_purge's time and memory."""

import gc
import io
import itertools
import time
import tracemalloc
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction

from django_jwt_ext import create_access_token, decode_token, defaults
from django_jwt_ext.models import IssuedRefreshToken, RevokedToken
from django_jwt_ext.revocation import is_token_revoked

from . import timing
from .report import Section

BATCH = 10_000
FEW_ROWS = 1_000
MANY_ROWS = 1_000_000
PURGE_ROWS = (10_000, 100_000)
LIVE_ROWS = 1_000
AMONG_LIVE_ROWS = 10_000
FLAT_MEMORY = 1.5  # peak memory at the large purge / at the small one


def insert_revoked(count: int, expires_at: datetime, revoked_at: datetime | None = None) -> float:
    """Insert ``count`` RevokedToken rows in one transaction; return the seconds taken.

    ``executemany`` in batches: building a million model instances for
    ``bulk_create`` would cost more than the inserts themselves.
    """
    meta = RevokedToken._meta
    fields = ["jti", "token_type", "identity", "user", "expires_at", "revoked_at", "reason"]
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in fields)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    expires = connection.ops.adapt_datetimefield_value(expires_at)
    revoked = connection.ops.adapt_datetimefield_value(revoked_at or datetime.now(timezone.utc))
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        done = 0
        while done < count:
            size = min(BATCH, count - done)
            cursor.executemany(
                sql,
                [
                    (str(uuid.uuid4()), "access", str(index % 10_000), None, expires, revoked, "")
                    for index in range(done, done + size)
                ],
            )
            done += size
    return time.perf_counter() - start


def delete_all() -> None:
    with connection.cursor() as cursor:
        for model in (RevokedToken, IssuedRefreshToken):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def check_costs(claims: dict[str, Any]) -> dict[str, timing.Timing]:
    """Time both checks for tokens that are not revoked.

    Each call asks about another ``jti``, so that lookups land on different
    index pages instead of one page the database keeps cached.
    """
    variants = [{**claims, "jti": str(uuid.uuid4())} for _ in range(4096)]
    assert is_token_revoked(variants[0]) is False
    assert defaults.user_and_revocation(variants[0])[1] is False
    tokens, users = itertools.cycle(variants), itertools.cycle(variants)
    return timing.compare(
        {
            "is_token_revoked": lambda: is_token_revoked(next(tokens)),
            "user_and_revocation": lambda: defaults.user_and_revocation(next(users)),
        }
    )


def purge_among_live(rows: int) -> float:
    """Time jwt_ext_purge of ``rows`` expired rows revoked before the live rows in the table."""
    now = datetime.now(timezone.utc)
    live = RevokedToken.objects.count()
    insert_revoked(rows, now - timedelta(days=1), revoked_at=now - timedelta(days=2))
    out = io.StringIO()
    start = time.perf_counter()
    call_command("jwt_ext_purge", stdout=out)
    seconds = time.perf_counter() - start
    assert out.getvalue().strip() == f"Deleted {rows} expired record(s).", out.getvalue()
    assert RevokedToken.objects.count() == live
    return seconds


def purge(rows: int) -> tuple[float, int]:
    """Run jwt_ext_purge over ``rows`` expired rows (and LIVE_ROWS live ones).

    Return the seconds it took and, from a second identical run under
    tracemalloc, the peak of the Python memory it allocated, in bytes.
    """
    now = datetime.now(timezone.utc)
    seconds, peak = 0.0, 0
    for traced in (False, True):
        delete_all()
        insert_revoked(rows, now - timedelta(days=1))
        insert_revoked(LIVE_ROWS, now + timedelta(days=1))
        out = io.StringIO()
        if traced:
            gc.collect()  # garbage of earlier steps must not be freed into the figure
            tracemalloc.start()
            baseline = tracemalloc.get_traced_memory()[0]
        start = time.perf_counter()
        call_command("jwt_ext_purge", stdout=out)
        elapsed = time.perf_counter() - start
        if traced:
            peak = tracemalloc.get_traced_memory()[1] - baseline
            tracemalloc.stop()
        else:
            seconds = elapsed
        assert out.getvalue().strip() == f"Deleted {rows} expired record(s).", out.getvalue()
        assert RevokedToken.objects.count() == LIVE_ROWS
    return seconds, peak


def p5(user: Any, many_rows: int = MANY_ROWS, purge_rows=PURGE_ROWS) -> Section:
    section = Section(
        f"P5  revocation check with {many_rows:,} / {FEW_ROWS:,} revoked rows; jwt_ext_purge"
    )
    claims = decode_token(create_access_token(user))
    future = datetime.now(timezone.utc) + timedelta(days=1)
    delete_all()
    insert_revoked(FEW_ROWS, future)
    few = check_costs(claims)
    seconds = insert_revoked(many_rows - FEW_ROWS, future)
    section.value(
        f"insert {many_rows - FEW_ROWS:,} rows (executemany, one transaction)", f"{seconds:.1f} s"
    )
    many = check_costs(claims)
    for key, name, label in [
        ("P5a", "is_token_revoked", "is_token_revoked(claims)"),
        ("P5b", "user_and_revocation", "user + revocation query (default hot path)"),
    ]:
        section.timing(f"{label}, {FEW_ROWS:,} rows", few[name])
        section.timing(f"{label}, {many_rows:,} rows", many[name])
        section.figure(key, "  ratio", many[name].median / few[name].median, 1.5)
    among = purge_among_live(AMONG_LIVE_ROWS)
    section.value(
        f"  (info) jwt_ext_purge of {AMONG_LIVE_ROWS:,} expired among {many_rows:,} live rows",
        f"{among:.2f} s",
    )

    peaks = {}
    for rows in purge_rows:
        seconds, peaks[rows] = purge(rows)
        section.value(
            f"jwt_ext_purge of {rows:,} expired rows: time, peak memory",
            f"{seconds:.2f} s, {peaks[rows] / 1024:,.0f} KiB",
        )
    small, large = purge_rows[0], purge_rows[-1]
    section.figure(
        "P5c",
        f"peak memory ratio, purge of {large:,} / {small:,} rows",
        peaks[large] / peaks[small],
        FLAT_MEMORY,
    )
    delete_all()
    return section
