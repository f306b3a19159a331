"""Every JWTManager loader changes behaviour, and the active manager is the configured one."""

import json
from datetime import timedelta

import jwt
import pytest
from django.http import JsonResponse
from django.test import RequestFactory
from flask_jwt_extended import JWTManager as FlaskJWTManager

from django_jwt_ext import (
    JWTManager,
    create_access_token,
    create_refresh_token,
    decode_token,
    get_jwt_manager,
    get_unverified_jwt_headers,
    verify_jwt_in_request,
)
from django_jwt_ext.exceptions import JWTDecodeError
from django_jwt_ext.manager import default_manager
from tests.conftest import SECRET
from tests.helpers import ALL_FLAVOURS, call, flavour_path

# The built-in revocation store sits in the pipeline and records refresh tokens.
pytestmark = pytest.mark.django_db

LOADERS = [
    "additional_claims_loader",
    "additional_headers_loader",
    "decode_key_loader",
    "encode_key_loader",
    "expired_token_loader",
    "invalid_token_loader",
    "needs_fresh_token_loader",
    "revoked_token_loader",
    "token_in_blocklist_loader",
    "token_verification_loader",
    "token_verification_failed_loader",
    "unauthorized_loader",
    "user_identity_loader",
    "user_lookup_loader",
    "user_lookup_error_loader",
]

# flask-jwt-extended 3.x name -> 4.x name.
ALIASES = {
    "user_claims_loader": "additional_claims_loader",
    "user_loader_callback_loader": "user_lookup_loader",
    "user_loader_error_loader": "user_lookup_error_loader",
    "token_in_blacklist_loader": "token_in_blocklist_loader",
    "claims_verification_loader": "token_verification_loader",
    "claims_verification_failed_loader": "token_verification_failed_loader",
}

ALICE_KEY = "alice-key-0123456789abcdef0123456789abcdef0123456789abcdef0123456"
BOB_KEY = "bob-key-0123456789abcdef0123456789abcdef0123456789abcdef012345678"

# A second manager, importable by dotted path for JWT_MANAGER.
second_manager = JWTManager()


@second_manager.additional_claims_loader
def second_manager_claims(identity):
    return {"manager": "second"}


class Person:
    """What a custom user lookup may return: anything with a username."""

    def __init__(self, name):
        self.name = name

    def get_username(self):
        return self.name


def teapot(name, *args):
    """A custom loader response that shows which loader ran and with what."""
    return JsonResponse({"loader": name, "args": json.loads(json.dumps(args))}, status=418)


def get(client, token=None, variant="protected", flavour="sync", **kwargs):
    return call(client, flavour_path(flavour, variant), token, **kwargs)


@pytest.fixture
def stateless(settings):
    """No user lookup unless a loader registers one."""
    settings.JWT_USER_LOOKUP = None
    return settings


def expired(identity="alice"):
    return create_access_token(identity, expires_delta=timedelta(seconds=-5))


# Registration.


def test_the_loaders_are_flask_jwt_extended_4x_loaders():
    flask_loaders = sorted(name for name in dir(FlaskJWTManager) if name.endswith("_loader"))
    assert flask_loaders == sorted(LOADERS)


@pytest.mark.parametrize("name", LOADERS)
def test_loader_returns_the_callback_unchanged(manager, name):
    def callback(*args):
        return None

    assert getattr(manager, name)(callback) is callback


@pytest.mark.parametrize("name", LOADERS)
def test_loader_only_changes_its_own_manager(manager, name):
    def callback(*args):
        return None

    before = vars(default_manager.callbacks).copy()
    getattr(manager, name)(callback)
    assert vars(default_manager.callbacks) == before
    assert vars(second_manager.callbacks)["additional_claims"] is second_manager_claims


# Token creation loaders.


def test_additional_claims_loader(manager):
    seen = []

    @manager.additional_claims_loader
    def claims(identity):
        seen.append(identity)
        return {"role": "reader", "team": "blue"}

    access = decode_token(create_access_token("alice", additional_claims={"role": "admin"}))
    refresh = decode_token(create_refresh_token("bob"))
    assert (access["role"], access["team"]) == ("admin", "blue")  # the argument wins
    assert (refresh["role"], refresh["team"]) == ("reader", "blue")
    assert seen == ["alice", "bob"]


