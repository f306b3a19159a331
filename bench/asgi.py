"""Requests per second of an async view with and without ``@jwt_required()`` under a
real ASGI server: ``python -m bench.asgi`` (``make bench-async``).

uvicorn serves ``bench.asgi_app`` with 2 workers on a free loopback port;
wrk loads it with a bounded number of connections for a bounded time. The
two views are measured alternately, several rounds, and the medians
compared: requests per second of wall clock, the target's measure, and
requests per second of the server's CPU time (its processes' user and
system time), which other work on a shared machine disturbs less. Like
``make bench``, it prints PASS or MISS and exits 0 whatever the figures;
only a measurement that cannot run makes it exit 1.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

from . import machine

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-asgi-secret-4f0c2a9e7d1b48c6a3e5f7d9b1c3e5a7f9d1b3c5e7a9f1d3"
TARGET = 0.9  # protected / open requests per second, at least


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Uvicorn:
    """uvicorn serving the benchmark's app with ``workers`` workers, in its own process group."""

    def __init__(self, mode: str, workers: int, directory: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.asgi_settings",
            "BENCH_MODE": mode,
            "BENCH_SECRET": SECRET,
            "BENCH_DB": str(directory / "bench.sqlite3"),
            "PYTHONUNBUFFERED": "1",
        }
        self.command = [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.asgi_app:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        self.log = directory / f"uvicorn-{mode}.log"
        self.process: subprocess.Popen | None = None

    @property
    def group(self) -> int:
        assert self.process is not None
        return self.process.pid  # It leads its own process group.

    def __enter__(self) -> "Uvicorn":
        with open(self.log, "wb") as output:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited:\n{self.log.read_text()}")
            try:
                urllib.request.urlopen(self.base + "/open", timeout=2).close()
                return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"uvicorn did not answer in 30 s:\n{self.log.read_text()}")

    def __exit__(self, *exc_info: object) -> None:
        assert self.process is not None
        for number in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, number)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue


def django(env: dict[str, str], *args: str) -> str:
    """Run a management command with the benchmark's settings; return its last output line."""
    result = subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Django 5.2's shell prints what it imported before the command's output.
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def token(env: dict[str, str], identity: str) -> str:
    """Return an access token for ``identity``, made by this app with the server's settings."""
    return django(
        env,
        "shell",
        "-c",
        "from datetime import timedelta; from django_jwt_ext import create_access_token; "
        f"print(create_access_token({identity!r}, expires_delta=timedelta(hours=1)))",
    )


REQUESTS_PER_SECOND = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
REQUESTS = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(group: int) -> float:
    """Return the CPU time (user + system) the processes of process group ``group`` used."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # Gone meanwhile.
        if int(fields[2]) == group:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


class Rate(NamedTuple):
    """One round: requests per second (wall clock) and per second of the server's CPU."""

    wall: float
    cpu: float


def wrk(url: str, bearer: str, seconds: int, connections: int, group: int) -> Rate:
    """Load ``url`` for ``seconds`` with ``connections`` keep-alive connections."""
    used_before = cpu_seconds(group)
    result = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "5s",
            "--header",
            f"Authorization: Bearer {bearer}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    )
    refused = NON_2XX.search(result.stdout)
    if refused:
        raise RuntimeError(f"{refused.group(1)} requests to {url} failed:\n{result.stdout}")
    rate, count = REQUESTS_PER_SECOND.search(result.stdout), REQUESTS.search(result.stdout)
    if rate is None or count is None:
        raise RuntimeError(f"wrk printed no rate:\n{result.stdout}{result.stderr}")
    used = cpu_seconds(group) - used_before
    return Rate(float(rate.group(1)), int(count.group(1)) / used)


def wrk_version() -> str:
    result = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).split("\n", 1)[0].strip()


def measure(server: Uvicorn, bearer: str, args: argparse.Namespace) -> dict[str, list[Rate]]:
    """Alternate the two views for ``args.rounds`` rounds; return each one's rates."""
    rates: dict[str, list[Rate]] = {"open": [], "protected": []}
    for path in rates:  # Warm both up: imports, caches, the first connections.
        wrk(f"{server.base}/{path}", bearer, args.warmup, args.connections, server.group)
    for round_number in range(args.rounds):
        order = list(rates) if round_number % 2 == 0 else list(reversed(rates))
        for path in order:
            url = f"{server.base}/{path}"
            rates[path].append(wrk(url, bearer, args.seconds, args.connections, server.group))
    return rates


def verdict(ratio: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"target >= {target:g}  " + ("PASS" if ratio >= target else "MISS")


def report(title: str, rates: dict[str, list[Rate]], target: float | None) -> tuple[float, float]:
    """Print the medians and ratios; return the ratios (wall clock, per CPU second)."""
    print(f"\n{title}")
    ratios = []
    for kind, unit, goal in (("wall", "req/s", target), ("cpu", "req/CPU-s", None)):
        medians = {}
        for path, label in (("open", "async view, unprotected"), ("protected", "@jwt_required()")):
            values = [getattr(rate, kind) for rate in rates[path]]
            medians[path] = statistics.median(values)
            rounds = ", ".join(f"{value:.0f}" for value in values)
            print(f"    {label:<28} {medians[path]:>7.0f} {unit:<9}  (rounds: {rounds})")
        ratio = medians["protected"] / medians["open"]
        label = "ratio protected / unprotected"
        print(f"    {label:<28} {ratio:>7.2f}            {verdict(ratio, goal)}")
        ratios.append(ratio)
    return ratios[0], ratios[1]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.asgi", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (default 2)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per round (10)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per view (3)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per view (5)")
    parser.add_argument(
        "--default-settings",
        action="store_true",
        help="also measure the default settings (user lookup and database store; a thread hop)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 1
    print("django-jwt-ext async benchmark: requests per second under uvicorn, loaded by wrk")
    for line in machine.describe():
        print(f"  {line}")
    print(f"  uvicorn: {machine.package_version('uvicorn')}, wrk: {wrk_version()}")
    print(
        f"  uvicorn, {args.workers} workers; wrk: 1 thread, {args.connections} connections, "
        f"{args.rounds} rounds of {args.seconds} s per view after {args.warmup} s of warm-up"
    )
    with tempfile.TemporaryDirectory(prefix="django-jwt-ext-bench-asgi-") as directory:
        workdir = Path(directory)
        with Uvicorn("stateless", args.workers, workdir) as server:
            django(server.env, "migrate", "-v0")
            rates = measure(server, token(server.env, "42"), args)
        wall, cpu = report(
            "A1  stateless mode (JWT_USER_LOOKUP = None, cache revocation store): "
            "verification on the event loop",
            rates,
            TARGET,
        )
        if args.default_settings:
            with Uvicorn("default", args.workers, workdir) as server:
                identity = django(
                    server.env,
                    "shell",
                    "-c",
                    "from django.contrib.auth import get_user_model; "
                    "print(get_user_model().objects.create_user('bench').pk)",
                )
                rates = measure(server, token(server.env, identity), args)
            report(
                "A2  (info) default settings (user lookup + database revocation store, "
                "SQLite): one thread hop",
                rates,
                None,
            )
    print("\nSummary")
    print(f"  A1  requests per second            {wall:.2f}  {verdict(wall, TARGET)}")
    print(f"  A1  requests per CPU second (info) {cpu:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
