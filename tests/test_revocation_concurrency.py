"""Two refreshes of one token at once: exactly one wins (needs PostgreSQL).

The threads need connections of their own to one shared database, which the
in-memory SQLite test database does not give; CI runs these on PostgreSQL.
"""

import os
import threading
import time
from unittest import mock

import pytest
from django.db import connection
from django.test import Client

from django_jwt_ext import create_refresh_token, decode_token, revocation
from django_jwt_ext.exceptions import RevokedTokenError
from django_jwt_ext.revocation import is_token_revoked
from django_jwt_ext import rotate_refresh_token
from django_jwt_ext.tokens import peek
from tests.revocation_support import (  # noqa: F401 (fixtures)
    DB_BACKEND,
    REVOKED,
    backend_path_fixture,
    bearer,
    isolated_cache_fixture,
    rotation_fixture,
)

THREADS = 20

# Decided at collection time: with DATABASE_URL the tests must run.
pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL"),
        reason="Needs concurrent connections to one database; CI runs it on PostgreSQL.",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(work):
    """Run ``work()`` in THREADS threads released at once; return results and errors."""
    barrier = threading.Barrier(THREADS)
    results, errors = [], []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait(timeout=30)
            outcome = work()
            with lock:
                results.append(outcome)
        except Exception as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def test_database_is_postgresql():
    assert connection.vendor == "postgresql"


def test_concurrent_rotations_of_one_token_let_exactly_one_win(backend_path, user):
    refresh = create_refresh_token(user)
    header, claims = peek(refresh)[0], decode_token(refresh)

    results, errors = race(lambda: rotate_refresh_token(header, claims))

    assert len(results) == 1, errors
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, RevokedTokenError) for error in errors), errors
    successor = results[0]
    assert decode_token(successor)["type"] == "refresh"

    # A replay (the losers already were replays) leaves the winner's token dead too.
    with pytest.raises(RevokedTokenError):
        rotate_refresh_token(header, claims)
    assert is_token_revoked(decode_token(successor)) is True
    assert is_token_revoked(claims) is True


def test_concurrent_refresh_requests_let_exactly_one_win(settings, isolated_cache, rotation, user):
    settings.JWT_REVOCATION_BACKEND = DB_BACKEND
    refresh = create_refresh_token(user)
    record = revocation.record_refresh_token

    def slow_record(*args, **kwargs):
        # Widen the moment between the winner's consumption of the token and
        # the recording of its successor: the losers must not be able to
        # revoke the family in that gap and leave the successor out.
        time.sleep(0.3)
        return record(*args, **kwargs)

    def post():
        response = Client().post("/api/refresh", **bearer(refresh))
        return response.status_code, response.json()

    with mock.patch.object(revocation, "record_refresh_token", slow_record):
        results, errors = race(post)

    assert errors == []
    winners = [body for status, body in results if status == 200]
    losers = [(status, body) for status, body in results if status != 200]
    assert len(winners) == 1
    assert losers == [(401, REVOKED)] * (THREADS - 1)
    successor = winners[0]["refresh_token"]

    replay = Client().post("/api/refresh", **bearer(refresh))
    assert (replay.status_code, replay.json()) == (401, REVOKED)
    refused = Client().post("/api/refresh", **bearer(successor))
    assert (refused.status_code, refused.json()) == (401, REVOKED)
