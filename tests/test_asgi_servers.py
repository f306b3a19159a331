"""Real ASGI servers: testproject's Ninja API and WebSocket echo consumer under
uvicorn, and a WebSocket session under daphne, driven by real clients
(urllib, the ``websockets`` client) over loopback.

The servers run ``tests.asgi_server_settings``: no user lookup, the database
revocation store in an SQLite file. After each test the server's output must
hold no traceback: bad input is refused or closed cleanly.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from django_jwt_ext import create_access_token, create_refresh_token
from tests.conftest import SECRET
from tests.servers import Server, free_port, migrate

UNAUTHORIZED = 4401
MISSING = (
    "Missing JWT in headers or query_string "
    "(Missing Authorization Header; Missing 'jwt' query paramater)"
)


def server_env(workdir):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.asgi_server_settings",
        "JWT_EXT_TEST_SECRET": SECRET,
        "JWT_EXT_TEST_DB": str(workdir / "db.sqlite3"),
        "PYTHONUNBUFFERED": "1",
    }


def start(request, workdir, name, command):
    """Start a server on a free port; it is stopped when the module's tests end."""
    env = server_env(workdir)
    if not (workdir / "db.sqlite3").exists():
        migrate(env)
    port = free_port()
    server = Server([arg.format(port=port) for arg in command], env, workdir / f"{name}.log", port)
    request.addfinalizer(server.stop)  # noqa: PT021 (registered before waiting)
    server.wait_until_answering("/ninja/public/hello")
    return server


