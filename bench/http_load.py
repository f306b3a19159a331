"""HTTP: gunicorn serving one DRF endpoint, protected by this app or by simplejwt, under wrk.

Both servers run at once (2 sync workers each, the same database, user and
middleware, tokens of the same length); they take turns under load, as the
in-process comparisons do: each repeat is a few rounds of one wrk run per
server, the order reversing from one round to the next, and a server's
figures in a repeat are the medians of its runs.
Before the measured runs each server serves one second of load, as a
server that has been running has: its workers have imported everything and
opened their database connection.
"""

from pathlib import Path
from statistics import median
from typing import Any

from . import servers, wrk
from .report import Section
from .timing import Spread
from .tokens import same_size

SECONDS = 3.0
ROUNDS = 4
CONNECTIONS = 4
THREADS = 1
WARM_UP_SECONDS = 1.0


def http_comparison(
    user: Any,
    database: dict[str, Any],
    directory: Path,
    repeats: int = 3,
    rounds: int = ROUNDS,
    seconds: float = SECONDS,
    connections: int = CONNECTIONS,
) -> Section:
    section = Section(
        f"HTTP  gunicorn ({servers.WORKERS} sync workers) GET {servers.PATH}, DRF view:"
        f" ours / simplejwt; wrk, {connections} connections, {rounds} rounds of {seconds:g} s runs"
        " per repeat"
    )
    if wrk.available() is None:
        section.note("wrk is not installed (Debian: apt-get install wrk): not measured")
        return section
    tokens = dict(zip(servers.SIDES, same_size(user), strict=True))
    # Per side, per repeat: the runs of that repeat's rounds.
    runs: dict[str, list[list[wrk.Run]]] = {side: [] for side in servers.SIDES}
    with servers.both(database, directory) as running:
        for side, server in running.items():
            servers.wait_ready(server, tokens[side])
            refused = servers.status(server.url, None)
            assert refused == 401, f"{side} answers {refused} without a token"
        for side, server in running.items():
            wrk.run(server.url, tokens[side], WARM_UP_SECONDS, connections, THREADS, directory)
        for _ in range(repeats):
            for side in servers.SIDES:
                runs[side].append([])
            for round_number in range(rounds):
                order = servers.SIDES if round_number % 2 == 0 else servers.SIDES[::-1]
                for side in order:
                    url = running[side].url
                    run = wrk.run(url, tokens[side], seconds, connections, THREADS, directory)
                    runs[side][-1].append(run)
    section.value(
        "token length: ours / simplejwt",
        f"{len(tokens['ours'])} / {len(tokens['simplejwt'])} characters",
    )
    rps = {side: [median(run.rps for run in done) for done in runs[side]] for side in runs}
    for side in servers.SIDES:
        p50 = Spread.of([median(run.p50 * 1e3 for run in done) for done in runs[side]])
        p99 = Spread.of([median(run.p99 * 1e3 for run in done) for done in runs[side]])
        side_rps = Spread.of(rps[side])
        failures = sum(run.errors + run.non_2xx for done in runs[side] for run in done)
        section.value(
            f"{side}: requests/s", f"{side_rps.median:.0f} ({side_rps.low:.0f}-{side_rps.high:.0f})"
        )
        section.value(f"{side}: p50 latency", f"{p50.median:.2f} ms ({p50.low:.2f}-{p50.high:.2f})")
        section.value(f"{side}: p99 latency", f"{p99.median:.2f} ms ({p99.low:.2f}-{p99.high:.2f})")
        section.value(f"{side}: errors and non-2xx responses", str(failures))
    ratios = [ours / theirs for ours, theirs in zip(rps["ours"], rps["simplejwt"], strict=True)]
    section.figure(
        "HTTP",
        "requests/s through gunicorn: ours / simplejwt",
        Spread.of(ratios),
        1.0,
        at_least=True,
    )
    return section
