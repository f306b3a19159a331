"""Under ASGI (Django's AsyncClient, the ASGI handler): the CSRF rule, and what runs
on the event loop and what in a thread."""

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient, RequestFactory

from django_jwt_ext import create_access_token, get_csrf_token, pipeline
from django_jwt_ext.revocation import ais_token_revoked, arevoke_token
from tests.helpers import DECORATED, NINJA_FLAVOURS, assert_refused, flavour_path
from tests.revocation_support import CACHE_BACKEND, isolated_cache_fixture  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

FLAVOURS = DECORATED + NINJA_FLAVOURS


def post(path, **kwargs):
    return async_to_sync(AsyncClient(enforce_csrf_checks=True).post)(path, **kwargs)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_header_jwt_passes_csrf_view_middleware_under_asgi(flavour, user, access_token):
    response = post(flavour_path(flavour), headers={"Authorization": f"Bearer {access_token}"})
    assert response.status_code == 200, response.content[:300]
    assert response.json()["request_user"] == "alice"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_cookie_jwt_keeps_the_double_submit_under_asgi(flavour, settings, user, access_token):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    client = AsyncClient(enforce_csrf_checks=True)
    client.cookies["access_token_cookie"] = access_token
    assert_refused(async_to_sync(client.post)(flavour_path(flavour)), 401, "Missing CSRF token")
    response = async_to_sync(client.post)(
        flavour_path(flavour), headers={"X-CSRF-TOKEN": get_csrf_token(access_token)}
    )
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_no_jwt_gets_the_jwt_401_not_djangos_403_under_asgi(flavour):
    assert_refused(post(flavour_path(flavour)), 401, "Missing Authorization Header")


# Loop or thread: averify hops to a thread once for the whole pipeline when a
# step may do synchronous I/O, never otherwise.


@pytest.fixture
def hops(monkeypatch):
    """Count the pipeline's hops to a thread."""
    counted = []

    def counting(function, *args, **kwargs):
        counted.append(function.__name__)
        return sync_to_async(function, *args, **kwargs)

    monkeypatch.setattr(pipeline, "sync_to_async", counting)
    return counted


def averify(token):
    request = RequestFactory().get("/", headers={"Authorization": f"Bearer {token}"})
    return async_to_sync(pipeline.averify)(request, pipeline.Requirements())


def test_stateless_mode_with_the_cache_store_stays_on_the_loop(settings, isolated_cache, hops):
    settings.JWT_USER_LOOKUP = None
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    verified = averify(create_access_token("42"))
    assert verified.user.pk == "42"
    assert hops == []


def test_the_default_settings_hop_once_for_the_whole_pipeline(user, hops):
    verified = averify(create_access_token(user))
    assert verified.user == user
    assert hops == ["verify"]


def test_a_registered_callback_sends_the_pipeline_to_a_thread(settings, manager, hops):
    settings.JWT_USER_LOOKUP = None
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    manager.token_verification_loader(lambda jwt_header, jwt_data: True)
    averify(create_access_token("42"))
    assert hops == ["verify"]


def test_async_revocation_api_round_trip(settings, isolated_cache):
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    token = create_access_token("42")
    claims = pipeline.revocation.claims_of(token)
    assert async_to_sync(ais_token_revoked)(claims) is False
    assert async_to_sync(arevoke_token)(token) is True
    assert async_to_sync(ais_token_revoked)(claims) is True


def test_cache_store_keeps_one_cache_object_across_requests(settings, isolated_cache, monkeypatch):
    """Django's caches[alias] is per asyncio task: one new cache object (a new Redis
    pool) per request, unless the store keeps its own."""
    from django.core.cache import caches

    settings.JWT_USER_LOOKUP = None
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    created = []
    create_connection = caches.create_connection

    def counting(alias):
        created.append(alias)
        return create_connection(alias)

    monkeypatch.setattr(caches, "create_connection", counting)
    token = create_access_token("42")

    statuses = []

    async def requests():
        client = AsyncClient()
        for _ in range(5):
            # Each request in a task of its own, as servers run them.
            response = await asyncio.create_task(
                client.get(flavour_path("async"), headers={"Authorization": f"Bearer {token}"})
            )
            statuses.append(response.status_code)

    # A new thread starts with an empty context, as a server's event loop does.
    thread = threading.Thread(target=async_to_sync(requests))
    thread.start()
    thread.join()
    assert statuses == [200] * 5
    assert created == ["default"]


def test_a_decode_key_loader_sends_the_pipeline_to_a_thread(settings, manager, hops):
    settings.JWT_USER_LOOKUP = None
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    manager.decode_key_loader(lambda jwt_header, jwt_data: settings.JWT_SECRET_KEY)
    assert averify(create_access_token("42")).claims["sub"] == "42"
    assert hops == ["verify"]


def test_an_options_pass_settles_no_later_requirements():
    """What an exempt OPTIONS request stored never stands in for a verification."""
    assert not pipeline.Requirements(optional=True).met_by(pipeline.no_token())
