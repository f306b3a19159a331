"""Run the benchmark: ``python -m bench.run`` (``make bench``).

Prints median per-call costs and the ratios of docs/performance.rst with
PASS/MISS against their targets. It exits 0 whatever the figures: they
depend on the machine, so a miss is for a person to read, never a CI
failure. Only a measurement that cannot run (a bug) makes it exit 1.
"""

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import machine, timing

MEASUREMENTS = ("P1", "P2", "P3", "P4", "P5")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only", nargs="+", choices=MEASUREMENTS, default=MEASUREMENTS, help="measurements to run"
    )
    parser.add_argument(
        "--repeats", type=int, default=timing.REPEATS, help="repeats per timing (median is kept)"
    )
    parser.add_argument(
        "--revoked-rows",
        type=int,
        default=1_000_000,
        help="revoked rows for P5 (default 1,000,000)",
    )
    parser.add_argument(
        "--purge-rows",
        type=int,
        nargs=2,
        default=[10_000, 100_000],
        metavar=("SMALL", "LARGE"),
        help="expired rows purged in P5 (default 10,000 and 100,000)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile our side of P1-P3 with pyinstrument"
    )
    parser.add_argument("--sql", action="store_true", help="print the SQL counted in P4")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    timing.REPEATS = args.repeats
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="django-jwt-ext-bench-") as directory:
        from .settings import configure

        configure(Path(directory))
        from django.contrib.auth import get_user_model

        from . import queries, store, verification

        user = get_user_model().objects.create_user("bench", password="bench")
        print("django-jwt-ext benchmark: median per-call costs, one process, one machine")
        for line in machine.describe():
            print(f"  {line}")
        print(
            f"  {args.repeats} repeats per timing, each at least {timing.MIN_REPEAT_SECONDS} s;"
            " figures are medians; ratios below 1 mean ours is cheaper"
        )
        runners = {
            "P1": lambda: verification.p1(user, args.profile),
            "P2": lambda: verification.p2(user, args.profile),
            "P3": lambda: verification.p3(user, args.profile),
            "P4": lambda: queries.p4(user, args.sql),
            "P5": lambda: store.p5(user, args.revoked_rows, tuple(args.purge_rows)),
        }
        figures, broken = [], []
        for key in MEASUREMENTS:
            if key not in args.only:
                continue
            try:
                section = runners[key]()
            except Exception:
                # Report it and go on: the other figures are still worth having.
                print(f"\n{key} could not run:\n{traceback.format_exc()}")
                broken.append(key)
                continue
            section.print()
            sys.stdout.flush()
            figures += section.figures

    print("\nSummary")
    for figure in figures:
        print(
            f"  {figure.key:<5} {figure.value:>8.2f} {figure.unit:<8} target <= {figure.target:g}"
            f"  {figure.verdict}"
        )
    missed = [figure.key for figure in figures if figure.verdict == "MISS"]
    print(
        f"  {len(figures) - len(missed)} of {len(figures)} targets met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )
    if broken:
        print(f"  could not run: {', '.join(broken)}")
    print(f"  (run took {time.perf_counter() - started:.0f} s)")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
