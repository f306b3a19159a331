import sys
from importlib.util import find_spec

import pytest
from django.conf import settings as django_settings
from django.test import Client

from django_jwt_ext import JWTManager, create_access_token, create_refresh_token
from tests import managers
from tests.helpers import FLAVOURS, LOCATIONS, NINJA_FLAVOURS

# A 64-byte HMAC key: long enough for HS512 (RFC 7518 3.2).
SECRET = "test-secret-0123456789abcdef0123456789abcdef0123456789abcdef0123"


@pytest.fixture(autouse=True)
def jwt_settings(settings):
    """Start every test from the library's defaults, not the demo project's choices.

    Only a known secret, the header location and a fresh manager are set. The
    fast MD5 hasher spares each created user PBKDF2's deliberate slowness.
    """
    for name in dir(django_settings):
        if name.startswith("JWT_"):
            delattr(settings, name)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.JWT_SECRET_KEY = SECRET
    settings.JWT_TOKEN_LOCATION = ["headers"]
    settings.JWT_MANAGER = "tests.managers.active"
    managers.active = JWTManager()
    return settings


@pytest.fixture
def demo_settings(settings):
    """Put back the demo project's token settings, which jwt_settings replaces."""
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies", "query_string", "json"]
    settings.JWT_MANAGER = "testproject.auth.jwt"
    settings.JWT_COOKIE_SAMESITE = "Lax"
    settings.JWT_REFRESH_TOKEN_ROTATION = True
    return settings


@pytest.fixture(params=FLAVOURS + NINJA_FLAVOURS)
def flavour(request):
    """Each view flavour of testproject's core set in turn, and the Ninja operations."""
    return request.param


@pytest.fixture(params=LOCATIONS)
def location(request, settings):
    """Each token location in turn, as the only configured one."""
    settings.JWT_TOKEN_LOCATION = [request.param]
    return request.param


@pytest.fixture
def manager():
    """The JWTManager active in this test, fresh for each test."""
    return managers.active


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("alice", password="alice-password")


@pytest.fixture
def access_token(user):
    return create_access_token(user)


@pytest.fixture
def refresh_token(user):
    return create_refresh_token(user)


@pytest.fixture
def csrf_client():
    """A test client that enforces Django's CSRF checks, as browsers meet them."""
    return Client(enforce_csrf_checks=True)


# Without an optional extra installed (``make test-minimal``) its tests are not
# collected; everything else must pass.
OPTIONAL = {
    "rest_framework": ["test_drf*.py"],
    "ninja": ["test_ninja*.py"],
    "channels": ["test_channels*.py"],
    # The real ASGI servers and the WebSocket client.
    "uvicorn": ["test_asgi_servers.py"],
}
collect_ignore_glob = [
    pattern
    for module, patterns in OPTIONAL.items()
    if not find_spec(module)
    for pattern in patterns
]


def pytest_terminal_summary(terminalreporter):
    """Say where the browser tests saved their screenshots, when they saved some."""
    chromium = sys.modules.get("tests.chromium")
    if chromium is not None and chromium.SAVED:
        terminalreporter.write_line(f"{len(chromium.SAVED)} screenshots in {chromium.SCREENSHOTS}")