@pytest.fixture(scope="module")
def uvicorn(request, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("uvicorn")
    return start(
        request,
        workdir,
        "uvicorn",
        [
            sys.executable,
            "-m",
            "uvicorn",
            "testproject.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
            "--log-level",
            "info",
        ],
    )


@pytest.fixture(scope="module")
def daphne(request, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("daphne")
    return start(
        request,
        workdir,
        "daphne",
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            "{port}",
            "testproject.asgi:application",
        ],
    )


@pytest.fixture
def clean_log(uvicorn):
    """After the test, the server logged no traceback and no error."""
    start = len(uvicorn.output())
    yield
    output = uvicorn.output()[start:]
    assert "Traceback" not in output, output
    assert "ERROR" not in output, output


def get(server, path, token=None, method="GET"):
    """Return ``(status, headers, JSON body)`` of one HTTP request."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = b"" if method == "POST" else None
    request = urllib.request.Request(server.base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, json.loads(error.read())


def websocket(server, query="", origin=True, **kwargs):
    url = f"ws://127.0.0.1:{server.port}/ws/echo" + (f"?{query}" if query else "")
    origin_header = f"http://127.0.0.1:{server.port}" if origin is True else origin
    return connect(url, origin=origin_header, proxy=None, open_timeout=10, **kwargs)


def echo(connection, content):
    connection.send(json.dumps(content))
    return json.loads(connection.recv(timeout=10))


def closed_with(connection, code):
    """The next message gets the connection closed with ``code``."""
    connection.send(json.dumps("after"))
    with pytest.raises(ConnectionClosed) as closed:
        connection.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == code


# Django Ninja over HTTP.


@pytest.mark.parametrize("path", ["/ninja/whoami", "/ninja/async/whoami"])
def test_ninja_operations_under_uvicorn(uvicorn, clean_log, path):
    status, _, body = get(uvicorn, path, create_access_token("42"))
    assert (status, body) == (200, {"user": "42", "identity": "42"})
    status, headers, body = get(uvicorn, path)
    assert (status, body["msg"]) == (401, MISSING)
    assert headers["WWW-Authenticate"] == 'Bearer realm="api"'
    status, _, body = get(uvicorn, path, create_refresh_token("42"))
    assert (status, body) == (422, {"msg": "Only non-refresh tokens are allowed"})


def test_ninja_refresh_operation_and_openapi_under_uvicorn(uvicorn, clean_log):
    status, _, body = get(uvicorn, "/ninja/refresh", create_refresh_token("42"), method="POST")
    assert (status, body) == (200, {"type": "refresh"})
    status, _, schema = get(uvicorn, "/ninja/openapi.json")
    assert schema["components"]["securitySchemes"]["JWTAuth"]["scheme"] == "bearer"


# A WebSocket session end to end.


def test_websocket_session_until_logout(uvicorn, clean_log):
    token = create_access_token("42")
    with websocket(uvicorn, f"jwt={token}") as connection:
        assert echo(connection, {"n": 1}) == {"echo": {"n": 1}, "user": "42", "identity": "42"}
        assert echo(connection, {"n": 2})["echo"] == {"n": 2}
        # Logging out over HTTP revokes the token in the server's database.
        status, _, body = get(uvicorn, "/api/logout", token, method="POST")
        assert (status, body) == (200, {"msg": "Logged out"})
        closed_with(connection, UNAUTHORIZED)
    assert "Closed the WebSocket on /ws/echo with 4401: Token has been revoked" in uvicorn.output()


def test_websocket_token_expiring_mid_connection(uvicorn, clean_log):
    token = create_access_token("42", expires_delta=timedelta(seconds=2))
    with websocket(uvicorn, f"jwt={token}") as connection:
        assert echo(connection, "before")["echo"] == "before"
        time.sleep(2.2)
        closed_with(connection, UNAUTHORIZED)
    assert "with 4401: Signature has expired" in uvicorn.output()


def test_token_in_the_header_of_the_handshake(uvicorn, clean_log):
    headers = {"Authorization": f"Bearer {create_access_token('7')}"}
    with websocket(uvicorn, additional_headers=headers) as connection:
        assert echo(connection, 1)["user"] == "7"


@pytest.mark.parametrize(
    ("query", "headers", "message"),
    [
        ("", {}, MISSING),
        ("jwt=%ff%00%20garbage", {}, "Not enough segments"),
        ("jwt=" + "a" * 5000, {}, "Token is larger than the maximum of 4096 characters"),
        ("refresh", {}, "Only non-refresh tokens are allowed"),
        # Several places: the header comes first in JWT_TOKEN_LOCATION and decides.
        ("valid", {"Authorization": "Bearer x.y"}, "Not enough segments"),
        ("&".join(f"f{i}=x" for i in range(1001)), {}, "The number of GET/POST parameters"),
    ],
    ids=["missing", "garbage", "oversized", "refresh-token", "several-places", "too-many-fields"],
)
def test_refused_handshake_is_closed_before_acceptance(uvicorn, clean_log, query, headers, message):
    query = {
        "refresh": f"jwt={create_refresh_token('42')}",
        "valid": f"jwt={create_access_token('42')}",
    }.get(query, query)
    with pytest.raises(InvalidStatus) as refused:
        websocket(uvicorn, query, additional_headers=headers)
    assert refused.value.response.status_code == 403
    assert "Refused a WebSocket handshake on /ws/echo: " + message in uvicorn.output()


def test_handshake_from_another_origin_is_refused(uvicorn, clean_log):
    with pytest.raises(InvalidStatus) as refused:
        websocket(uvicorn, f"jwt={create_access_token('42')}", origin="https://evil.example")
    assert refused.value.response.status_code == 403


def test_websocket_session_under_daphne(daphne):
    token = create_access_token("42")
    with websocket(daphne, f"jwt={token}") as connection:
        assert echo(connection, "hi") == {"echo": "hi", "user": "42", "identity": "42"}
        assert get(daphne, "/api/logout", token, method="POST")[0] == 200
        closed_with(connection, UNAUTHORIZED)
    with pytest.raises(InvalidStatus) as refused:
        websocket(daphne)
    assert refused.value.response.status_code == 403
    assert "Traceback" not in daphne.output()