def test_additional_claims_loader_may_override_standard_claims(manager):
    manager.additional_claims_loader(lambda identity: {"type": "special", "fresh": True})
    claims = decode_token(create_access_token("alice"))
    assert claims["type"] == "special"
    assert claims["fresh"] is True


def test_additional_headers_loader(manager):
    seen = []

    @manager.additional_headers_loader
    def headers(identity):
        seen.append(identity)
        return {"kid": f"key-of-{identity}", "x-team": "blue"}

    token = create_access_token("alice", additional_headers={"x-team": "red"})
    assert get_unverified_jwt_headers(token) == {
        "alg": "HS256",
        "typ": "JWT",
        "kid": "key-of-alice",
        "x-team": "red",
    }
    assert get_unverified_jwt_headers(create_refresh_token("bob"))["kid"] == "key-of-bob"
    assert seen == ["alice", "bob"]


def test_user_identity_loader(manager):
    seen = []

    @manager.user_identity_loader
    def identity_of(person):
        return person.get_username()

    @manager.additional_claims_loader
    def claims(identity):
        seen.append(identity)
        return {}

    alice = Person("alice")
    assert decode_token(create_access_token(alice))["sub"] == "alice"
    assert decode_token(create_refresh_token(Person("bob")))["sub"] == "bob"
    # The claims loader still receives the object given to create_*_token.
    assert seen[0] is alice


def test_default_identity_loader_turns_a_user_into_its_pk(user):
    assert decode_token(create_access_token(user))["sub"] == str(user.pk)
    assert decode_token(create_access_token("not-a-user"))["sub"] == "not-a-user"


def test_encode_key_loader(manager):
    seen = []

    @manager.encode_key_loader
    def key_for(identity):
        seen.append(identity)
        return ALICE_KEY

    token = create_access_token("alice")
    assert seen == ["alice"]
    assert jwt.decode(token, ALICE_KEY, algorithms=["HS256"])["sub"] == "alice"
    with pytest.raises(JWTDecodeError) as info:
        decode_token(token)  # verified with JWT_SECRET_KEY
    assert str(info.value) == "Signature verification failed"


def test_decode_key_loader(manager):
    keys = {"alice": ALICE_KEY, "bob": BOB_KEY}
    seen = []
    manager.encode_key_loader(lambda identity: keys[identity])

    @manager.decode_key_loader
    def key_of(jwt_header, jwt_data):
        seen.append((jwt_header, jwt_data))
        return keys[jwt_data["sub"]]

    alice, bob = create_access_token("alice"), create_access_token("bob")
    assert decode_token(alice)["sub"] == "alice"
    assert decode_token(bob)["sub"] == "bob"
    header, data = seen[0]
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert data["sub"] == "alice" and data["type"] == "access"
    # A token signed with JWT_SECRET_KEY is now refused.
    forged = jwt.encode({"sub": "alice"}, SECRET, algorithm="HS256")
    with pytest.raises(JWTDecodeError) as info:
        decode_token(forged)
    assert str(info.value) == "Signature verification failed"


def test_decode_key_loader_over_http(manager, stateless, client):
    manager.encode_key_loader(lambda identity: ALICE_KEY)
    manager.decode_key_loader(lambda jwt_header, jwt_data: ALICE_KEY)
    response = get(client, create_access_token("alice"))
    assert response.status_code == 200
    assert response.json()["identity"] == "alice"


