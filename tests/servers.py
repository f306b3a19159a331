"""Start and stop real server processes for the tests, on free loopback ports."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

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
