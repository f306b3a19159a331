"""JWT_USER_LOOKUP: who request.user is, and what the lookup costs."""

import jwt as pyjwt
import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from django_jwt_ext import (
    create_access_token,
    create_refresh_token,
    decode_token,
    get_current_user,
    get_jwt,
    verify_jwt_in_request,
)
from django_jwt_ext.exceptions import UserLookupError
from django_jwt_ext.revocation import revoke_token, revoke_user_tokens
from django_jwt_ext.token_user import TokenUser
from tests.conftest import SECRET
from tests.helpers import call, flavour_path

pytestmark = pytest.mark.django_db

CHALLENGE = 'Bearer realm="api"'


def send(client, flavour, token, location="headers", variant="protected", **kwargs):
    kwargs.setdefault("method", "post" if location == "json" else "get")
    return call(client, flavour_path(flavour, variant), token, location, **kwargs)


def raw_claims(token):
    """Read a token's claims as issued, whatever their types."""
    return pyjwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_sub": False})


def assert_refused(response, message):
    assert response.status_code == 401
    assert response.json() == {"msg": message}
    assert response["WWW-Authenticate"] == CHALLENGE


# JWT_USER_LOOKUP = "model" (the default).


def test_request_user_is_the_loaded_user(client, flavour, location, user, access_token):
    response = send(client, flavour, access_token, location)
    assert response.status_code == 200
    assert response.json()["user"] == response.json()["request_user"] == "alice"


def test_loaded_user_is_a_model_instance(user, access_token):
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {access_token}")
    verify_jwt_in_request(request)
    assert isinstance(request.user, get_user_model())
    assert request.user.pk == user.pk
    assert get_current_user(request) is request.user


def test_each_token_loads_its_own_user(client, flavour, user, django_user_model):
    bob = django_user_model.objects.create_user("bob", password="bob-password")
    for someone, name in ((user, "alice"), (bob, "bob")):
        response = send(client, flavour, create_access_token(someone))
        assert response.json()["request_user"] == name


def test_inactive_user_is_refused(client, flavour, location, user, access_token):
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert_refused(
        send(client, flavour, access_token, location), f"Error loading the user {user.pk}"
    )


def test_deleted_user_is_refused(client, flavour, location, user, access_token):
    pk = user.pk
    user.delete()
    assert_refused(send(client, flavour, access_token, location), f"Error loading the user {pk}")


def test_refused_user_raises_user_lookup_error(user, access_token):
    user.is_active = False
    user.save()
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {access_token}")
    with pytest.raises(UserLookupError) as info:
        verify_jwt_in_request(request)
    assert info.value.jwt_data == decode_token(access_token)
    assert not hasattr(request, "user")


def test_refresh_tokens_load_the_user_too(client, flavour, user, refresh_token):
    response = send(client, flavour, refresh_token, variant="refresh", refresh=True)
    assert response.json()["request_user"] == "alice"
    user.delete()
    assert_refused(
        send(client, flavour, refresh_token, variant="refresh", refresh=True),
        f"Error loading the user {decode_token(refresh_token)['sub']}",
    )


def test_lookup_uses_the_identity_claim(client, flavour, settings, user):
    settings.JWT_IDENTITY_CLAIM = "uid"
    token = create_access_token(user)
    assert raw_claims(token)["uid"] == str(user.pk)
    assert send(client, flavour, token).json()["request_user"] == "alice"


# Identities of new tokens.


@pytest.mark.parametrize("maker", [create_access_token, create_refresh_token])
def test_user_instance_becomes_its_primary_key(user, maker):
    assert raw_claims(maker(user))["sub"] == str(user.pk)


@pytest.mark.parametrize(
    "identity", ["bob", "42", 42, 4.5, True, None, {"id": 1, "role": "admin"}, ["a", "b"]]
)
def test_other_identities_pass_through(identity):
    claims = raw_claims(create_access_token(identity))
    assert claims["sub"] == identity
    assert type(claims["sub"]) is type(identity)


def test_user_identity_loader_wins(manager, user):
    manager.user_identity_loader(lambda identity: f"user:{identity.username}")
    assert raw_claims(create_access_token(user))["sub"] == "user:alice"


