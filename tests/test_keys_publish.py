"""Publishing the public keys: the jwks.json endpoint and ``manage.py jwt_ext_keys``."""

import io
import json

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from django_jwt_ext import create_access_token
from tests.helpers import assert_refused, rfc7638_thumbprint
from tests.keys_support import SECRET_A, new_pair, use_pair

JWKS_PATH = "/auth/jwks.json"
NO_PUBLIC_KEYS = "No public keys are published here"
# JWK members that belong to private keys (RFC 7518 6.2.2, 6.3.2; RFC 8037 2).
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}

KEY_TYPES = {
    "RS256": ("RS256", "RSA", None),
    "ES256": ("ES256", "EC", "P-256"),
    "ES384": ("ES384", "EC", "P-384"),
    "ES512": ("ES512", "EC", "P-521"),
    "ES256K": ("ES256K", "EC", "secp256k1"),
    "Ed25519": ("EdDSA", "OKP", "Ed25519"),
    "Ed448": ("EdDSA", "OKP", "Ed448"),
}


@pytest.fixture(scope="module")
def pairs():
    return {name: (new_pair(name), new_pair(name)) for name in KEY_TYPES}


def published(client):
    response = client.get(JWKS_PATH)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_url_is_named_in_the_namespace():
    assert reverse("django_jwt_ext:jwks") == JWKS_PATH


@pytest.mark.parametrize("key_type", list(KEY_TYPES))
def test_current_and_fallback_keys_are_published(client, settings, pairs, key_type):
    algorithm, kty, curve = KEY_TYPES[key_type]
    current, retired = pairs[key_type]
    use_pair(settings, algorithm, current, fallbacks=[retired[1]])
    key_set = published(client)
    assert [key["kid"] for key in key_set["keys"]] == [
        rfc7638_thumbprint(current[1]),
        rfc7638_thumbprint(retired[1]),
    ]
    for key in key_set["keys"]:
        assert (key["kty"], key.get("crv"), key["alg"], key["use"]) == (
            kty,
            curve,
            algorithm,
            "sig",
        )
        assert not PRIVATE_MEMBERS & set(key)
        assert "key_ops" not in key  # "use" says it; RFC 7517 4.3 advises one of the two.


@pytest.mark.parametrize("key_type", list(KEY_TYPES))
def test_tokens_verify_with_the_published_keys(client, settings, pairs, key_type):
    """What PyJWT (any JWKS consumer) reads from the endpoint verifies our tokens."""
    algorithm = KEY_TYPES[key_type][0]
    current, retired = pairs[key_type]
    use_pair(settings, algorithm, retired)
    old_token = create_access_token("alice")
    use_pair(settings, algorithm, current, fallbacks=[retired[1]])
    new_token = create_access_token("bob")
    key_set = pyjwt.PyJWKSet.from_dict(published(client))
    for token, identity in ((old_token, "alice"), (new_token, "bob")):
        jwk = key_set[pyjwt.get_unverified_header(token)["kid"]]
        claims = pyjwt.decode(token, jwk.key, algorithms=[algorithm])
        assert claims["sub"] == identity


def test_the_response_is_cacheable_json(client, settings, pairs):
    use_pair(settings, "ES256", pairs["ES256"][0])
    settings.JWT_JWKS_CACHE_SECONDS = 600
    response = client.get(JWKS_PATH)
    assert response["Content-Type"] == "application/json"
    assert sorted(response["Cache-Control"].split(", ")) == ["max-age=600", "public"]
    assert client.head(JWKS_PATH).status_code == 200
    assert client.post(JWKS_PATH).status_code == 405


def test_explicit_kids_are_published(client, settings, pairs):
    (current, retired), other = pairs["ES256"], pairs["ES384"][0]
    settings.JWT_DECODE_ALGORITHMS = ["ES384"]
    use_pair(settings, "ES256", current, fallbacks=[{"kid": "2024", "key": retired[1]}, other[1]])
    settings.JWT_KEY_ID = "2025"
    keys = published(client)["keys"]
    assert [(key["kid"], key["alg"]) for key in keys] == [
        ("2025", "ES256"),
        ("2024", "ES256"),
        (rfc7638_thumbprint(other[1]), "ES384"),  # The algorithm its key fits.
    ]


