"""Django Channels: JWTAuthMiddleware through Channels' WebSocket communicators.

The consumer is testproject's echo consumer; each test drives a handshake and
messages as a client would and reads what the consumer answered, the close
code, and what was logged. The real-server session is in test_asgi_servers.py.
"""

import functools
import logging
import time
from datetime import timedelta

import jwt as pyjwt
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.urls import path

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.channels import (
    UNAUTHORIZED,
    UNAVAILABLE,
    HandshakeRequest,
    JWTAuthMiddleware,
    JWTAuthMiddlewareStack,
)
from django_jwt_ext.exceptions import ConfigurationError, StoreUnavailableError
from django_jwt_ext.revocation import revoke_token, revoke_user_tokens
from testproject.consumers import EchoConsumer
from tests.helpers import rsa_pem_pair
from tests.jwks_server import JWKSServer
from tests.revocation_support import (  # noqa: F401 (fixtures)
    backend_path_fixture,
    isolated_cache_fixture,
)

pytestmark = pytest.mark.django_db

ECHO = "/ws/echo"
LOGGER = "django_jwt_ext.channels"


def application(**options):
    return JWTAuthMiddlewareStack(URLRouter([path("ws/echo", EchoConsumer.as_asgi())]), **options)


def run(test):
    """Run an ``async def`` test body in an event loop (thread-sensitive code stays here)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return async_to_sync(test)(*args, **kwargs)

    return wrapper


def communicator(token=None, location="query_string", app=None, path=ECHO, headers=()):
    """A client of ``app`` presenting ``token`` in ``location`` of its handshake."""
    headers = list(headers)
    if token is not None and location == "query_string":
        path += ("&" if "?" in path else "?") + f"jwt={token}"
    elif token is not None and location == "headers":
        headers.append((b"authorization", f"Bearer {token}".encode()))
    elif token is not None and location == "cookies":
        headers.append((b"cookie", f"access_token_cookie={token}".encode()))
    return WebsocketCommunicator(app or application(), path, headers=headers)


@pytest.fixture(autouse=True)
def query_string_tokens(settings):
    """Browsers cannot set headers on a WebSocket handshake: the query string is usual."""
    settings.JWT_TOKEN_LOCATION = ["query_string"]


@pytest.fixture(params=["headers", "cookies", "query_string"])
def handshake_location(request, settings):
    """Each location a handshake can carry a token in, as the only configured one."""
    settings.JWT_TOKEN_LOCATION = [request.param]
    return request.param


@pytest.fixture
def stateless(settings):
    settings.JWT_USER_LOOKUP = None


async def refused(client, caplog, reason, code=UNAUTHORIZED):
    """The handshake was refused with ``code`` and ``reason`` logged, nothing worse."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        connected, close_code = await client.connect()
    assert (connected, close_code) == (False, code)
    messages = [record.getMessage() for record in caplog.records if record.name == LOGGER]
    assert any(reason in message for message in messages), messages
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    await client.wait()


async def echo(client, content):
    await client.send_json_to(content)
    return await client.receive_json_from()


# Accepted handshakes.


@run
async def test_token_in_each_location_connects_as_its_user(handshake_location, user):
    client = communicator(create_access_token(user), handshake_location)
    assert await client.connect() == (True, None)
    answer = await echo(client, {"hello": "world"})
    assert answer == {"echo": {"hello": "world"}, "user": "alice", "identity": str(user.pk)}
    await client.disconnect()


@run
async def test_scope_holds_the_user_and_the_claims(user):
    seen = {}

    async def inner(scope, receive, send):
        seen.update(user=scope["user"], jwt=scope["jwt"])
        await receive()
        await send({"type": "websocket.close"})

    token = create_access_token(user, additional_claims={"role": "reader"})
    client = WebsocketCommunicator(JWTAuthMiddleware(inner), f"/?jwt={token}")
    await client.connect()
    assert seen["user"] == user
    assert seen["jwt"] == decode_token(token)


