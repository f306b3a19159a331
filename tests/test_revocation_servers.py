"""Two app server processes sharing one cache: a logout on one holds on the other.

The servers run ``tests.revocation_server_settings`` (the cache store, no user
lookup) against Redis when ``REDIS_URL`` is set, else against a FileBasedCache
in a temporary directory, which processes of one machine share as well.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from django_jwt_ext import create_access_token
from tests.conftest import SECRET
from tests.revocation_support import REDIS_KEY_PREFIX, REDIS_URL, REVOKED, delete_redis_keys

ROOT = Path(__file__).resolve().parent.parent
PROTECTED = "/flavours/sync/protected"  # needs no database user (JWT_USER_LOOKUP = None)
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


def wait_until_answering(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server {base} exited with {process.returncode}:\n{log.read_text()}")
        try:
            request(base, PROTECTED)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    pytest.fail(f"server {base} did not answer in {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def servers(request, tmp_path_factory):
    """Start two servers sharing one cache; return their base URLs."""
    workdir = tmp_path_factory.mktemp("servers")
    key_prefix = f"{REDIS_KEY_PREFIX}-servers-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.revocation_server_settings",
        "JWT_EXT_TEST_SECRET": SECRET,
        "JWT_EXT_TEST_DB": str(workdir / "db.sqlite3"),
        "JWT_EXT_TEST_CACHE_DIR": str(workdir / "cache"),
        "JWT_EXT_TEST_KEY_PREFIX": key_prefix,
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    processes = []

    def stop():
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if REDIS_URL:
            delete_redis_keys(key_prefix)

    # Registered before the first start: a server that started is stopped even
    # when the other one fails to.
    request.addfinalizer(stop)  # noqa: PT021
    bases = []
    for name in ("a", "b"):
        port = free_port()
        log = workdir / f"server-{name}.log"
        with open(log, "wb") as output:
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "django",
                        "runserver",
                        "--noreload",
                        f"127.0.0.1:{port}",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            )
        bases.append((f"http://127.0.0.1:{port}", processes[-1], log))
    for base, process, log in bases:
        wait_until_answering(base, process, log)
    return [base for base, _, _ in bases]


def test_logout_on_one_server_is_refused_by_the_other(servers):
    server_a, server_b = servers
    # Identity "42" has no user anywhere: with JWT_USER_LOOKUP = None none is needed.
    token, other = create_access_token("42"), create_access_token("42")
    for base in servers:
        status, body = request(base, PROTECTED, token)
        assert (status, body["identity"]) == (200, "42")

    assert request(server_a, "/api/logout", token, method="POST") == (200, {"msg": "Logged out"})

    assert request(server_b, PROTECTED, token) == (401, REVOKED)
    assert request(server_a, PROTECTED, token) == (401, REVOKED)
    assert request(server_b, PROTECTED, other)[0] == 200