def test_user_lookup_loader_wins_over_model_lookup(client, flavour, manager, user, access_token):
    user.delete()
    manager.user_lookup_loader(lambda jwt_header, jwt_data: get_user_model()(username="ghost"))
    response = send(client, flavour, access_token)
    assert response.status_code == 200
    assert response.json()["user"] == "ghost"


# JWT_USER_LOOKUP = None: stateless.

CACHE_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"


def test_no_lookup_makes_no_query(
    client, flavour, location, settings, user, access_token, django_assert_num_queries
):
    settings.JWT_USER_LOOKUP = None
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND  # revocation checks stay off the database
    with django_assert_num_queries(0):
        response = send(client, flavour, access_token, location)
    assert response.status_code == 200
    body = response.json()
    assert body["identity"] == str(user.pk)
    assert body["user"] is None  # get_current_user raised RuntimeError in the view


def test_no_lookup_accepts_identities_without_user(
    client, flavour, settings, django_assert_num_queries
):
    settings.JWT_USER_LOOKUP = None
    settings.JWT_REVOCATION_BACKEND = CACHE_BACKEND
    with django_assert_num_queries(0):
        response = send(client, flavour, create_access_token("not-a-user"))
    assert response.status_code == 200
    assert response.json()["identity"] == "not-a-user"


def test_no_lookup_makes_the_token_user_request_user(settings, user, access_token):
    """Stateless mode: get_current_user() has nothing to give, but the request acts as
    the token's user, never as a session user it may also carry."""
    settings.JWT_USER_LOOKUP = None
    request = RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {access_token}")
    request.user = user_model_instance = object()  # What AuthenticationMiddleware would set.
    verify_jwt_in_request(request)
    with pytest.raises(RuntimeError):
        get_current_user(request)
    assert request.user is not user_model_instance
    assert isinstance(request.user, TokenUser)
    assert request.user.pk == str(user.pk)
    assert request.user.claims == get_jwt(request)


@pytest.mark.parametrize("revoke", ["token", "user"])
def test_deleting_a_user_keeps_their_tokens_revoked(
    client, flavour, settings, user, access_token, revoke
):
    """Stateless checks rely on the store alone: a user's deletion must not un-revoke."""
    settings.JWT_USER_LOOKUP = None
    if revoke == "token":
        revoke_token(access_token)
    else:
        revoke_user_tokens(user)
    assert_refused(send(client, flavour, access_token), "Token has been revoked")
    user.delete()
    assert_refused(send(client, flavour, access_token), "Token has been revoked")


def test_user_lookup_loader_wins_over_no_lookup(client, flavour, settings, manager, access_token):
    settings.JWT_USER_LOOKUP = None
    manager.user_lookup_loader(lambda jwt_header, jwt_data: get_user_model()(username="loaded"))
    response = send(client, flavour, access_token)
    assert response.json()["user"] == response.json()["request_user"] == "loaded"


# The hot path.


def test_default_settings_cost_one_query(
    client, flavour, location, access_token, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = send(client, flavour, access_token, location)
    assert response.status_code == 200


def test_refused_user_costs_one_query(
    client, flavour, user, access_token, django_assert_num_queries
):
    user.is_active = False
    user.save()
    with django_assert_num_queries(1):
        response = send(client, flavour, access_token)
    assert response.status_code == 401


def test_no_lookup_with_the_database_store_costs_only_the_revocation_query(
    client, flavour, settings, access_token, django_assert_num_queries
):
    settings.JWT_USER_LOOKUP = None
    with django_assert_num_queries(1) as context:
        response = send(client, flavour, access_token)
    assert response.status_code == 200
    assert get_user_model()._meta.db_table not in context.captured_queries[0]["sql"]


@pytest.mark.parametrize("identity", ["abc", "9" * 30])
def test_identity_that_is_no_key_queries_no_user(
    client, flavour, identity, django_assert_num_queries
):
    with django_assert_num_queries(1) as context:
        response = send(client, flavour, create_access_token(identity))
    assert_refused(response, f"Error loading the user {identity}")
    # The one query is the revocation check; no user can have that key.
    assert get_user_model()._meta.db_table not in context.captured_queries[0]["sql"]
