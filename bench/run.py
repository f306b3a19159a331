"""Run the benchmark: ``python -m bench.run`` (``make bench``, ``make bench-http``).

Prints per-call costs and the ratios of docs/performance.rst with their
spread over three repeats and PASS/MISS against their targets. It exits 0
whatever the figures: they depend on the machine, so a miss is for a
person to read, never a CI failure. Only a measurement that cannot run (a
bug) makes it exit 1.
"""

import argparse
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from . import database, machine, timing, wrk

MEASUREMENTS = ("P1", "P2", "P3", "P4", "P5", "HTTP")
PROFILED = {
    "P1": ("no_check", "cache_check"),
    "P2": ("ours", "skip", "loader", "cached_db", "simplejwt"),
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only",
        nargs="+",
        choices=MEASUREMENTS,
        default=MEASUREMENTS,
        help="measurements to run (P1 includes P6, P2 includes P2b)",
    )
    parser.add_argument("--repeats", type=int, default=timing.REPEATS, help="repeats (default 3)")
    parser.add_argument(
        "--rounds", type=int, default=timing.ROUNDS, help="interleaved rounds per repeat"
    )
    parser.add_argument(
        "--block-ms",
        type=float,
        default=timing.BLOCK_SECONDS * 1000,
        help="time of one contender's block of calls, in ms",
    )
    parser.add_argument(
        "--revoked-rows", type=int, default=1_000_000, help="rows of P5's large table"
    )
    parser.add_argument(
        "--purge-rows",
        type=int,
        nargs=2,
        default=[10_000, 100_000],
        metavar=("SMALL", "LARGE"),
        help="expired rows purged in P5 (default 10,000 and 100,000)",
    )
    parser.add_argument("--http-seconds", type=float, default=3.0, help="seconds per wrk run")
    parser.add_argument("--http-rounds", type=int, default=4, help="wrk runs per server per repeat")
    parser.add_argument(
        "--http-connections", type=int, default=4, help="connections wrk keeps open"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: fewer rounds, rows and wrk runs (figures are rough)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after P1 and P2, profile our contenders with pyinstrument",
    )
    parser.add_argument("--sql", action="store_true", help="print the SQL counted in P4")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.revoked_rows = 8, 100_000
        args.http_seconds, args.http_rounds = 2.0, 2
        args.purge_rows = [1_000, 10_000]
    return args


def create_users() -> Any:
    """Create the benchmark's user in every database, with the same primary key."""
    from django.contrib.auth import get_user_model

    users = [
        get_user_model().objects.db_manager(alias).create_user("bench", password="bench")
        for alias in database.ALIASES
    ]
    assert len({user.pk for user in users}) == 1, "the user must have one primary key everywhere"
    return users[0]


def profiles(key: str, user: Any) -> list[str]:
    from . import drf, verification
    from .profiling import profile
    from .tokens import same_size

    if key == "P1":
        from django_jwt_ext import create_access_token

        contenders = verification.verification_contenders(create_access_token(user))
    else:
        contenders = drf.contenders(*same_size(user))
    return [profile(c) for c in contenders if c.name in PROFILED[key]]


def measure(args: argparse.Namespace, user: Any, databases: dict, directory: Path) -> Any:
    """Run the measurements ``args`` selects; return their figures and those that failed."""
    from . import drf, http_load, queries, store, verification

    runners = {
        "P1": lambda: verification.p1_p6(user),
        "P2": lambda: drf.p2(user),
        "P3": lambda: verification.p3(user),
        "P4": lambda: queries.p4(user, args.sql),
        "P5": lambda: store.p5(user, args.revoked_rows, tuple(args.purge_rows)),
        "HTTP": lambda: http_load.http_comparison(
            user,
            databases["default"],
            directory,
            args.repeats,
            args.http_rounds,
            args.http_seconds,
            args.http_connections,
        ),
    }
    figures, broken = [], []
    for key in MEASUREMENTS:
        if key not in args.only:
            continue
        started = time.perf_counter()
        try:
            section = runners[key]()
            if args.profile and key in PROFILED:
                section.lines += profiles(key, user)
        except Exception:
            # Report it and go on: the other figures are still worth having.
            print(f"\n{key} could not run:\n{traceback.format_exc()}")
            broken.append(key)
            continue
        section.note(f"({time.perf_counter() - started:.0f} s)")
        section.print()
        sys.stdout.flush()
        figures += section.figures
    return figures, broken


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so that servers are stopped and schemas dropped."""

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    timing.REPEATS, timing.ROUNDS = args.repeats, args.rounds
    timing.BLOCK_SECONDS = args.block_ms / 1000
    stop_on_sigterm()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="django-jwt-ext-bench-") as directory:
        from .settings import configure

        databases = configure(Path(directory))
        try:
            from django.db import connections

            from .report import summary

            user = create_users()
            described = database.describe()
            print("django-jwt-ext benchmark: interleaved comparisons, one machine")
            for line in machine.describe():
                print(f"  {line}")
            print(f"  wrk: {wrk.version()}")
            print(f"  Database: {described}")
            print(
                f"  Method: {args.repeats} repeats of {args.rounds} interleaved rounds,"
                f" blocks of about {args.block_ms:g} ms per contender, a fresh request per call,"
                " garbage collector on; figures are medians over the repeats, (low-high)"
                " their spread; ratios below 1 mean ours is cheaper"
            )
            sys.stdout.flush()
            figures, broken = measure(args, user, databases, Path(directory))
        finally:
            connections.close_all()
            database.drop_schemas(databases)

    print()
    for line in summary(figures, described.split(",")[0]):
        print(line)
    if broken:
        print(f"  could not run: {', '.join(broken)}")
    print(f"  Load average at the end (1, 5, 15 min): {machine.load_average()}")
    print(f"  (run took {time.perf_counter() - started:.0f} s)")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