# Verification loaders, over HTTP in every view flavour.


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_token_in_blocklist_loader(manager, stateless, client, flavour):
    revoked = create_access_token("alice")
    kept = create_access_token("alice")
    revoked_jti = decode_token(revoked)["jti"]
    seen = []

    @manager.token_in_blocklist_loader
    def is_revoked(jwt_header, jwt_data):
        seen.append(jwt_header["alg"])
        return jwt_data["jti"] == revoked_jti

    refused = get(client, revoked, flavour=flavour)
    assert (refused.status_code, refused.json()) == (401, {"msg": "Token has been revoked"})
    assert get(client, kept, flavour=flavour).status_code == 200
    skipped = get(client, revoked, variant="no-revocation-check", flavour=flavour)
    assert skipped.status_code == 200
    assert seen == ["HS256", "HS256"]
    assert decode_token(revoked)["jti"] == revoked_jti  # decode_token skips revocation


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_revoked_token_loader(manager, stateless, client, flavour):
    manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: True)
    manager.revoked_token_loader(
        lambda jwt_header, jwt_data: teapot("revoked", jwt_header, jwt_data["sub"])
    )
    response = get(client, create_access_token("alice"), flavour=flavour)
    assert response.status_code == 418
    assert response.json() == {
        "loader": "revoked",
        "args": [{"alg": "HS256", "typ": "JWT"}, "alice"],
    }


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_token_verification_loader(manager, stateless, client, flavour):
    seen = []

    @manager.token_verification_loader
    def verify(jwt_header, jwt_data):
        seen.append(jwt_header["typ"])
        return jwt_data.get("role") == "admin"

    refused = get(client, create_access_token("alice"), flavour=flavour)
    admin = get(
        client, create_access_token("bob", additional_claims={"role": "admin"}), flavour=flavour
    )
    assert (refused.status_code, refused.json()) == (
        400,
        {"msg": "User claims verification failed"},
    )
    assert admin.status_code == 200
    assert admin.json()["identity"] == "bob"
    assert seen == ["JWT", "JWT"]


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_token_verification_failed_loader(manager, stateless, client, flavour):
    manager.token_verification_loader(lambda jwt_header, jwt_data: False)
    manager.token_verification_failed_loader(
        lambda jwt_header, jwt_data: teapot("verification-failed", jwt_data["sub"])
    )
    response = get(client, create_access_token("alice"), flavour=flavour)
    assert response.status_code == 418
    assert response.json() == {"loader": "verification-failed", "args": ["alice"]}


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_expired_token_loader(manager, stateless, client, flavour):
    manager.expired_token_loader(
        lambda jwt_header, jwt_data: teapot(
            "expired", jwt_header, jwt_data["sub"], jwt_data["type"]
        )
    )
    response = get(client, expired(), flavour=flavour)
    assert response.status_code == 418
    assert response.json() == {
        "loader": "expired",
        "args": [{"alg": "HS256", "typ": "JWT"}, "alice", "access"],
    }


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
@pytest.mark.parametrize(
    "token, variant, reason",
    [
        ("not-a-token", "protected", "Not enough segments"),
        ("refresh", "protected", "Only non-refresh tokens are allowed"),
        ("access", "refresh", "Only refresh tokens are allowed"),
    ],
)
def test_invalid_token_loader(manager, stateless, client, flavour, token, variant, reason):
    manager.invalid_token_loader(lambda message: teapot("invalid", message))
    if token == "refresh":
        token = create_refresh_token("alice")
    elif token == "access":
        token = create_access_token("alice")
    response = get(client, token, variant=variant, flavour=flavour)
    assert response.status_code == 418
    assert response.json() == {"loader": "invalid", "args": [reason]}


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_needs_fresh_token_loader(manager, stateless, client, flavour):
    manager.needs_fresh_token_loader(
        lambda jwt_header, jwt_data: teapot("needs-fresh", jwt_data["fresh"])
    )
    stale = get(client, create_access_token("alice"), variant="fresh", flavour=flavour)
    fresh = get(client, create_access_token("alice", fresh=True), variant="fresh", flavour=flavour)
    assert stale.status_code == 418
    assert stale.json() == {"loader": "needs-fresh", "args": [False]}
    assert fresh.status_code == 200


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_unauthorized_loader(manager, stateless, client, flavour):
    manager.unauthorized_loader(lambda message: teapot("unauthorized", message))
    response = get(client, flavour=flavour)
    assert response.status_code == 418
    assert response.json() == {"loader": "unauthorized", "args": ["Missing Authorization Header"]}


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_unauthorized_loader_answers_csrf_failures(manager, stateless, client, flavour):
    stateless.JWT_TOKEN_LOCATION = ["cookies"]
    manager.unauthorized_loader(lambda message: teapot("unauthorized", message))
    token = create_access_token("alice")
    response = get(client, token, location="cookies", method="post", flavour=flavour)
    assert response.status_code == 418
    assert response.json() == {"loader": "unauthorized", "args": ["Missing CSRF token"]}


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_user_lookup_loader(manager, client, flavour):
    seen = []

    @manager.user_lookup_loader
    def lookup(jwt_header, jwt_data):
        seen.append((jwt_header["alg"], jwt_data["sub"]))
        return Person(jwt_data["sub"].upper()) if jwt_data["sub"] != "ghost" else None

    found = get(client, create_access_token("alice"), flavour=flavour)
    missing = get(client, create_access_token("ghost"), flavour=flavour)
    assert found.status_code == 200
    assert (found.json()["user"], found.json()["request_user"]) == ("ALICE", "ALICE")
    assert (missing.status_code, missing.json()) == (401, {"msg": "Error loading the user ghost"})
    assert seen == [("HS256", "alice"), ("HS256", "ghost")]


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_user_lookup_error_loader(manager, client, flavour):
    manager.user_lookup_loader(lambda jwt_header, jwt_data: None)
    manager.user_lookup_error_loader(
        lambda jwt_header, jwt_data: teapot("lookup-error", jwt_header, jwt_data["sub"])
    )
    response = get(client, create_access_token("alice"), flavour=flavour)
    assert response.status_code == 418
    assert response.json() == {
        "loader": "lookup-error",
        "args": [{"alg": "HS256", "typ": "JWT"}, "alice"],
    }


