"""Django app servers that tests start in processes of their own, and HTTP requests to them.

Each server runs ``manage.py runserver`` on a free port of 127.0.0.1 with the
settings module and environment the test gives; the test that starts it
stops it.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
