"""Start and stop the gunicorn servers of the HTTP comparison.

Each server runs in its own process group on a free port of 127.0.0.1, so
that stopping it stops its workers too, whatever happened meanwhile.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
READY_SECONDS = 30.0
STOP_SECONDS = 10.0
PATH = "/api/me"
SIDES = ("ours", "simplejwt")


@dataclass(frozen=True)
class Server:
    side: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"


def free_port() -> int:
    """Return a port of 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status(url: str, token: str | None) -> int:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_ready(server: Server, token: str) -> None:
    """Wait until ``server`` answers 200 to ``token``; raise if it dies or never does."""
    deadline = time.monotonic() + READY_SECONDS
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn ({server.side}) exited:\n{server.log.read_text()[-3000:]}"
            )
        try:
            code = status(server.url, token)
        except OSError:
            code = None
        if code == 200:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"gunicorn ({server.side}) not ready after {READY_SECONDS:g} s"
                f" (last status {code}):\n{server.log.read_text()[-3000:]}"
            )
        time.sleep(0.2)


def stop(server: Server) -> None:
    """Stop the server's whole process group: TERM, then KILL if it lingers."""
    if server.process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            server.process.wait(STOP_SECONDS)
    with suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)  # workers left behind, if any
    server.process.wait()


@contextmanager
def serving(side: str, database: dict[str, Any], directory: Path) -> Iterator[Server]:
    """Run gunicorn (``WORKERS`` sync workers) for ``side`` for the duration of the block."""
    port = free_port()
    log = directory / f"gunicorn-{side}.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.webapp.settings",
        "BENCH_SIDE": side,
        "BENCH_DATABASE": json.dumps(database),
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(WORKERS),
        "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        "--chdir", str(ROOT),
        "--log-level", "warning",
        "--error-logfile", str(log),
        "bench.webapp.wsgi:application",
    ]  # fmt: skip
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(side, port, process, log)
    try:
        yield server
    finally:
        stop(server)


@contextmanager
def both(database: dict[str, Any], directory: Path) -> Iterator[dict[str, Server]]:
    """Run the ``ours`` and ``simplejwt`` servers; stop both whatever happens."""
    with ExitStack() as stack:
        yield {side: stack.enter_context(serving(side, database, directory)) for side in SIDES}
