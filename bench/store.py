"""P5: the revocation check against a large table, and jwt_ext_purge's time and memory.

Both tables are built first, in two databases (schemas on PostgreSQL):
``few`` with 1,000 revoked rows and ``many`` with 1,000,000. The checks
then alternate between them in one interleaved comparison.
"""

import gc
import io
import time
import tracemalloc
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from django.core.management import call_command

from django_jwt_ext import create_access_token, decode_token, verify_jwt_in_request
from django_jwt_ext.models import RevokedToken
from django_jwt_ext.revocation import is_token_revoked

from . import database, routing, timing
from .fresh import django_request
from .report import Section
from .timing import Contender, Spread

FEW_ROWS = 1_000
MANY_ROWS = 1_000_000
PURGE_ROWS = (10_000, 100_000)
LIVE_ROWS = 1_000
AMONG_LIVE_ROWS = 10_000
FLAT = 1.5  # the targets: at most 1.5 times the small table's figure


def build(many_rows: int) -> list[tuple[str, float]]:
    """Fill ``few`` and ``many`` with live revoked rows; return what each insert took."""
    future = datetime.now(timezone.utc) + timedelta(days=1)
    timings = []
    for alias, rows in (("few", FEW_ROWS), ("many", many_rows)):
        database.delete_revocations(alias)
        timings.append((alias, database.fill_revoked(alias, rows, future, bulk=True)))
        database.analyze(alias)
    return timings


def routed(alias: str) -> Any:
    """Return a setup that sends every query to ``alias``."""
    return lambda: routing.using(alias)


def check_contenders(user: Any) -> list[Contender]:
    """Both checks on both tables; every call asks about a ``jti`` never seen before.

    A new ``jti`` per call lands each lookup on another index page instead
    of one page the database keeps cached.
    """
    claims = decode_token(create_access_token(user))

    def new_claims() -> dict[str, Any]:
        return {**claims, "jti": str(uuid.uuid4())}

    def new_request() -> Any:
        return django_request(create_access_token(user))

    def checked(claims: dict[str, Any]) -> None:
        assert is_token_revoked(claims) is False

    def verified(request: Any) -> None:
        verify_jwt_in_request(request)

    contenders = []
    for alias in ("few", "many"):
        setup = routed(alias)
        contenders.append(Contender(f"check_{alias}", checked, new_claims, setup))
        contenders.append(Contender(f"request_{alias}", verified, new_request, setup))
    return contenders


def purge_among_live(rows: int) -> float:
    """Time jwt_ext_purge of ``rows`` expired rows revoked before the live rows in the table."""
    now = datetime.now(timezone.utc)
    live = RevokedToken.objects.count()
    database.fill_revoked(routing.current, rows, now - timedelta(days=1), now - timedelta(days=2))
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
        database.delete_revocations(routing.current)
        database.fill_revoked(routing.current, rows, now - timedelta(days=1))
        database.fill_revoked(routing.current, LIVE_ROWS, now + timedelta(days=1))
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


def p5(user: Any, many_rows: int = MANY_ROWS, purge_rows: tuple[int, int] = PURGE_ROWS) -> Section:
    section = Section(
        f"P5  revocation check with {many_rows:,} / {FEW_ROWS:,} revoked rows, alternated;"
        " jwt_ext_purge"
    )
    for alias, seconds in build(many_rows):
        rows = FEW_ROWS if alias == "few" else many_rows
        section.value(
            f"build table {alias!r}: {rows:,} rows (INSERT ... SELECT, then indexes)",
            f"{seconds:.1f} s",
        )
    result = timing.compare(check_contenders(user))
    for kind, label, key in [
        ("check", "is_token_revoked(claims)", "P5a"),
        ("request", "verify_jwt_in_request(request), user + check", "P5b"),
    ]:
        section.timing(f"{label}, {FEW_ROWS:,} rows", result.seconds(f"{kind}_few"))
        section.timing(f"{label}, {many_rows:,} rows", result.seconds(f"{kind}_many"))
        section.figure(
            key,
            f"{label.split('(')[0]}: {many_rows:,} / {FEW_ROWS:,} rows",
            result.ratio(f"{kind}_many", f"{kind}_few"),
            FLAT,
        )
    with routing.using("many"):
        among = purge_among_live(AMONG_LIVE_ROWS)
    section.value(
        f"  (info) jwt_ext_purge of {AMONG_LIVE_ROWS:,} expired among {many_rows:,} live rows",
        f"{among:.2f} s",
    )
    peaks = {}
    with routing.using("few"):
        for rows in purge_rows:
            seconds, peaks[rows] = purge(rows)
            section.value(
                f"jwt_ext_purge of {rows:,} expired rows: time, peak memory",
                f"{seconds:.2f} s, {peaks[rows] / 1024:,.0f} KiB",
            )
    small, large = purge_rows
    ratio = peaks[large] / peaks[small]
    section.figure(
        "P5c", f"purge peak memory: {large:,} / {small:,} rows", Spread(ratio, ratio, ratio), FLAT
    )
    for alias in ("few", "many"):
        database.delete_revocations(alias)
    return section
