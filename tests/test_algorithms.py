"""Round trips through create_access_token/decode_token for every algorithm family."""

import hashlib
import hmac

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from django_jwt_ext import (
    create_access_token,
    create_refresh_token,
    decode_token,
    get_unverified_jwt_headers,
)
from django_jwt_ext.exceptions import JWTDecodeError
from tests.helpers import pem_pair, rfc7638_thumbprint

SECRETS = {
    "HS256": "hs256-secret-0123456789abcdef0123456789abcdef0123456789abcdef0123",
    "HS384": "hs384-secret-0123456789abcdef0123456789abcdef0123456789abcdef0123",
    "HS512": "hs512-secret-0123456789abcdef0123456789abcdef0123456789abcdef0123",
}
OTHER_SECRET = "another-secret-0123456789abcdef0123456789abcdef0123456789abcdef0"

ASYMMETRIC = ("RS256", "PS256", "ES256", "EdDSA")
ALGORITHMS = tuple(SECRETS) + ASYMMETRIC


def new_private_key(algorithm):
    if algorithm in ("RS256", "PS256"):
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(algorithm)


@pytest.fixture(scope="module")
def key_pairs():
    """Two independent PEM key pairs per asymmetric algorithm: the right one and a stranger."""
    return {
        algorithm: (pem_pair(new_private_key(algorithm)), pem_pair(new_private_key(algorithm)))
        for algorithm in ASYMMETRIC
    }


def configure(settings, key_pairs, algorithm):
    """Point the settings at ``algorithm``; return (signing key, verifying key, stranger key)."""
    settings.JWT_ALGORITHM = algorithm
    if algorithm in SECRETS:
        settings.JWT_SECRET_KEY = SECRETS[algorithm]
        return SECRETS[algorithm], SECRETS[algorithm], OTHER_SECRET
    (private_pem, public_pem), (stranger_private_pem, _) = key_pairs[algorithm]
    settings.JWT_PRIVATE_KEY = private_pem
    settings.JWT_PUBLIC_KEY = public_pem
    return private_pem, public_pem, stranger_private_pem


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_access_token_round_trip(settings, key_pairs, algorithm):
    _, verifying_key, _ = configure(settings, key_pairs, algorithm)
    token = create_access_token("alice", additional_claims={"role": "admin"})
    # Public keys are named by their RFC 7638 thumbprint; HMAC secrets are not named.
    expected = {"alg": algorithm, "typ": "JWT"}
    if algorithm in ASYMMETRIC:
        expected["kid"] = rfc7638_thumbprint(verifying_key)
    assert get_unverified_jwt_headers(token) == expected
    claims = decode_token(token)
    assert claims["sub"] == "alice"
    assert claims["type"] == "access"
    assert claims["role"] == "admin"


@pytest.mark.django_db  # the built-in store records refresh tokens
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_refresh_token_round_trip(settings, key_pairs, algorithm):
    configure(settings, key_pairs, algorithm)
    claims = decode_token(create_refresh_token("alice"))
    assert claims["sub"] == "alice"
    assert claims["type"] == "refresh"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_token_verifies_with_pyjwt_and_the_verifying_key(settings, key_pairs, algorithm):
    _, verifying_key, _ = configure(settings, key_pairs, algorithm)
    token = create_access_token("alice")
    assert jwt.decode(token, verifying_key, algorithms=[algorithm])["sub"] == "alice"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_token_signed_with_another_key_is_refused(settings, key_pairs, algorithm):
    _, _, stranger_key = configure(settings, key_pairs, algorithm)
    forged = jwt.encode({"sub": "alice", "type": "access"}, stranger_key, algorithm=algorithm)
    with pytest.raises(JWTDecodeError) as info:
        decode_token(forged)
    assert str(info.value) == "Signature verification failed"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_token_of_another_algorithm_is_refused(settings, key_pairs, algorithm):
    configure(settings, key_pairs, algorithm)
    other = "HS512" if algorithm != "HS512" else "HS256"
    token = jwt.encode({"sub": "alice"}, SECRETS[other], algorithm=other)
    with pytest.raises(JWTDecodeError) as info:
        decode_token(token)
    assert str(info.value) == "The specified alg value is not allowed"


