"""DESIGN.md section 3.3, the CSRF rule, row by row.

Every row runs through every protected view flavour (function, async,
class-based, dispatch, mixin, async class-based; Django REST framework's where
installed), with a browser's CSRF enforcement (``enforce_csrf_checks``), and
with and without a logged-in session cookie of another user (the victim of a
cross-site request).
"""

import json

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings as django_settings
from django.middleware.csrf import get_token
from django.test import AsyncClient, Client, RequestFactory

from django_jwt_ext import create_access_token, get_csrf_token
from tests.helpers import (
    DECORATED,
    DRF_FLAVOURS,
    NINJA_FLAVOURS,
    assert_refused,
    call,
    flavour_path,
)

pytestmark = pytest.mark.django_db

PROTECTED = DECORATED + NINJA_FLAVOURS + DRF_FLAVOURS
# Views with an optional variant, where a session may act.
OPTIONAL = DECORATED + NINJA_FLAVOURS
BODY_LOCATIONS = ("headers", "query_string", "json")
MISSING = {
    "headers": "Missing Authorization Header",
    "cookies": 'Missing cookie "access_token_cookie"',
    "query_string": "Missing 'jwt' query paramater",
    "json": "Invalid content-type. Must be application/json.",
}


@pytest.fixture
def victim(django_user_model):
    return django_user_model.objects.create_user("victim", password="victim-password")


@pytest.fixture(params=["no-session", "session"])
def browser(request, victim):
    """A browser enforcing CSRF; with ``session``, the victim is logged in with Django."""
    client = Client(enforce_csrf_checks=True)
    if request.param == "session":
        client.force_login(victim)
    return client


def assert_acts_as(response, identity, username=None):
    """The view ran as the token's user: ``username`` when the user was looked up,
    the identity (a TokenUser) in stateless mode."""
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["identity"] == identity
    assert body["request_user"] == (username or identity)


# Row 1: a JWT presented in a header, the query string or a JSON body is the
# credential itself; Django's check never refuses it, and the view acts as
# the token's user, never as the session's.


@pytest.mark.parametrize("flavour", PROTECTED)
@pytest.mark.parametrize("location", BODY_LOCATIONS)
@pytest.mark.parametrize("lookup", ["model", None])
def test_presented_jwt_is_never_refused_and_acts_as_its_user(
    browser, settings, user, flavour, location, lookup
):
    settings.JWT_TOKEN_LOCATION = [location]
    settings.JWT_USER_LOOKUP = lookup
    token = create_access_token(user)
    response = call(browser, flavour_path(flavour), token, location, method="post")
    assert_acts_as(response, str(user.pk), user.username if lookup else None)


# Row 2: a cookie JWT is guarded by the double submit, as the JWT settings say.


@pytest.mark.parametrize("flavour", PROTECTED)
def test_cookie_jwt_with_the_double_submit_passes(browser, settings, user, flavour):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    token = create_access_token(user)
    response = call(
        browser, flavour_path(flavour), token, "cookies", method="post", csrf=get_csrf_token(token)
    )
    assert_acts_as(response, str(user.pk), user.username)


@pytest.mark.parametrize("flavour", PROTECTED)
def test_cookie_jwt_without_the_double_submit_gets_the_jwt_401(browser, settings, user, flavour):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    response = call(
        browser, flavour_path(flavour), create_access_token(user), "cookies", method="post"
    )
    assert_refused(response, 401, "Missing CSRF token")


@pytest.mark.parametrize("flavour", PROTECTED)
def test_cookie_jwt_with_the_double_submit_off_passes_as_in_flask(browser, settings, user, flavour):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    settings.JWT_COOKIE_CSRF_PROTECT = False
    response = call(
        browser, flavour_path(flavour), create_access_token(user), "cookies", method="post"
    )
    assert_acts_as(response, str(user.pk), user.username)


@pytest.mark.parametrize("flavour", PROTECTED)
def test_cookie_jwt_on_a_method_outside_jwt_csrf_methods_passes_as_in_flask(
    browser, settings, user, flavour
):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    settings.JWT_CSRF_METHODS = ["POST"]
    token = create_access_token(user)
    response = call(browser, flavour_path(flavour), token, "cookies", method="delete")
    assert_acts_as(response, str(user.pk), user.username)
    refused = call(browser, flavour_path(flavour), token, "cookies", method="post")
    assert_refused(refused, 401, "Missing CSRF token")


# Row 3: no JWT, a view that requires one: the JWT's 401, never Django's 403.


@pytest.mark.parametrize("flavour", PROTECTED)
@pytest.mark.parametrize("location", list(MISSING))
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_no_jwt_to_a_required_view_gets_the_401(browser, settings, flavour, location, method):
    settings.JWT_TOKEN_LOCATION = [location]
    response = getattr(browser, method)(flavour_path(flavour))
    assert_refused(response, 401, MISSING[location])


