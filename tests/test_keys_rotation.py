"""Key rotation without downtime: fallback keys, the kid header and how it chooses a key."""

import json
from datetime import timedelta

import jwt as pyjwt
import pytest
from django.test import Client

from django_jwt_ext import (
    create_access_token,
    create_refresh_token,
    decode_token,
    get_unverified_jwt_headers,
)
from django_jwt_ext.config import config
from django_jwt_ext.exceptions import UnknownKeyIdError
from django_jwt_ext.keys import thumbprint
from tests.helpers import (
    ALL_FLAVOURS,
    assert_refused,
    b64url,
    call,
    rfc7638_thumbprint,
)
from tests.keys_support import (
    BAD_SIGNATURE,
    SECRET_A,
    SECRET_B,
    SECRET_C,
    UNKNOWN_KID,
    get,
    new_pair,
    opens,
    use_pair,
)

# The built-in revocation store sits in the pipeline.
pytestmark = pytest.mark.django_db

ASYMMETRIC = {"RS256": "RS256", "ES256": "ES256", "Ed25519": "EdDSA", "Ed448": "EdDSA"}


@pytest.fixture(scope="module")
def pairs():
    """Two key pairs (A and B) per key type, made once: RSA keys are slow to make."""
    return {name: (new_pair(name), new_pair(name)) for name in ASYMMETRIC}


@pytest.fixture(autouse=True)
def stateless(settings):
    """No user lookup: the tokens' identities need no database user."""
    settings.JWT_USER_LOOKUP = None


def kid(token):
    return get_unverified_jwt_headers(token).get("kid")


# The whole rotation: issue with A; B current, A fallback; A dropped.


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
@pytest.mark.parametrize("key_type", list(ASYMMETRIC))
def test_full_rotation_of_public_keys(client, settings, pairs, key_type, flavour):
    algorithm = ASYMMETRIC[key_type]
    pair_a, pair_b = pairs[key_type]
    use_pair(settings, algorithm, pair_a)
    token_a = create_access_token("alice")
    assert kid(token_a) == rfc7638_thumbprint(pair_a[1])
    assert opens(client, token_a, flavour)["identity"] == "alice"

    # B signs, A still verifies.
    use_pair(settings, algorithm, pair_b, fallbacks=[pair_a[1]])
    assert opens(client, token_a, flavour)["header"]["kid"] == rfc7638_thumbprint(pair_a[1])
    token_b = create_access_token("bob")
    assert kid(token_b) == rfc7638_thumbprint(pair_b[1])
    assert pyjwt.decode(token_b, pair_b[1], algorithms=[algorithm])["sub"] == "bob"
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(token_b, pair_a[1], algorithms=[algorithm])
    assert opens(client, token_b, flavour)["identity"] == "bob"

    # A leaves the list: its tokens are refused, B's still open.
    use_pair(settings, algorithm, pair_b)
    assert_refused(get(client, token_a, flavour), 422, UNKNOWN_KID)
    assert opens(client, token_b, flavour)["identity"] == "bob"


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_full_rotation_of_hmac_secrets_without_kids(client, settings, flavour):
    settings.JWT_SECRET_KEY = SECRET_A
    token_a = create_access_token("alice")
    assert kid(token_a) is None  # HMAC secrets are not named unless JWT_KEY_ID says so.

    settings.JWT_SECRET_KEY = SECRET_B
    settings.JWT_SECRET_KEY_FALLBACKS = [SECRET_A]
    assert opens(client, token_a, flavour)["identity"] == "alice"
    token_b = create_access_token("bob")
    assert pyjwt.decode(token_b, SECRET_B, algorithms=["HS256"])["sub"] == "bob"

    settings.JWT_SECRET_KEY_FALLBACKS = []
    assert_refused(get(client, token_a, flavour), 422, BAD_SIGNATURE)
    assert opens(client, token_b, flavour)["identity"] == "bob"


def test_full_rotation_of_named_hmac_secrets(client, settings):
    settings.JWT_SECRET_KEY, settings.JWT_KEY_ID = SECRET_A, "2024-a"
    token_a = create_access_token("alice")
    assert kid(token_a) == "2024-a"

    settings.JWT_SECRET_KEY, settings.JWT_KEY_ID = SECRET_B, "2025-b"
    settings.JWT_SECRET_KEY_FALLBACKS = [{"kid": "2024-a", "key": SECRET_A}]
    assert opens(client, token_a)["header"]["kid"] == "2024-a"
    token_b = create_access_token("bob")
    assert kid(token_b) == "2025-b"
    assert opens(client, token_b)["identity"] == "bob"

    settings.JWT_SECRET_KEY_FALLBACKS = []
    assert_refused(get(client, token_a), 422, UNKNOWN_KID)


