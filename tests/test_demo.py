"""``make demo``: the demo user, the walk-through it prints, and the address it serves on.

``make demo HOST=127.0.0.1:8301`` must print a walk-through for that address,
and the walk-through, pasted into a shell, must work against the server.
"""

import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command

from testproject.demo import PASSWORD, USERNAME, allowed_hosts, base_url

ROOT = Path(__file__).resolve().parent.parent


def walkthrough(host):
    out = StringIO()
    call_command("demo_setup", host=host, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_setup_creates_the_user_the_page_names():
    walkthrough("127.0.0.1:8000")
    user = authenticate(username=USERNAME, password=PASSWORD)
    assert user is not None
    assert (user.is_staff, user.is_superuser) == (True, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "base"),
    [
        ("127.0.0.1:8301", "http://127.0.0.1:8301"),
        ("8302", "http://127.0.0.1:8302"),
        ("localhost:8303", "http://localhost:8303"),
        ("[::1]:8304", "http://[::1]:8304"),
    ],
)
def test_the_walkthrough_uses_the_address_of_host(host, base):
    text = walkthrough(host)
    urls = set(re.findall(r"http://[^/\s\"')]+", text))
    assert urls == {base}
    # The WebSocket step (Channels installed) uses the same address.
    assert set(re.findall(r"ws://[^/\s\"')]+", text)) <= {"ws" + base.removeprefix("http")}
    assert f"Demo page: {base}/" in text
    assert "Listening on every interface" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["0.0.0.0:8305", "0:8305", "[::]:8305"])
def test_a_wildcard_host_is_opened_on_127_0_0_1_and_the_other_names_explained(host):
    text = walkthrough(host)
    assert set(re.findall(r"http://[^/\s<\"')]+", text)) == {"http://127.0.0.1:8305"}
    assert f"make demo HOST={host} ALLOWED_HOSTS=<name>" in text


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1:8301", ["127.0.0.1"]),
        ("demo.example:8000", ["demo.example"]),
        ("[::1]:8000", ["[::1]"]),
        ("8000", []),
        ("0.0.0.0:8000", []),
        ("", []),
    ],
)
def test_allowed_hosts_of_a_host(host, expected):
    assert allowed_hosts(host) == expected


def test_base_url_of_a_bare_port():
    assert base_url("8000") == "http://127.0.0.1:8000"


def settings_allowed_hosts(**environ):
    """Return ALLOWED_HOSTS as testproject's settings compute them in a fresh process."""
    env = {**os.environ, **environ, "DJANGO_SETTINGS_MODULE": "testproject.settings"}
    code = "from django.conf import settings; print(settings.ALLOWED_HOSTS)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_settings_allow_the_host_make_demo_serves_on():
    hosts = settings_allowed_hosts(DEMO_HOST="demo.example:8301", DJANGO_ALLOWED_HOSTS="")
    assert hosts == "['127.0.0.1', 'localhost', 'testserver', 'demo.example']"


def test_the_settings_allow_the_extra_names_of_allowed_hosts():
    hosts = settings_allowed_hosts(DEMO_HOST="0.0.0.0:8000", DJANGO_ALLOWED_HOSTS="box, box.lan")
    assert hosts == "['127.0.0.1', 'localhost', 'testserver', 'box', 'box.lan']"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_passes_host_to_every_command():
    # Not as a sub-make of `make test`, whose flags would leak in.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    dry_run = subprocess.run(
        # -o: take the virtualenv as built; -n: print the commands only.
        [
            "make",
            "--no-print-directory",
            "-n",
            "-o",
            ".venv/.installed",
            "demo",
            "HOST=127.0.0.1:8301",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert 'demo_setup --host "127.0.0.1:8301"' in dry_run
    assert 'DEMO_HOST="127.0.0.1:8301"' in dry_run
    assert dry_run.rstrip().endswith('manage.py runserver "127.0.0.1:8301"')


@pytest.mark.django_db(transaction=True)
def test_the_printed_walkthrough_works_when_pasted_into_a_shell(live_server, demo_settings):
    text = walkthrough(urlsplit(live_server.url).netloc)
    script = text.split("the status code):\n", 1)[1]
    # Step 8 needs a WebSocket server (make demo's daphne): tests/test_asgi_servers.py
    # drives the echo consumer over a real one; this server speaks WSGI only.
    script = script.split("\n  # 8. ", 1)[0]
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    statuses = [line.rsplit(" ", 1)[1] for line in result.stdout.splitlines()]
    # protected, no token, tampered, logout, revoked, expired; then Ninja's three
    ninja = ["200", "200", "401"] if settings.HAS_NINJA else []
    assert statuses == ["200", "401", "422", "200", "401", "401", *ninja], result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f'{{"logged_in_as": "{USERNAME}"')
    assert lines[2] == '{"msg": "Signature verification failed"} 422'
    assert lines[4] == '{"msg": "Token has been revoked"} 401'
    assert lines[5] == '{"msg": "Token has expired"} 401'