def test_a_key_listed_twice_is_published_once(client, settings, pairs):
    current, _ = pairs["Ed25519"]
    use_pair(settings, "EdDSA", current, fallbacks=[current[1]])
    assert len(published(client)["keys"]) == 1


def test_private_keys_never_leak(client, settings, pairs):
    current, retired = pairs["RS256"]
    # Private PEMs where public ones belong: their public halves are published.
    use_pair(settings, "RS256", (current[0], current[0]), fallbacks=[retired[0]])
    keys = published(client)["keys"]
    assert [key["kid"] for key in keys] == [
        rfc7638_thumbprint(current[1]),
        rfc7638_thumbprint(retired[1]),
    ]
    assert all(not PRIVATE_MEMBERS & set(key) for key in keys)


@pytest.mark.parametrize("fallbacks", [[], [SECRET_A], [{"kid": "old", "key": SECRET_A}]])
def test_hmac_secrets_are_never_published(client, settings, fallbacks):
    settings.JWT_KEY_ID = "current"
    settings.JWT_SECRET_KEY_FALLBACKS = fallbacks
    response = client.get(JWKS_PATH)
    assert_refused(response, 404, NO_PUBLIC_KEYS)
    assert SECRET_A.encode() not in response.content


def test_a_jwks_only_app_publishes_nothing(client, settings):
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_JWKS_URL = "https://idp.example/.well-known/jwks.json"
    assert_refused(client.get(JWKS_PATH), 404, NO_PUBLIC_KEYS)


# manage.py jwt_ext_keys


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("jwt_ext_keys", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_jwks_command_prints_what_the_endpoint_serves(client, settings, pairs):
    current, retired = pairs["RS256"]
    use_pair(settings, "RS256", current, fallbacks=[retired[1]])
    out, _ = run("jwks")
    assert json.loads(out) == published(client)


def test_jwks_command_refuses_hmac_secrets(settings):
    with pytest.raises(CommandError, match="No public keys to publish: HS256"):
        run("jwks")


@pytest.mark.parametrize(
    ("algorithm", "kty"),
    [("RS256", "RSA"), ("PS384", "RSA"), ("ES256", "EC"), ("ES512", "EC"), ("EdDSA", "OKP")],
)
def test_generate_prints_a_working_key_pair(settings, algorithm, kty):
    out, err = run("generate", "--algorithm", algorithm)
    assert out.count("-----BEGIN PRIVATE KEY-----") == out.count("-----BEGIN PUBLIC KEY-----") == 1
    private = out[: out.index("-----BEGIN PUBLIC KEY-----")]
    public = out[len(private) :]
    token = pyjwt.encode({"sub": "alice"}, private, algorithm=algorithm)
    assert pyjwt.decode(token, public, algorithms=[algorithm])["sub"] == "alice"
    assert rfc7638_thumbprint(public) in err
    # What it printed works as settings, and the thumbprint is the kid of new tokens.
    use_pair(settings, algorithm, (private, public))
    assert pyjwt.get_unverified_header(create_access_token("a"))["kid"] == rfc7638_thumbprint(
        public
    )


@pytest.mark.parametrize("algorithm", ["HS256", "HS512"])
def test_generate_prints_a_64_byte_secret(algorithm):
    out, _ = run("generate", "--algorithm", algorithm)
    secret = out.strip()
    assert "\n" not in secret
    assert len(secret) >= 86  # 64 random bytes in URL-safe base64
    assert secret != run("generate", "--algorithm", algorithm)[0].strip()


def test_generate_defaults_to_jwt_algorithm(settings):
    settings.JWT_ALGORITHM = "ES384"
    out, _ = run("generate")
    public = serialization.load_pem_public_key(
        out[out.index("-----BEGIN PUBLIC KEY-----") :].encode()
    )
    assert public.curve.name == "secp384r1"


def test_generate_never_writes_settings(settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("generate", "--algorithm", "ES256")
    assert list(tmp_path.iterdir()) == []
    assert settings.JWT_SECRET_KEY  # untouched


def test_generate_refuses_an_algorithm_it_cannot_make(settings):
    settings.JWT_ALGORITHM = "ES521"  # PyJWT's old alias of ES512
    with pytest.raises(CommandError, match="Cannot generate a key for ES521"):
        run("generate")
    with pytest.raises(CommandError, match="invalid choice"):
        run("generate", "--algorithm", "none")
