"""Two app server processes sharing one cache: a logout on one holds on the other.

The servers run ``tests.revocation_server_settings`` (the cache store, no user
lookup) against Redis when ``REDIS_URL`` is set, else against a FileBasedCache
in a temporary directory, which processes of one machine share as well.
"""

import os
import uuid

import pytest

from django_jwt_ext import create_access_token
from tests.conftest import SECRET
from tests.revocation_support import REDIS_KEY_PREFIX, REDIS_URL, REVOKED, delete_redis_keys
from tests.servers import migrate, request, start, stop, wait_until_answering

PROTECTED = "/flavours/sync/protected"  # needs no database user (JWT_USER_LOOKUP = None)


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
    migrate(env)
    processes = []

    def stop_all():
        stop(processes)
        if REDIS_URL:
            delete_redis_keys(key_prefix)

    # Registered before the first start: a server that started is stopped even
    # when the other one fails to.
    request.addfinalizer(stop_all)  # noqa: PT021
    bases = []
    for name in ("a", "b"):
        log = workdir / f"server-{name}.log"
        base, process = start(env, log)
        processes.append(process)
        bases.append((base, process, log))
    for base, process, log in bases:
        wait_until_answering(base, PROTECTED, process, log)
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