@run
async def test_stateless_mode_gives_the_token_user(stateless):
    client = communicator(create_access_token("42"), "query_string")
    assert (await client.connect())[0] is True
    assert await echo(client, [1]) == {"echo": [1], "user": "42", "identity": "42"}
    await client.disconnect()


@run
async def test_optional_without_token_connects_anonymously():
    client = communicator(app=application(optional=True))
    assert (await client.connect())[0] is True
    assert await echo(client, "hi") == {"echo": "hi", "user": None, "identity": None}
    await client.disconnect()


@run
async def test_the_first_configured_location_holding_a_token_decides(settings, user, caplog):
    settings.JWT_TOKEN_LOCATION = ["query_string", "headers"]
    good, bad = create_access_token(user), "not-a-jwt"
    client = communicator(
        good, "query_string", headers=[(b"authorization", f"Bearer {bad}".encode())]
    )
    assert (await client.connect())[0] is True
    await client.disconnect()
    settings.JWT_TOKEN_LOCATION = ["headers", "query_string"]
    client = communicator(
        good, "query_string", headers=[(b"authorization", f"Bearer {bad}".encode())]
    )
    await refused(client, caplog, "Not enough segments")


@run
async def test_json_location_is_left_out_of_handshakes(settings, user):
    settings.JWT_TOKEN_LOCATION = ["json", "query_string"]
    client = communicator(create_access_token(user), "query_string")
    assert (await client.connect())[0] is True
    await client.disconnect()


def test_a_handshake_cannot_carry_a_json_token(settings):
    settings.JWT_TOKEN_LOCATION = ["json"]
    with pytest.raises(ConfigurationError, match="JWTAuthMiddleware needs one of the locations"):
        JWTAuthMiddleware(None).handshake_requirements()


@run
async def test_other_connection_types_pass_through_untouched():
    seen = {}

    async def inner(scope, receive, send):
        seen.update(scope)

    await JWTAuthMiddleware(inner)({"type": "http", "path": "/"}, None, None)
    assert seen == {"type": "http", "path": "/"}


# Refused handshakes.


@run
async def test_no_token_is_refused_before_acceptance(caplog):
    await refused(communicator(), caplog, "Missing 'jwt' query paramater")


@run
async def test_refresh_token_used_as_access_token_is_refused(user, caplog):
    client = communicator(create_refresh_token(user))
    await refused(client, caplog, "Only non-refresh tokens are allowed")


@run
async def test_expired_token_is_refused(user, caplog):
    client = communicator(create_access_token(user, expires_delta=timedelta(seconds=-1)))
    await refused(client, caplog, "Signature has expired")


@run
async def test_revoked_token_is_refused(user, caplog):
    token = create_access_token(user)
    await sync_to_async(revoke_token)(token)
    await refused(communicator(token), caplog, "Token has been revoked")


@run
async def test_unknown_user_is_refused(caplog):
    await refused(communicator(create_access_token("999")), caplog, "user_lookup returned None")


@run
async def test_a_key_set_that_cannot_be_fetched_refuses_with_4503(settings, caplog):
    """A JWKS outage is a service outage, as it is over HTTP (503), not a bad token."""
    private_pem, _ = rsa_pem_pair()
    server = JWKSServer()
    server.stop()
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_JWKS_URL = server.url
    settings.JWT_JWKS_TIMEOUT = 1
    settings.JWT_USER_LOOKUP = None
    now = int(time.time())
    token = pyjwt.encode(
        {"sub": "idp|1", "iat": now, "exp": now + 300},
        private_pem,
        algorithm="RS256",
        headers={"kid": "idp-1"},
    )
    reason = "The key set (JWKS) that verifies this token cannot be fetched"
    await refused(communicator(token), caplog, reason, UNAVAILABLE)


