"""What the built-in paths that issue tokens hand to the callbacks (issue: a
``user_identity_loader`` made refresh a 500), and the claims they carry."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from django_jwt_ext import create_access_token, decode_token
from tests.revocation_support import (  # noqa: F401 (fixtures)
    BACKENDS,
    backend_path_fixture,
    bearer,
    isolated_cache_fixture,
    rotation_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_endpoints_obtain")]

ALICE = {"username": "alice", "password": "alice-password"}


@pytest.fixture
def usernames(manager):
    """Identities are usernames: the loader needs a user, the lookup reads usernames."""
    seen = []

    @manager.user_identity_loader
    def identity(user):
        seen.append(user)
        return user.username

    @manager.user_lookup_loader
    def lookup(jwt_header, jwt_data):
        return get_user_model().objects.filter(username=jwt_data["sub"]).first()

    return seen


def obtain(client, url="custom-obtain"):
    response = client.post(reverse(url), ALICE, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def refresh(client, token):
    return client.post(reverse("django_jwt_ext:refresh"), **bearer(token))


def test_obtain_then_refresh_with_a_user_identity_loader(backend_path, usernames, client, user):
    tokens = obtain(client)
    response = refresh(client, tokens["refresh_token"])
    assert response.status_code == 200, response.content
    assert decode_token(response.json()["access_token"])["sub"] == "alice"
    # The loader only ever received users, never the identity string.
    assert usernames and all(isinstance(seen, get_user_model()) for seen in usernames)


def test_rotation_with_a_user_identity_loader(backend_path, rotation, usernames, client, user):
    first = obtain(client)
    second = refresh(client, first["refresh_token"]).json()
    third = refresh(client, second["refresh_token"])
    assert third.status_code == 200, third.content
    assert decode_token(third.json()["refresh_token"])["sub"] == "alice"


@pytest.mark.urls("testproject.urls")
def test_implicit_refresh_with_a_user_identity_loader(settings, usernames, user):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    client = Client()
    client.cookies["access_token_cookie"] = create_access_token(
        user, expires_delta=timedelta(seconds=30), additional_claims={"role": "member"}
    )
    response = client.get("/flavours/sync/protected")
    assert response.status_code == 200
    renewed = decode_token(response.cookies["access_token_cookie"].value)
    assert (renewed["sub"], renewed["role"]) == ("alice", "member")


@pytest.mark.parametrize("rotation_on", [False, True])
def test_refreshed_tokens_keep_the_claims_the_obtain_view_added(
    settings, client, user, manager, rotation_on
):
    settings.JWT_REFRESH_TOKEN_ROTATION = rotation_on
    calls = []

    @manager.additional_claims_loader
    def loader(identity):
        calls.append(identity)
        return {"tenant": f"tenant-of-{identity}"}

    tokens = obtain(client)
    refreshed = refresh(client, tokens["refresh_token"]).json()
    for name in refreshed:
        claims = decode_token(refreshed[name])
        # The view's claims (role, username) are carried; the loader's come anew.
        assert (claims["role"], claims["username"]) == ("member", "alice")
        assert claims["tenant"] == f"tenant-of-{user}"


def test_refresh_in_stateless_mode_issues_to_the_identity(settings, client, user, manager):
    settings.JWT_USER_LOOKUP = None
    seen = []
    manager.additional_claims_loader(lambda identity: seen.append(identity) or {})
    tokens = obtain(client, "django_jwt_ext:obtain")
    seen.clear()
    assert refresh(client, tokens["refresh_token"]).status_code == 200
    assert seen == [str(user.pk)]


def test_new_tokens_carry_whole_second_numeric_dates(user):
    claims = decode_token(create_access_token(user, fresh=timedelta(minutes=5)))
    for name in ("iat", "nbf", "exp"):
        assert type(claims[name]) is int, name
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert claims["nbf"] == claims["iat"]