@pytest.mark.parametrize("flavour", PROTECTED)
def test_no_jwt_in_several_locations_gets_the_401(browser, settings, flavour):
    settings.JWT_TOKEN_LOCATION = ["json", "cookies"]
    response = browser.post(flavour_path(flavour))
    assert response.status_code == 401
    assert response.json()["msg"].startswith("Missing JWT in json or cookies (")


# Row 4: no JWT, an optional view. Without a session cookie nobody is acting:
# it passes. With one, the request may act as the session's user, so Django's
# check stands.


@pytest.mark.parametrize("flavour", OPTIONAL)
def test_no_jwt_to_an_optional_view_without_a_session_passes(flavour, settings):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    response = Client(enforce_csrf_checks=True).post(flavour_path(flavour, "optional"))
    assert response.status_code == 200
    assert response.json()["location"] is None
    assert response.json()["request_user"] is None


@pytest.mark.parametrize("flavour", OPTIONAL)
def test_no_jwt_to_an_optional_view_with_a_session_keeps_django_csrf(flavour, settings, victim):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(victim)
    response = browser.post(flavour_path(flavour, "optional"))
    assert response.status_code == 403
    assert b"CSRF" in response.content
    # With Django's own token, it is the session's user's request.
    csrf_token = get_token(RequestFactory().get("/"))
    browser.cookies[django_settings.CSRF_COOKIE_NAME] = csrf_token
    response = browser.post(flavour_path(flavour, "optional"), HTTP_X_CSRFTOKEN=csrf_token)
    assert response.status_code == 200
    assert response.json()["request_user"] == "victim"


@pytest.mark.parametrize("flavour", OPTIONAL)
@pytest.mark.parametrize("location", BODY_LOCATIONS)
def test_jwt_to_an_optional_view_with_a_session_acts_as_the_token_user(
    flavour, settings, user, victim, location
):
    settings.JWT_TOKEN_LOCATION = [location]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(victim)
    response = call(
        browser,
        flavour_path(flavour, "optional"),
        create_access_token(user),
        location,
        method="post",
    )
    assert_acts_as(response, str(user.pk), user.username)


# Row 5: whenever a JWT was verified, request.user is the token's user. The
# review's attack: stateless mode, the attacker's own valid token in the
# query string of a cross-site POST, the victim's session cookie riding along.


@pytest.mark.parametrize("flavour", PROTECTED)
@pytest.mark.parametrize("location", ["query_string", "headers"])
def test_cross_site_post_with_an_attackers_token_never_acts_as_the_victim(
    flavour, settings, victim, location
):
    settings.JWT_USER_LOOKUP = None
    settings.JWT_TOKEN_LOCATION = [location]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(victim)
    attacker_token = create_access_token("attacker")
    response = call(browser, flavour_path(flavour), attacker_token, location, method="post")
    assert_acts_as(response, "attacker")
    assert response.json()["request_user"] != "victim"


# Views this app does not protect keep Django's check, token or not.


def test_unprotected_views_keep_django_csrf(user):
    browser = Client(enforce_csrf_checks=True)
    token = create_access_token(user)
    response = browser.post("/admin/login/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert b"CSRF" in response.content


# The same rule under ASGI, where JWTMiddleware runs on the event loop.


@pytest.mark.parametrize("flavour", ["sync", "async", "async-dispatch", "async-mixin", "cbv"])
@pytest.mark.parametrize("location", BODY_LOCATIONS)
def test_presented_jwt_passes_django_csrf_under_asgi(settings, user, flavour, location):
    settings.JWT_TOKEN_LOCATION = [location]
    token = create_access_token(user)
    client = AsyncClient(enforce_csrf_checks=True)
    response = async_to_sync(acall)(client, flavour_path(flavour), token, location)
    assert_acts_as(response, str(user.pk), user.username)


@pytest.mark.parametrize("flavour", ["sync", "async", "async-mixin"])
def test_no_jwt_gets_the_401_under_asgi(flavour):
    client = AsyncClient(enforce_csrf_checks=True)
    response = async_to_sync(client.post)(flavour_path(flavour))
    assert_refused(response, 401, MISSING["headers"])


async def acall(client, path, token, location):
    """POST ``token`` in ``location`` with Django's AsyncClient."""
    if location == "headers":
        return await client.post(path, headers={"Authorization": f"Bearer {token}"})
    if location == "query_string":
        return await client.post(f"{path}?jwt={token}")
    return await client.post(
        path, data=json.dumps({"access_token": token}), content_type="application/json"
    )