def test_tokens_of_several_retired_keys_verify_until_each_leaves(client, settings, pairs):
    (pair_a, pair_b), (pair_c, _) = pairs["ES256"], pairs["RS256"]
    use_pair(settings, "ES256", pair_a)
    token_a = create_access_token("alice")
    use_pair(settings, "ES256", pair_b)
    token_b = create_access_token("bob")
    # An algorithm change as well: RS256 signs now, the ES256 keys verify.
    settings.JWT_DECODE_ALGORITHMS = ["ES256"]
    use_pair(settings, "RS256", pair_c, fallbacks=[pair_b[1], pair_a[1]])
    token_c = create_access_token("carol")
    assert [opens(client, token)["identity"] for token in (token_a, token_b, token_c)] == [
        "alice",
        "bob",
        "carol",
    ]
    settings.JWT_PUBLIC_KEY_FALLBACKS = [pair_b[1]]
    assert_refused(get(client, token_a), 422, UNKNOWN_KID)
    assert opens(client, token_b)["identity"] == "bob"


# Refreshing: a token of a retired key gets tokens of the current key.


def test_refreshing_with_a_token_of_a_fallback_key_issues_tokens_of_the_current_key(
    settings, pairs, user
):
    settings.JWT_USER_LOOKUP = "model"
    settings.JWT_REFRESH_TOKEN_ROTATION = True
    pair_a, pair_b = pairs["RS256"]
    use_pair(settings, "RS256", pair_a)
    client = Client()
    login = client.post(
        "/auth/obtain/",
        json.dumps({"username": "alice", "password": "alice-password"}),
        content_type="application/json",
    )
    refresh_a = login.json()["refresh_token"]
    assert kid(refresh_a) == rfc7638_thumbprint(pair_a[1])

    use_pair(settings, "RS256", pair_b, fallbacks=[pair_a[1]])
    response = call(client, "/auth/refresh/", refresh_a, method="post", refresh=True)
    assert response.status_code == 200, response.content
    tokens = response.json()
    for name in ("access_token", "refresh_token"):
        assert kid(tokens[name]) == rfc7638_thumbprint(pair_b[1])
        assert pyjwt.decode(tokens[name], pair_b[1], algorithms=["RS256"])["sub"] == str(user.pk)

    # Once A is dropped, the new tokens go on working.
    use_pair(settings, "RS256", pair_b)
    assert call(client, "/api/protected", tokens["access_token"]).status_code == 200
    again = call(client, "/auth/refresh/", tokens["refresh_token"], method="post", refresh=True)
    assert again.status_code == 200


# How a token's kid chooses its key.


def test_unknown_kid_is_refused_without_trying_the_other_keys(client, settings, pairs):
    pair_a, pair_b = pairs["RS256"]
    use_pair(settings, "RS256", pair_b, fallbacks=[pair_a[1]])
    # Signed with the current key, which would verify it, but naming no key.
    token = create_access_token("alice", additional_headers={"kid": "no-such-key"})
    assert_refused(get(client, token), 422, UNKNOWN_KID)
    with pytest.raises(UnknownKeyIdError) as info:
        decode_token(token)
    assert isinstance(info.value, pyjwt.InvalidTokenError)  # PyJWT's class, as other refusals


def test_a_kid_chooses_its_key_and_only_that_one(client, settings, pairs):
    pair_a, pair_b = pairs["ES256"]
    use_pair(settings, "ES256", pair_b, fallbacks=[pair_a[1]])
    # Signed with the current key B but carrying A's kid: only A is tried.
    token = create_access_token("alice", additional_headers={"kid": rfc7638_thumbprint(pair_a[1])})
    assert_refused(get(client, token), 422, BAD_SIGNATURE)


def test_token_without_kid_tries_the_current_key_then_the_fallbacks(client, settings, pairs):
    (pair_a, pair_b), (pair_c, _) = pairs["RS256"], pairs["ES256"]
    settings.JWT_DECODE_ALGORITHMS = ["ES256"]
    use_pair(settings, "RS256", pair_b, fallbacks=[pair_c[1], pair_a[1]])
    for private, algorithm in ((pair_a[0], "RS256"), (pair_b[0], "RS256"), (pair_c[0], "ES256")):
        # A token made elsewhere, without kid (as flask-jwt-extended makes them).
        token = pyjwt.encode({"sub": "alice"}, private, algorithm=algorithm)
        assert "kid" not in get_unverified_jwt_headers(token)
        assert opens(client, token)["identity"] == "alice"
    stranger = pyjwt.encode({"sub": "alice"}, new_pair("ES256")[0], algorithm="ES256")
    assert_refused(get(client, stranger), 422, BAD_SIGNATURE)