# JWT_USER_LOOKUP and a registered lookup.


def test_model_lookup_by_default(client, user, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = get(client, create_access_token(user))
    assert found.status_code == 200
    assert found.json()["user"] == "alice"
    missing = get(client, create_access_token("424242"))
    assert (missing.status_code, missing.json()) == (401, {"msg": "Error loading the user 424242"})


def test_user_lookup_none_disables_the_lookup(settings, manager, client, django_assert_num_queries):
    settings.JWT_USER_LOOKUP = None
    # Keep the built-in revocation store out of the query count.
    manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: False)
    with django_assert_num_queries(0):
        response = get(client, create_access_token("424242"))
    assert response.status_code == 200
    assert response.json()["identity"] == "424242"
    assert response.json()["user"] is None


@pytest.mark.parametrize("user_lookup", ["model", None])
def test_registered_user_lookup_wins_over_the_setting(
    settings, manager, client, django_assert_num_queries, user, user_lookup
):
    settings.JWT_USER_LOOKUP = user_lookup
    manager.user_lookup_loader(lambda jwt_header, jwt_data: Person("from-loader"))
    # Keep the built-in revocation store out of the query count.
    manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: False)
    with django_assert_num_queries(0):
        by_pk = get(client, create_access_token(user))
        unknown = get(client, create_access_token("424242"))
    assert by_pk.status_code == 200 and by_pk.json()["user"] == "from-loader"
    assert unknown.status_code == 200 and unknown.json()["user"] == "from-loader"


# The active manager.


def test_jwt_manager_setting_selects_the_manager(settings, manager):
    assert get_jwt_manager() is manager
    settings.JWT_MANAGER = f"{__name__}.second_manager"
    assert get_jwt_manager() is second_manager
    assert decode_token(create_access_token("alice"))["manager"] == "second"
    settings.JWT_MANAGER = "testproject.auth.jwt"
    from testproject.auth import jwt as demo_manager

    assert get_jwt_manager() is demo_manager
    assert decode_token(create_access_token("alice"))["demo"] is True
    settings.JWT_MANAGER = "tests.managers.active"
    assert get_jwt_manager() is manager
    claims = decode_token(create_access_token("alice"))
    assert "manager" not in claims and "demo" not in claims


def test_without_jwt_manager_the_default_manager_is_active(settings):
    del settings.JWT_MANAGER
    assert get_jwt_manager() is default_manager
    settings.JWT_MANAGER = None
    assert get_jwt_manager() is default_manager


def test_jwt_manager_decides_the_http_responses(settings, stateless, client, monkeypatch):
    from tests import managers

    second = JWTManager()
    second.unauthorized_loader(lambda message: teapot("second", message))
    monkeypatch.setattr(managers, "second", second, raising=False)
    before = get(client)
    settings.JWT_MANAGER = "tests.managers.second"
    after = get(client)
    assert (before.status_code, before.json()) == (401, {"msg": "Missing Authorization Header"})
    assert (after.status_code, after.json()["loader"]) == (418, "second")


