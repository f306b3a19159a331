"""The management commands of the store, through call_command."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.models import IssuedRefreshToken, RevokedIdentity, RevokedToken
from django_jwt_ext.revocation import is_token_revoked, record_refresh_token
from django_jwt_ext.revocation.db import DatabaseBackend
from tests.revocation_support import (  # noqa: F401 (fixtures)
    DATABASE_BACKENDS,
    isolated_cache_fixture,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def revoked_rows(count, expires_at):
    RevokedToken.objects.bulk_create(
        RevokedToken(
            jti=str(uuid.uuid4()), token_type="access", identity="1", expires_at=expires_at
        )
        for _ in range(count)
    )


def issued_rows(count, expires_at):
    IssuedRefreshToken.objects.bulk_create(
        IssuedRefreshToken(
            jti=str(uuid.uuid4()), family=uuid.uuid4(), identity="1", expires_at=expires_at
        )
        for _ in range(count)
    )


@pytest.mark.parametrize("backend", list(DATABASE_BACKENDS.values()), ids=list(DATABASE_BACKENDS))
def test_purge_deletes_expired_rows_in_batches(backend, settings, isolated_cache):
    settings.JWT_REVOCATION_BACKEND = backend
    now = timezone.now()
    revoked_rows(2500, now - timedelta(hours=1))
    revoked_rows(7, now + timedelta(hours=1))
    revoked_rows(3, None)  # tokens that never expire
    issued_rows(1200, now - timedelta(days=1))
    issued_rows(5, now + timedelta(days=1))

    with CaptureQueriesContext(connection) as queries:
        output = run("jwt_ext_purge", "--batch-size", "1000")

    assert output == "Deleted 3700 expired record(s).\n"
    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    # 2500 revoked rows: 1000 + 1000 + 500; 1200 issued rows: 1000 + 200.
    assert [sql.count(",") + 1 for sql in deletes] == [1000, 1000, 500, 1000, 200]
    assert RevokedToken.objects.count() == 10
    assert IssuedRefreshToken.objects.count() == 5
    assert not RevokedToken.objects.filter(expires_at__lt=now).exists()


def test_purge_default_batch_and_nothing_to_do():
    assert run("jwt_ext_purge") == "Deleted 0 expired record(s).\n"


def test_purge_keeps_logouts_everywhere(user):
    call_command("jwt_ext_revoke", "alice", stdout=io.StringIO())
    run("jwt_ext_purge")
    assert RevokedIdentity.objects.get().user == user


def test_revoke_command_revokes_every_token_of_the_user(user, django_user_model):
    bob = django_user_model.objects.create_user("bob")
    access, refresh = create_access_token(user), create_refresh_token(user)
    record_refresh_token(refresh, user)
    bob_access = create_access_token(bob)

    output = run("jwt_ext_revoke", "alice", "--reason", "compromised")

    assert output == (
        "Revoked every token of alice issued up to now.\n"
        f"1 recorded refresh token(s) carry the identity '{user.pk}'.\n"
    )
    assert is_token_revoked(decode_token(access)) is True
    assert is_token_revoked(decode_token(refresh)) is True
    assert is_token_revoked(decode_token(bob_access)) is False
    marker = RevokedIdentity.objects.get()
    assert (marker.identity, marker.user, marker.reason) == (str(user.pk), user, "compromised")


def test_revoke_command_with_an_identity(user):
    token = create_access_token("someone@example.com")
    run("jwt_ext_revoke", "--identity", "someone@example.com")
    assert is_token_revoked(decode_token(token)) is True
    assert RevokedIdentity.objects.get().user is None


def test_revoke_command_refuses_an_unknown_username(user):
    with pytest.raises(CommandError, match="No user with username 'mallory'"):
        run("jwt_ext_revoke", "mallory")
    assert not RevokedIdentity.objects.exists()


def test_migrations_match_the_models():
    output = run("makemigrations", "django_jwt_ext", "--check", "--dry-run")
    assert output == "No changes detected in app 'django_jwt_ext'\n"


@pytest.mark.parametrize("batch_size", ["0", "-5", "ten"])
def test_purge_refuses_a_batch_size_that_is_not_a_positive_integer(batch_size):
    with pytest.raises(CommandError, match="batch.size"):
        call_command("jwt_ext_purge", f"--batch-size={batch_size}", stdout=io.StringIO())


class PurgelessBackend(DatabaseBackend):
    def purge_expired(self, batch_size=1000):
        raise NotImplementedError


def test_purge_with_a_backend_that_cannot_purge_is_a_command_error(settings):
    settings.JWT_REVOCATION_BACKEND = f"{__name__}.PurgelessBackend"
    with pytest.raises(CommandError, match="PurgelessBackend does not support purging"):
        call_command("jwt_ext_purge", stdout=io.StringIO())


def test_revoke_command_keeps_the_history_of_each_run(user):
    run("jwt_ext_revoke", "alice", "--reason", "first")
    run("jwt_ext_revoke", "alice", "--reason", "second")
    reasons = list(
        RevokedIdentity.objects.order_by("revoked_before").values_list("reason", flat=True)
    )
    assert reasons == ["first", "second"]


def test_revoke_command_with_an_unknown_identity_says_nothing_matched():
    output = run("jwt_ext_revoke", "--identity", "nobody@example.com")
    assert "No recorded refresh token carries the identity 'nobody@example.com'" in output