def test_hmac_secrets_without_kid_try_in_order(client, settings):
    settings.JWT_SECRET_KEY = SECRET_C
    settings.JWT_SECRET_KEY_FALLBACKS = [SECRET_B, SECRET_A]
    for secret in (SECRET_A, SECRET_B, SECRET_C):
        assert opens(client, pyjwt.encode({"sub": "x"}, secret, algorithm="HS256"))
    token = pyjwt.encode({"sub": "x"}, SECRET_A[::-1], algorithm="HS256")
    assert_refused(get(client, token), 422, BAD_SIGNATURE)


def test_a_kid_chooses_nothing_while_no_key_has_one(client, settings):
    """flask-jwt-extended's behaviour: a kid written by a loader names no key here."""
    settings.JWT_SECRET_KEY_FALLBACKS = [SECRET_A]
    token = pyjwt.encode({"sub": "x"}, SECRET_A, algorithm="HS256", headers={"kid": "k1"})
    assert opens(client, token)["header"]["kid"] == "k1"


def test_a_named_fallback_makes_kids_count(client, settings):
    settings.JWT_SECRET_KEY_FALLBACKS = [{"kid": "old", "key": SECRET_A}]
    named = pyjwt.encode({"sub": "x"}, SECRET_A, algorithm="HS256", headers={"kid": "old"})
    assert opens(client, named)["identity"] == "x"
    unnamed = pyjwt.encode({"sub": "x"}, SECRET_A, algorithm="HS256")
    assert opens(client, unnamed)["identity"] == "x"
    other = create_access_token("x", additional_headers={"kid": "k1"})
    assert_refused(get(client, other), 422, UNKNOWN_KID)


def test_an_expired_token_of_a_fallback_key_is_expired_not_invalid(client, settings):
    settings.JWT_SECRET_KEY_FALLBACKS = [SECRET_A]
    token = pyjwt.encode({"sub": "x", "exp": 1}, SECRET_A, algorithm="HS256")
    assert_refused(get(client, token), 401, "Token has expired")


def test_a_key_of_another_kind_gives_the_mismatch_message(client, settings, pairs):
    """An HMAC token against public keys only: no key can verify it, nothing crashes."""
    pair_a, pair_b = pairs["RS256"]
    settings.JWT_DECODE_ALGORITHMS = ["HS256"]
    use_pair(settings, "RS256", pair_b, fallbacks=[pair_a[1]])
    token = pyjwt.encode({"sub": "x"}, SECRET_A, algorithm="HS256")
    assert_refused(
        get(client, token), 422, "The token's algorithm cannot be used with the configured key"
    )


def test_a_private_key_among_the_fallbacks_verifies_with_its_public_half(client, settings, pairs):
    pair_a, pair_b = pairs["Ed25519"]
    use_pair(settings, "EdDSA", pair_a)
    token_a = create_access_token("alice")
    use_pair(settings, "EdDSA", pair_b, fallbacks=[pair_a[0]])  # The private PEM, by mistake.
    assert opens(client, token_a)["identity"] == "alice"


def test_only_the_list_of_the_algorithms_kind_is_read(client, settings, pairs):
    settings.JWT_PUBLIC_KEY_FALLBACKS = [pairs["RS256"][0][1]]
    token = create_access_token("alice")
    assert kid(token) is None
    assert opens(client, token)["identity"] == "alice"


# The header of new tokens: alg, typ, kid, then the loader's, then additional_headers.


def test_kid_comes_before_the_loader_headers_and_additional_headers(settings, manager):
    settings.JWT_KEY_ID = "configured"
    assert get_unverified_jwt_headers(create_access_token("alice")) == {
        "alg": "HS256",
        "typ": "JWT",
        "kid": "configured",
    }
    manager.additional_headers_loader(lambda identity: {"kid": f"loader-{identity}"})
    assert kid(create_access_token("alice")) == "loader-alice"
    assert kid(create_refresh_token("bob", additional_headers={"kid": "given"})) == "given"
    headers = get_unverified_jwt_headers(create_access_token("a", additional_headers={"kid": None}))
    assert headers == {"alg": "HS256", "typ": "JWT"}


def test_jwt_key_id_names_public_keys_too(settings, pairs):
    use_pair(settings, "ES256", pairs["ES256"][0])
    settings.JWT_KEY_ID = "2025-06"
    token = create_access_token("alice")
    assert kid(token) == "2025-06"
    assert decode_token(token)["sub"] == "alice"


# Registered key loaders keep priority.


