"""Server processes the tests start on free loopback ports, and HTTP requests to them.

:class:`Server` runs any command (uvicorn, daphne) in its own process group;
:func:`start` runs ``manage.py runserver`` with the settings module and
environment a test gives. The test that starts a server stops it.
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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process in its own process group, its output in ``log``."""

    def __init__(self, command: Sequence[str], env: dict[str, str], log: Path, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.port = port
        self.log = log
        with open(log, "wb") as output:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_answering(self, path: str = "/") -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{self.base} exited with {self.process.returncode}:\n{self.output()}")
            try:
                urllib.request.urlopen(self.base + path, timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # It answers.
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        pytest.fail(f"{self.base} did not answer in {STARTUP_SECONDS} s:\n{self.output()}")

    def stop(self) -> None:
        """Stop the whole process group, workers included."""
        self.signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.process.wait()

    def signal(self, number: int) -> None:
        try:
            os.killpg(self.process.pid, number)
        except ProcessLookupError:
            pass  # Already gone.


def request(base: str, path: str, token: str | None = None, method: str = "GET"):
    """Return ``(status, JSON body)`` of one HTTP request."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = b"" if method == "POST" else None
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def start(env: dict[str, Any], log: Path) -> tuple[str, subprocess.Popen]:
    """Start ``runserver`` on a free port with ``env``; return its base URL and process."""
    port = free_port()
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return f"http://127.0.0.1:{port}", process


def wait_until_answering(base: str, path: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server {base} exited with {process.returncode}:\n{log.read_text()}")
        try:
            request(base, path)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    pytest.fail(f"server {base} did not answer in {STARTUP_SECONDS} s:\n{log.read_text()}")


def stop(processes: list[subprocess.Popen]) -> None:
    """Terminate the processes, killing those that do not stop within 10 s."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def migrate(env: dict[str, Any]) -> None:
    """Create the tables of the database a server process will use (``env``'s settings)."""
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