# flask-jwt-extended 3.x names.


@pytest.mark.parametrize("old, new", ALIASES.items())
def test_alias_warns_and_returns_the_callback(manager, old, new):
    def callback(*args):
        return None

    with pytest.warns(DeprecationWarning, match=new) as record:
        assert getattr(manager, old)(callback) is callback
    assert record[0].filename == __file__  # the warning points at the caller


def test_user_claims_loader(manager):
    with pytest.warns(DeprecationWarning):

        @manager.user_claims_loader
        def claims(identity):
            return {"role": f"role-of-{identity}"}

    assert decode_token(create_access_token("alice"))["role"] == "role-of-alice"


@pytest.mark.parametrize("identity_claim", ["sub", "identity"])
def test_user_loader_callback_loader(manager, settings, client, identity_claim):
    settings.JWT_IDENTITY_CLAIM = identity_claim
    seen = []
    with pytest.warns(DeprecationWarning):

        @manager.user_loader_callback_loader
        def load(identity):
            seen.append(identity)
            return None if identity == "ghost" else Person(identity)

    found = get(client, create_access_token("alice"))
    missing = get(client, create_access_token("ghost"))
    assert found.status_code == 200 and found.json()["user"] == "alice"
    assert (missing.status_code, missing.json()) == (401, {"msg": "Error loading the user ghost"})
    assert seen == ["alice", "ghost"]


def test_user_loader_error_loader(manager, client):
    manager.user_lookup_loader(lambda jwt_header, jwt_data: None)
    with pytest.warns(DeprecationWarning):

        @manager.user_loader_error_loader
        def error(identity):
            return teapot("old-error", identity)

    response = get(client, create_access_token("alice"))
    assert response.status_code == 418
    assert response.json() == {"loader": "old-error", "args": ["alice"]}


def test_token_in_blacklist_loader(manager, stateless, client):
    seen = []
    with pytest.warns(DeprecationWarning):

        @manager.token_in_blacklist_loader
        def is_revoked(decoded_token):
            seen.append(decoded_token["sub"])
            return decoded_token["sub"] == "mallory"

    refused = get(client, create_access_token("mallory"))
    accepted = get(client, create_access_token("alice"))
    assert (refused.status_code, refused.json()) == (401, {"msg": "Token has been revoked"})
    assert accepted.status_code == 200
    assert seen == ["mallory", "alice"]


def test_claims_verification_loader_gets_the_user_claims(manager, stateless, client, settings):
    """As in 3.x: the claims under JWT_USER_CLAIMS, not the whole token."""
    settings.JWT_USER_CLAIMS = "user_claims"
    seen = []
    with pytest.warns(DeprecationWarning):

        @manager.claims_verification_loader
        def verify(user_claims):
            seen.append(user_claims)
            return user_claims.get("role") == "admin"

    refused = get(client, create_access_token("alice"))
    accepted = get(client, create_access_token("alice", additional_claims={"role": "admin"}))
    assert (refused.status_code, refused.json()) == (
        400,
        {"msg": "User claims verification failed"},
    )
    assert accepted.status_code == 200
    assert seen == [{}, {"role": "admin"}]


def test_claims_verification_loader_is_not_run_for_refresh_tokens(manager, stateless):
    with pytest.warns(DeprecationWarning):

        @manager.claims_verification_loader
        def verify(user_claims):
            raise AssertionError("3.x never verifies the claims of refresh tokens")

    request = RequestFactory().post(
        "/", HTTP_AUTHORIZATION=f"Bearer {create_refresh_token('alice')}"
    )
    assert verify_jwt_in_request(request, refresh=True)[1]["type"] == "refresh"


def test_claims_verification_failed_loader(manager, stateless, client):
    manager.token_verification_loader(lambda jwt_header, jwt_data: False)
    with pytest.warns(DeprecationWarning):

        @manager.claims_verification_failed_loader
        def failed():
            return teapot("old-verification-failed")

    response = get(client, create_access_token("alice"))
    assert response.status_code == 418
    assert response.json() == {"loader": "old-verification-failed", "args": []}