@pytest.mark.parametrize("algorithm", ASYMMETRIC)
def test_public_key_as_hmac_secret_is_refused(settings, key_pairs, algorithm):
    """Key confusion: an attacker signs HS256 with the (public) verification key."""
    _, public_pem, _ = configure(settings, key_pairs, algorithm)
    settings.JWT_DECODE_ALGORITHMS = [algorithm, "HS256"]
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    payload = jwt.utils.base64url_encode(b'{"sub":"mallory","type":"access"}')
    signing_input = header + b"." + payload
    signature = hmac.new(public_pem.encode(), signing_input, hashlib.sha256).digest()
    token = (signing_input + b"." + jwt.utils.base64url_encode(signature)).decode()
    with pytest.raises(JWTDecodeError):
        decode_token(token)


def test_decode_algorithms_accepts_an_extra_algorithm_without_mutating_the_setting(settings):
    settings.JWT_ALGORITHM = "HS512"
    settings.JWT_SECRET_KEY = SECRETS["HS512"]
    accepted = ["HS256"]
    settings.JWT_DECODE_ALGORITHMS = accepted

    ours = create_access_token("alice")
    extra = jwt.encode({"sub": "bob"}, SECRETS["HS512"], algorithm="HS256")
    refused = jwt.encode({"sub": "carol"}, SECRETS["HS512"], algorithm="HS384")

    assert get_unverified_jwt_headers(ours)["alg"] == "HS512"
    assert decode_token(ours)["sub"] == "alice"  # JWT_ALGORITHM is always accepted
    assert decode_token(extra)["sub"] == "bob"
    with pytest.raises(JWTDecodeError) as info:
        decode_token(refused)
    assert str(info.value) == "The specified alg value is not allowed"
    # Decoding twice must not grow the user's list either.
    decode_token(ours)
    assert accepted == ["HS256"]
    assert settings.JWT_DECODE_ALGORITHMS is accepted
    assert settings.JWT_DECODE_ALGORITHMS == ["HS256"]


def test_decode_algorithms_tuple_setting_is_left_alone(settings):
    settings.JWT_ALGORITHM = "HS256"
    accepted = ("HS384",)
    settings.JWT_DECODE_ALGORITHMS = accepted
    token = jwt.encode({"sub": "bob"}, settings.JWT_SECRET_KEY, algorithm="HS384")
    assert decode_token(token)["sub"] == "bob"
    assert decode_token(create_access_token("alice"))["sub"] == "alice"
    assert settings.JWT_DECODE_ALGORITHMS is accepted
    assert accepted == ("HS384",)


def test_decode_algorithms_may_list_several_asymmetric_algorithms(settings, key_pairs):
    configure(settings, key_pairs, "RS256")
    settings.JWT_DECODE_ALGORITHMS = ["RS256", "PS256"]
    (private_pem, _), _ = key_pairs["RS256"]
    token = jwt.encode({"sub": "alice"}, private_pem, algorithm="PS256")
    assert decode_token(token)["sub"] == "alice"
    assert decode_token(create_access_token("bob"))["sub"] == "bob"
    assert settings.JWT_DECODE_ALGORITHMS == ["RS256", "PS256"]


@pytest.mark.parametrize("algorithm", ASYMMETRIC)
def test_pem_bytes_work_as_well_as_strings(settings, key_pairs, algorithm):
    (private_pem, public_pem), _ = key_pairs[algorithm]
    settings.JWT_ALGORITHM = algorithm
    settings.JWT_PRIVATE_KEY = private_pem.encode()
    settings.JWT_PUBLIC_KEY = public_pem.encode()
    assert decode_token(create_access_token("alice"))["sub"] == "alice"
