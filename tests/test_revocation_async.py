"""The async twins of the revocation API keep the same contract, on every backend."""

import asyncio
import time
import uuid

import pytest
from asgiref.sync import async_to_sync
from django.test import RequestFactory

from django_jwt_ext import (
    averify_jwt_in_request,
    create_access_token,
    create_refresh_token,
    decode_token,
)
from django_jwt_ext.exceptions import RevokedTokenError, TokenNotRevocableError
from django_jwt_ext.manager import get_jwt_manager
from django_jwt_ext.pipeline import Requirements, VerifiedJWT, needs_thread
from django_jwt_ext.revocation import (
    aexchange_refresh_token,
    ais_token_revoked,
    arecord_refresh_token,
    arevoke_token,
    arevoke_user_tokens,
    await_until_issuable,
    get_backend,
    is_token_revoked,
)
from django_jwt_ext.revocation.records import TokenRecord
from tests.revocation_support import (  # noqa: F401 (fixtures)
    CACHE_BACKEND,
    backend_path_fixture,
    early_in_a_second,
    isolated_cache_fixture,
    revocations_fixture,
)

pytestmark = pytest.mark.django_db(transaction=True)


def run(coroutine_function, *args):
    return async_to_sync(coroutine_function)(*args)


def test_arevoke_token_and_ais_token_revoked(backend_path, user, revocations):
    token = create_access_token(user)
    claims = decode_token(token)
    assert run(ais_token_revoked, claims) is False
    assert run(arevoke_token, token, "async logout") is True
    assert run(arevoke_token, claims) is False  # idempotent
    assert run(ais_token_revoked, claims) is True
    assert is_token_revoked(claims) is True  # the sync twin agrees
    assert [(s["jti"], s["reason"]) for s in revocations] == [(claims["jti"], "async logout")]


def test_arevoke_token_without_jti(backend_path, user):
    claims = decode_token(create_access_token(user))
    del claims["jti"]
    with pytest.raises(TokenNotRevocableError):
        run(arevoke_token, claims)


def test_arevoke_user_tokens_and_the_issuing_step(backend_path, user):
    early_in_a_second()
    before = decode_token(create_access_token(user))
    run(arevoke_user_tokens, user)
    assert run(ais_token_revoked, before) is True
    started = time.monotonic()
    run(await_until_issuable, user)
    assert 0 < time.monotonic() - started < 1
    assert run(ais_token_revoked, decode_token(create_access_token(user))) is False


def test_arecord_and_aexchange_refresh_token(backend_path, user):
    first = create_refresh_token(user)
    run(arecord_refresh_token, first, user)
    claims = decode_token(first)
    header = {"alg": "HS256", "typ": "JWT"}
    successor = decode_token(create_refresh_token(user))
    run(aexchange_refresh_token, header, claims, successor)
    with pytest.raises(RevokedTokenError):  # a replay
        run(aexchange_refresh_token, header, claims, decode_token(create_refresh_token(user)))
    assert run(ais_token_revoked, successor) is True


def test_cache_backend_runs_the_same_steps_on_the_event_loop(settings, isolated_cache, user):
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    backend = get_backend()
    assert backend.native_async is True
    claims = decode_token(create_refresh_token(user))

    async def exercise(family):
        record = TokenRecord.from_claims(claims)
        await backend.arecord_refresh_token(record, family)
        lineage = await backend.arefresh_lineage(record)
        consumed = await backend.aconsume_refresh_token(record, family)
        again = await backend.aconsume_refresh_token(record, family)
        return lineage, consumed, again, await backend.ais_revoked(record)

    family = uuid.uuid4()
    lineage, consumed, again, revoked = asyncio.run(exercise(family))
    assert lineage == (family, None)
    assert (consumed, again, revoked) == (True, False, True)


def test_stateless_cache_verification_stays_on_the_event_loop(settings, isolated_cache, manager):
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    settings.JWT_USER_LOOKUP = None
    assert needs_thread(get_jwt_manager()) is False
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {create_access_token('bob')}")
    assert run(averify_jwt_in_request, request)[1]["sub"] == "bob"


def test_registered_callbacks_run_off_the_event_loop(settings, isolated_cache, manager):
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    settings.JWT_USER_LOOKUP = None
    threads = []

    @manager.token_verification_loader
    def verify(jwt_header, jwt_data):
        try:
            asyncio.get_running_loop()
            threads.append("event loop")
        except RuntimeError:
            threads.append("worker thread")
        return True

    assert needs_thread(get_jwt_manager()) is True
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {create_access_token('bob')}")
    assert run(averify_jwt_in_request, request) is not None
    assert threads == ["worker thread"]


def test_an_earlier_verification_settles_only_what_it_asked():
    found = VerifiedJWT({}, {"sub": "a"}, "headers", requirements=Requirements())
    assert Requirements(optional=True).met_by(found) is True
    assert Requirements(fresh=True).met_by(found) is False
    preflight = VerifiedJWT({}, {}, None)  # an OPTIONS request stores no requirements
    assert Requirements(optional=True).met_by(preflight) is False
