"""Two issuers with two Django settings sets: each publishes its keys, each verifies
the other's tokens with the keys it fetched from the other's ``jwks.json``.

This test process is one issuer (ES256 keys); its app answers over HTTP from a
thread. The other (``tests.keys_server_settings``, RS256 keys) is a
``runserver`` process. Both are real HTTP servers on 127.0.0.1, on free
ports, stopped by the fixtures that start them.
"""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import jwt as pyjwt
import pytest
from django.core.wsgi import get_wsgi_application

from django_jwt_ext import create_access_token, get_unverified_jwt_headers
from tests.helpers import call, flavour_path, rfc7638_thumbprint
from tests.keys_support import BAD_SIGNATURE, UNKNOWN_KID, new_pair, use_pair
from tests.servers import ROOT, request, start, stop, wait_until_answering

PROTECTED = "/flavours/sync/protected"  # needs no database user (JWT_USER_LOOKUP = None)
JWKS = "/auth/jwks.json"
OTHER_CACHE_SECONDS = 1  # tests.keys_server_settings.JWT_JWKS_CACHE_SECONDS

pytestmark = pytest.mark.django_db


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def this_server():
    """This process's app over HTTP; returns its base URL and the paths it was asked for."""
    asked: list[str] = []
    app = get_wsgi_application()

    def recording(environ, start_response):
        asked.append(environ["PATH_INFO"])
        return app(environ, start_response)

    httpd = make_server("127.0.0.1", 0, recording, handler_class=QuietHandler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


class OtherIssuer:
    """The other issuer's server process, and its command line."""

    def __init__(self, base: str, env: dict[str, str], public_pem: str) -> None:
        self.base, self.env, self.public_pem = base, env, public_pem

    def manage(self, *args: str) -> str:
        """Run ``manage.py`` with the other issuer's settings; return what it printed."""
        done = subprocess.run(
            [sys.executable, "-m", "django", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def issue(self, identity: str) -> str:
        """Return an access token made by the other issuer's settings."""
        code = (
            "from django_jwt_ext import create_access_token; "
            f"print(create_access_token({identity!r}))"
        )
        # -v0: Django 5.2's shell announces its automatic imports otherwise.
        return self.manage("shell", "-v0", "-c", code).strip()


@pytest.fixture(scope="module")
def other(this_server, tmp_path_factory):
    workdir: Path = tmp_path_factory.mktemp("issuer")
    private_pem, public_pem = new_pair("RS256")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.keys_server_settings",
        "JWT_EXT_TEST_ALGORITHM": "RS256",
        "JWT_EXT_TEST_PRIVATE_KEY": private_pem,
        "JWT_EXT_TEST_PUBLIC_KEY": public_pem,
        "JWT_EXT_TEST_ACCEPTED": "RS256,ES256",
        "JWT_EXT_TEST_JWKS_URL": this_server[0] + JWKS,
        "JWT_EXT_TEST_DB": str(workdir / "db.sqlite3"),
        "PYTHONUNBUFFERED": "1",
    }
    log = workdir / "server.log"
    base, process = start(env, log)
    try:
        wait_until_answering(base, JWKS, process, log)
        yield OtherIssuer(base, env, public_pem)
    finally:
        stop([process])


@pytest.fixture(scope="module")
def our_pairs():
    return new_pair("ES256"), new_pair("ES256")


@pytest.fixture
def ours(settings, other, our_pairs):
    """This process's settings set: its own ES256 keys, and the other issuer's JWKS."""
    use_pair(settings, "ES256", our_pairs[0])
    settings.JWT_DECODE_ALGORITHMS = ["RS256"]
    settings.JWT_JWKS_URL = other.base + JWKS
    settings.JWT_USER_LOOKUP = None
    return settings


def test_each_issuer_verifies_the_others_tokens(client, ours, other, this_server, our_pairs):
    # The other issuer's token, verified here with the key its jwks.json published.
    theirs = other.issue("their-user")
    assert get_unverified_jwt_headers(theirs)["kid"] == rfc7638_thumbprint(other.public_pem)
    response = call(client, flavour_path("sync"), theirs)
    assert response.status_code == 200, response.content
    assert response.json()["identity"] == "their-user"

    # Our token, verified there with the key our jwks.json published.
    _, asked = this_server
    ours_token = create_access_token("our-user")
    status, body = request(other.base, PROTECTED, ours_token)
    assert (status, body["identity"]) == (200, "our-user")
    assert JWKS in asked
    assert body["header"]["kid"] == rfc7638_thumbprint(our_pairs[0][1])


def test_the_command_prints_what_the_endpoint_publishes(other):
    status, served = request(other.base, JWKS)
    assert status == 200
    assert json.loads(other.manage("jwt_ext_keys", "jwks")) == served
    assert [key["kid"] for key in served["keys"]] == [rfc7638_thumbprint(other.public_pem)]


def test_our_rotation_is_followed_by_the_other_issuer(ours, other, our_pairs):
    old_pair, new_pair_ = our_pairs
    old_token = create_access_token("old")
    assert request(other.base, PROTECTED, old_token)[0] == 200

    # The new key signs, the old one is a fallback: both verify there.
    use_pair(ours, "ES256", new_pair_, fallbacks=[old_pair[1]])
    new_token = create_access_token("new")
    assert request(other.base, PROTECTED, new_token)[0] == 200
    assert request(other.base, PROTECTED, old_token)[0] == 200

    # The old key leaves our list: once the other's cached set expires, it refuses it.
    use_pair(ours, "ES256", new_pair_)
    time.sleep(OTHER_CACHE_SECONDS + 0.2)
    status, body = request(other.base, PROTECTED, old_token)
    assert (status, body) == (422, {"msg": UNKNOWN_KID})
    assert request(other.base, PROTECTED, new_token)[0] == 200


def test_tokens_of_keys_nobody_published_are_refused_there(ours, other):
    stranger_private, stranger_public = new_pair("RS256")
    claims = {"sub": "mallory"}
    own_kid = pyjwt.encode(
        claims, stranger_private, "RS256", headers={"kid": rfc7638_thumbprint(stranger_public)}
    )
    assert request(other.base, PROTECTED, own_kid) == (422, {"msg": UNKNOWN_KID})
    their_kid = pyjwt.encode(
        claims, stranger_private, "RS256", headers={"kid": rfc7638_thumbprint(other.public_pem)}
    )
    assert request(other.base, PROTECTED, their_kid) == (422, {"msg": BAD_SIGNATURE})