def test_encode_key_loader_tokens_carry_no_thumbprint(client, settings, manager, pairs):
    pair_a, pair_b = pairs["ES256"]
    use_pair(settings, "ES256", pair_a, fallbacks=[pair_b[1]])
    manager.encode_key_loader(lambda identity: pair_b[0])
    token = create_access_token("alice")
    assert kid(token) is None  # This app does not know the loader's key.
    assert opens(client, token)["identity"] == "alice"  # No kid: the fallback B verifies.
    settings.JWT_KEY_ID = "from-settings"
    assert kid(create_access_token("alice")) == "from-settings"


def test_decode_key_loader_wins_over_kids(client, settings, manager, pairs):
    pair_a, _ = pairs["ES256"]
    use_pair(settings, "ES256", pair_a)
    seen = []

    @manager.decode_key_loader
    def decode_key(jwt_header, jwt_data):
        seen.append(jwt_header.get("kid"))
        return pair_a[1]

    token = create_access_token("alice", additional_headers={"kid": "unknown-here"})
    assert opens(client, token)["identity"] == "alice"
    assert seen == ["unknown-here"]


# RFC 7638.


def test_thumbprint_of_the_rfc_7638_example_key():
    jwk = {
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6t"
        "Soc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQ"
        "R0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTW"
        "hAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29",
    }
    assert thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


# The settings themselves.


def test_fallback_lists_are_read_as_given_and_never_changed(settings):
    given = [SECRET_A, {"kid": "b", "key": SECRET_B.encode()}]
    settings.JWT_SECRET_KEY_FALLBACKS = given
    assert [tuple(entry) for entry in config.secret_key_fallbacks] == [
        (None, SECRET_A),
        ("b", SECRET_B.encode()),
    ]
    assert given == [SECRET_A, {"kid": "b", "key": SECRET_B.encode()}]
    settings.JWT_SECRET_KEY_FALLBACKS = (SECRET_A,)  # a tuple does as well
    assert config.secret_key_fallbacks[0].key == SECRET_A


def test_jwks_durations_accept_timedeltas(settings):
    settings.JWT_JWKS_CACHE_SECONDS = timedelta(minutes=10)
    settings.JWT_JWKS_TIMEOUT = 2.5
    assert (config.jwks_cache_seconds, config.jwks_timeout) == (600.0, 2.5)


# Django's own SECRET_KEY rotation, while SECRET_KEY is the JWT secret.


def test_rotating_djangos_secret_key_keeps_tokens_valid(client, settings):
    settings.JWT_SECRET_KEY = None  # SECRET_KEY signs the tokens.
    settings.SECRET_KEY = SECRET_A
    token_a = create_access_token("alice")

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = SECRET_B, [SECRET_A]
    assert opens(client, token_a)["identity"] == "alice"
    assert pyjwt.decode(create_access_token("bob"), SECRET_B, algorithms=["HS256"])

    settings.SECRET_KEY_FALLBACKS = []
    assert_refused(get(client, token_a), 422, BAD_SIGNATURE)


def test_djangos_fallbacks_are_not_used_for_a_jwt_secret_of_its_own(client, settings):
    settings.SECRET_KEY_FALLBACKS = [SECRET_A]
    token = pyjwt.encode({"sub": "x"}, SECRET_A, algorithm="HS256")
    assert_refused(get(client, token), 422, BAD_SIGNATURE)  # JWT_SECRET_KEY is set
    settings.JWT_SECRET_KEY = None
    assert opens(client, token)["identity"] == "x"
    settings.JWT_SECRET_KEY_FALLBACKS = []  # Set, even empty: Django's list is not read.
    assert_refused(get(client, token), 422, BAD_SIGNATURE)


@pytest.mark.parametrize(
    "header",
    [
        b"[1, 2]",
        b"null",
        b"{",
        b"[" * 2900 + b"]" * 2900,
        b'{"alg": "HS256", "kid": 12}',
        b'{"alg": "HS256", "kid": ["2025"]}',
        b'{"alg": "HS256", "crit": ["exp"]}',
        b'{"alg": "HS256", "kid": "2025", "crit": ["exp"]}',
    ],
    ids=["array", "null", "truncated", "deep", "int-kid", "list-kid", "crit", "kid-and-crit"],
)
def test_odd_headers_get_pyjwts_message_while_kids_choose_keys(client, settings, header):
    settings.JWT_KEY_ID = "2025"
    payload = b64url(json.dumps({"sub": "x"}).encode())
    token = f"{b64url(header)}.{payload}.{b64url(b'sig')}"
    with pytest.raises(pyjwt.PyJWTError) as info:
        pyjwt.decode(token, SECRET_A, algorithms=["HS256"])
    assert_refused(get(client, token), 422, str(info.value))