@run
async def test_fresh_option_refuses_a_token_that_is_not_fresh(user, caplog):
    app = application(fresh=True)
    client = communicator(create_access_token(user, fresh=True), app=app)
    assert (await client.connect())[0] is True
    await client.disconnect()
    await refused(communicator(create_access_token(user), app=app), caplog, "Fresh token required")


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("jwt=%ff%fe%00garbage", "Not enough segments"),
        ("jwt=a.b.c", "Invalid header padding"),
        ("%%%=&&&jwt", "Missing 'jwt' query paramater"),
        ("jwt=" + "e" * 10_000, "Token is larger than the maximum of 8192 characters"),
        ("jwt=é\udcff", "Not enough segments"),
        ("&".join(f"f{i}=x" for i in range(1001)), "The number of GET/POST parameters exceeded"),
    ],
    ids=["bytes", "undecodable", "no-value", "oversized", "non-ascii", "too-many-fields"],
)
@run
async def test_garbage_in_the_query_string_is_refused_cleanly(query, reason, caplog):
    client = WebsocketCommunicator(application(), ECHO)
    client.scope["query_string"] = query.encode("utf-8", "surrogateescape")
    await refused(client, caplog, reason)


@run
async def test_garbage_headers_are_refused_cleanly(settings, caplog):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    headers = [
        (b"authorization", b"Bearer \xff\xfe garbage"),
        (b"cookie", b"access_token_cookie=\xff; ;;=; x"),
    ]
    await refused(communicator(headers=headers), caplog, "Bad Authorization header")


def test_handshake_request_joins_repeated_headers_as_django_does():
    request = HandshakeRequest(
        {
            "headers": [
                (b"cookie", b"a=1; "),
                (b"cookie", b"b=2"),
                (b"x-thing", b"one"),
                (b"x-thing", b"two"),
            ],
            "query_string": b"jwt=abc&x=%C3%A9",
        }
    )
    assert request.COOKIES == {"a": "1", "b": "2"}
    assert request.META["HTTP_X_THING"] == "one,two"
    assert request.GET["jwt"] == "abc"
    assert request.GET["x"] == "é"
    assert request.method == "GET"


@run
async def test_a_client_gone_before_the_handshake_is_left_alone():
    client = communicator()
    await client.send_input({"type": "websocket.disconnect", "code": 1006})
    await client.wait()
    assert await client.receive_nothing()


# A live connection: its token is judged again on every message.


class Clock:
    """Stands in for the pipeline's clock, to let time pass."""

    def __init__(self):
        self.offset = 0.0

    def time(self):
        return time.time() + self.offset


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr("django_jwt_ext.pipeline.time", fake)
    return fake


async def closed_on_next_message(client, caplog, reason, code=UNAUTHORIZED):
    """The next message closes the connection with ``code``; the consumer never sees it."""
    with caplog.at_level(logging.INFO, logger=LOGGER):
        await client.send_json_to({"after": "change"})
        assert await client.receive_output() == {"type": "websocket.close", "code": code}
        await client.wait()
    messages = [record.getMessage() for record in caplog.records if record.name == LOGGER]
    assert any(reason in message and str(code) in message for message in messages), messages
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@run
async def test_expiry_mid_connection_closes_with_4401(user, clock, caplog):
    client = communicator(create_access_token(user, expires_delta=timedelta(minutes=5)))
    assert (await client.connect())[0] is True
    assert (await echo(client, 1))["echo"] == 1
    clock.offset = 5 * 60 - 1
    assert (await echo(client, 2))["echo"] == 2
    clock.offset = 5 * 60
    await closed_on_next_message(client, caplog, "Signature has expired")


@run
async def test_expiry_honours_the_leeway(settings, user, clock):
    settings.JWT_DECODE_LEEWAY = 30
    client = communicator(create_access_token(user, expires_delta=timedelta(minutes=5)))
    assert (await client.connect())[0] is True
    clock.offset = 5 * 60 + 29
    assert (await echo(client, 1))["echo"] == 1
    await client.disconnect()


