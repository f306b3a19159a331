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
from django.urls import reverse

from django_jwt_ext import create_refresh_token, decode_token, rotate_refresh_token
from django_jwt_ext.exceptions import RevokedTokenError
from django_jwt_ext.revocation import get_backend, is_token_revoked, record_refresh_token
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
    record_refresh_token(refresh, user)
    backend_class = type(get_backend())
    record = backend_class.record_refresh_token

    def slow_record(*args, **kwargs):
        # Widen the moment between the recording of a successor and the
        # consumption of the token: the losers must not be able to revoke
        # the family in that gap and leave the successor out.
        time.sleep(0.3)
        return record(*args, **kwargs)

    def post():
        response = Client().post("/api/refresh", **bearer(refresh))
        return response.status_code, response.json()

    with mock.patch.object(backend_class, "record_refresh_token", slow_record):
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


@pytest.mark.parametrize("pause", ["before-consume", "after-consume"])
def test_in_flight_exchange_cannot_escape_a_family_revoked_meanwhile(
    backend_path, rotation, user, pause
):
    """r0 -> r1. A thread exchanges r1 and is held inside the exchange while the
    owner's replay of r0 revokes the family on another connection. The held
    exchange fails, or what it returns is refused; the chain goes no further."""
    url = reverse("django_jwt_ext:refresh")
    login = Client().post(
        reverse("django_jwt_ext:obtain"),
        {"username": "alice", "password": "alice-password"},
        content_type="application/json",
    )
    r0 = login.json()["refresh_token"]
    r1 = Client().post(url, **bearer(r0)).json()["refresh_token"]
    r1_jti = decode_token(r1)["jti"]
    held, release = threading.Event(), threading.Event()
    backend_class = type(get_backend())
    consume = backend_class.consume_refresh_token

    def held_consume(self, token, family):
        if token.jti == r1_jti and pause == "before-consume":
            held.set()
            release.wait(30)
        outcome = consume(self, token, family)
        if token.jti == r1_jti and pause == "after-consume":
            held.set()
            release.wait(30)
        return outcome

    exchange = {}

    def exchange_r1():
        try:
            response = Client().post(url, **bearer(r1))
            exchange["response"] = (response.status_code, response.json())
        finally:
            connection.close()

    with mock.patch.object(backend_class, "consume_refresh_token", held_consume):
        thread = threading.Thread(target=exchange_r1)
        thread.start()
        assert held.wait(30)
        replay = Client().post(url, **bearer(r0))
        release.set()
        thread.join(30)
    assert not thread.is_alive()

    assert (replay.status_code, replay.json()) == (401, REVOKED)
    status, body = exchange["response"]
    if status == 200:
        r2 = body["refresh_token"]
        refused = Client().post(url, **bearer(r2))
        assert (refused.status_code, refused.json()) == (401, REVOKED)
    else:
        assert (status, body) == (401, REVOKED)
    for token in (r0, r1):
        response = Client().post(url, **bearer(token))
        assert (response.status_code, response.json()) == (401, REVOKED)