@run
async def test_timed_freshness_lapsing_mid_connection_closes_with_4401(user, clock, caplog):
    token = create_access_token(user, fresh=timedelta(minutes=1))
    client = communicator(token, app=application(fresh=True))
    assert (await client.connect())[0] is True
    assert (await echo(client, 1))["echo"] == 1
    clock.offset = 61
    await closed_on_next_message(client, caplog, "Fresh token required")


@run
async def test_token_without_expiry_never_expires(user, clock):
    client = communicator(create_access_token(user, expires_delta=False))
    assert (await client.connect())[0] is True
    clock.offset = 10 * 365 * 24 * 3600
    assert (await echo(client, 1))["echo"] == 1
    await client.disconnect()


@run
async def test_revocation_mid_connection_closes_with_4401_in_every_backend(
    backend_path, stateless, caplog
):
    token = create_access_token("42")
    client = communicator(token)
    assert (await client.connect())[0] is True
    assert (await echo(client, 1))["echo"] == 1
    await sync_to_async(revoke_token)(token)
    await closed_on_next_message(client, caplog, "Token has been revoked")


@run
async def test_logout_everywhere_mid_connection_closes_with_4401(user, caplog):
    client = communicator(create_access_token(user))
    assert (await client.connect())[0] is True
    await sync_to_async(revoke_user_tokens)(user)
    await closed_on_next_message(client, caplog, "Token has been revoked")


@run
async def test_a_blocklist_loader_is_asked_on_every_message(manager, user, caplog):
    asked = []

    @manager.token_in_blocklist_loader
    def blocked(jwt_header, jwt_data):
        asked.append(jwt_data["jti"])
        return len(asked) > 2

    token = create_access_token(user)
    client = communicator(token)
    assert (await client.connect())[0] is True
    assert (await echo(client, 1))["echo"] == 1
    await closed_on_next_message(client, caplog, "Token has been revoked")
    assert asked == [decode_token(token)["jti"]] * 3


@run
async def test_store_unreachable_mid_connection_closes_with_4503(manager, user, caplog):
    @manager.token_in_blocklist_loader
    def blocked(jwt_header, jwt_data):
        if blocked.down:
            raise StoreUnavailableError("Token store unavailable")
        return False

    blocked.down = False
    client = communicator(create_access_token(user))
    assert (await client.connect())[0] is True
    blocked.down = True
    await closed_on_next_message(client, caplog, "Token store unavailable", UNAVAILABLE)


@run
async def test_revocation_check_follows_the_settings(settings, user):
    settings.JWT_BLACKLIST_ENABLED = False  # flask-jwt-extended 3.x: checks off
    token = create_access_token(user)
    client = communicator(token)
    assert (await client.connect())[0] is True
    await sync_to_async(revoke_token)(token)
    assert (await echo(client, 1))["echo"] == 1
    await client.disconnect()


@run
async def test_nothing_the_consumer_sends_after_the_close_reaches_the_server(user, clock):
    sent = []

    async def inner(scope, receive, send):
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        message = await receive()
        assert message == {"type": "websocket.disconnect", "code": UNAUTHORIZED}
        await send({"type": "websocket.send", "text": "too late"})
        sent.append("tried")

    token = create_access_token(user)
    client = WebsocketCommunicator(JWTAuthMiddleware(inner), f"/?jwt={token}")
    assert (await client.connect())[0] is True
    clock.offset = 3600
    await client.send_to(text_data="hello")
    assert await client.receive_output() == {"type": "websocket.close", "code": UNAUTHORIZED}
    await client.wait()
    assert sent == ["tried"]
    assert await client.receive_nothing()


# testproject's application: Origin checking in front of the middleware.


@run
async def test_testproject_refuses_handshakes_from_other_origins(user):
    from testproject.asgi import application as project

    token = create_access_token(user)
    allowed = communicator(token, app=project, headers=[(b"origin", b"http://testserver")])
    assert (await allowed.connect())[0] is True
    await allowed.disconnect()
    other = communicator(token, app=project, headers=[(b"origin", b"https://evil.example")])
    assert (await other.connect())[0] is False
    await other.wait()
