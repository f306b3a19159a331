"""Verifying an identity provider's tokens with the keys of its JWKS (``JWT_JWKS_URL``).

The key set comes from a real HTTP server on 127.0.0.1 (tests/jwks_server.py),
never from a stand-in for PyJWT's ``PyJWKClient``: it serves a key set, then a
rotated one, then fails, then hangs past the timeout.
"""

import threading
import time
from importlib.metadata import requires

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from packaging.requirements import Requirement
from packaging.version import Version

from django_jwt_ext import create_access_token, decode_token
from django_jwt_ext.exceptions import KeySetUnavailableError, UnknownKeyIdError
from django_jwt_ext.manager import get_jwt_manager
from django_jwt_ext.pipeline import needs_thread
from tests.helpers import ALL_FLAVOURS, assert_refused, rfc7638_thumbprint
from tests.jwks_server import JWKSServer
from tests.keys_support import (
    BAD_SIGNATURE,
    NOT_ALLOWED,
    SECRET_A,
    UNAVAILABLE,
    UNKNOWN_KID,
    get,
    new_pair,
    opens,
    use_pair,
)

# The built-in revocation store sits in the pipeline.
pytestmark = pytest.mark.django_db

AUDIENCE = "https://api.example"
ISSUER = "https://idp.example/"
NO_KID = "The token has no kid to choose a JWKS key with"


class IdentityProvider:
    """Signing keys named by kid, their JWKS, and tokens as an identity provider makes
    them: no ``type``, ``fresh``, ``jti`` or ``csrf`` claim."""

    def __init__(self) -> None:
        self.keys = {
            kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)
            for kid in ("idp-1", "idp-2")
        }

    def jwk(self, kid: str, **members) -> dict:
        jwk = RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
        jwk.pop("key_ops", None)
        return {**jwk, "kid": kid, "alg": "RS256", "use": "sig", **members}

    def key_set(self, *kids: str) -> dict:
        return {"keys": [self.jwk(kid) for kid in kids]}

    def token(self, kid="idp-1", algorithm="RS256", key=None, **claims) -> str:
        now = int(time.time())
        payload = {"sub": "auth0|4242", "aud": AUDIENCE, "iss": ISSUER, "iat": now}
        payload["exp"] = now + 300
        payload.update(claims)
        headers = {"kid": kid} if kid is not None else None
        return pyjwt.encode(payload, key or self.keys[kid], algorithm=algorithm, headers=headers)


@pytest.fixture(scope="module")
def idp():
    return IdentityProvider()


@pytest.fixture
def server(idp):
    server = JWKSServer(idp.key_set("idp-1"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def consumer(settings, server):
    """An API that verifies the identity provider's tokens and has no key pair of its own."""
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_JWKS_URL = server.url
    settings.JWT_JWKS_TIMEOUT = 2
    settings.JWT_DECODE_AUDIENCE = AUDIENCE
    settings.JWT_DECODE_ISSUER = ISSUER
    settings.JWT_USER_LOOKUP = None
    return settings


# Verifying.


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_identity_provider_tokens_open_every_flavour(client, idp, server, flavour):
    body = opens(client, idp.token(), flavour)
    assert body["identity"] == "auth0|4242"
    # flask-jwt-extended's defaults for claims tokens made elsewhere lack.
    assert (body["claims"]["type"], body["claims"]["fresh"], body["claims"]["jti"]) == (
        "access",
        False,
        None,
    )
    assert body["header"]["kid"] == "idp-1"
    assert server.hits == 1


def test_the_key_set_is_fetched_once_per_cache_period(client, idp, server):
    for _ in range(5):
        opens(client, idp.token())
    assert server.hits == 1


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"aud": "https://other.example"}, "Audience doesn't match"),
        ({"iss": "https://evil.example/"}, "Invalid issuer"),
        ({"exp": 1}, "Token has expired"),
    ],
)
def test_audience_issuer_and_expiry_are_checked(client, idp, claims, message):
    status = 401 if "exp" in claims else 422
    assert_refused(get(client, idp.token(**claims)), status, message)


def test_a_signature_by_another_key_is_refused(client, idp):
    forged = idp.token(kid="idp-1", key=idp.keys["idp-2"])
    assert_refused(get(client, forged), 422, BAD_SIGNATURE)


def test_a_token_without_kid_is_refused(client, idp):
    assert_refused(get(client, idp.token(kid=None, key=idp.keys["idp-1"])), 422, NO_KID)


def test_asynchronous_views_leave_the_event_loop_to_fetch(settings, manager):
    assert needs_thread(get_jwt_manager())
    settings.JWT_JWKS_URL = None
    settings.JWT_USER_LOOKUP = None
    settings.JWT_REVOCATION_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"
    assert not needs_thread(get_jwt_manager())
    # A decode_key_loader, the other way of fetching keys, may do I/O too.
    manager.decode_key_loader(lambda jwt_header, jwt_data: SECRET_A)
    assert needs_thread(get_jwt_manager())


def test_an_app_without_a_public_key_names_its_tokens_by_its_private_key(settings):
    private_pem, public_pem = new_pair("RS256")
    settings.JWT_PRIVATE_KEY = private_pem  # and no JWT_PUBLIC_KEY: the JWKS verifies
    token = create_access_token("alice")
    assert pyjwt.get_unverified_header(token)["kid"] == rfc7638_thumbprint(public_pem)


def test_own_keys_and_the_identity_providers_together(client, settings, idp, server):
    own = new_pair("RS256")
    use_pair(settings, "RS256", own)
    # JWT_DECODE_AUDIENCE and JWT_DECODE_ISSUER apply to every token: ours carry them too.
    settings.JWT_ENCODE_AUDIENCE, settings.JWT_ENCODE_ISSUER = AUDIENCE, ISSUER
    ours = create_access_token("alice")
    assert opens(client, ours)["identity"] == "alice"
    assert server.hits == 0  # Our kid is ours: no fetch.
    assert opens(client, idp.token())["identity"] == "auth0|4242"
    flask_style = pyjwt.encode({"sub": "bob", "aud": AUDIENCE, "iss": ISSUER}, own[0], "RS256")
    assert opens(client, flask_style)["identity"] == "bob"  # No kid: our own keys.
    assert server.hits == 1


# Rotation at the identity provider, and forged kids.


def test_a_new_key_is_fetched_once_and_a_dropped_key_refused(client, idp, server):
    assert opens(client, idp.token("idp-1"))
    server.key_set = idp.key_set("idp-2")  # The provider rotated: idp-1 is gone.
    assert opens(client, idp.token("idp-2"))["header"]["kid"] == "idp-2"
    assert server.hits == 2
    # The cached set no longer has idp-1, and the refetch of this period is spent.
    assert_refused(get(client, idp.token("idp-1")), 422, UNKNOWN_KID)
    assert server.hits == 2


def test_forged_kids_refetch_at_most_once_per_cache_period(client, settings, idp, server):
    settings.JWT_JWKS_CACHE_SECONDS = 1
    assert opens(client, idp.token())
    for number in range(30):
        forged = idp.token(kid=f"forged-{number}", key=idp.keys["idp-1"])
        assert_refused(get(client, forged), 422, UNKNOWN_KID)
    assert server.hits == 2  # The first fetch, and one refetch for all the forged kids.

    # Many at once: still no more than one refetch per period.
    time.sleep(1.1)
    forged = [idp.token(kid=f"burst-{number}", key=idp.keys["idp-1"]) for number in range(20)]
    outcomes = []

    def verify(token):
        try:
            decode_token(token)
        except Exception as exc:
            outcomes.append(type(exc))

    threads = [threading.Thread(target=verify, args=(token,)) for token in forged]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [UnknownKeyIdError] * 20
    # The expired set is fetched once for all of them, then refetched once.
    assert server.hits == 4
    assert_refused(get(client, idp.token(kid="later", key=idp.keys["idp-1"])), 422, UNKNOWN_KID)
    assert server.hits == 4


def test_a_key_published_after_a_forged_kid_waits_for_the_next_period(
    client, settings, idp, server
):
    settings.JWT_JWKS_CACHE_SECONDS = 1
    assert opens(client, idp.token("idp-1"))
    assert_refused(get(client, idp.token(kid="forged", key=idp.keys["idp-1"])), 422, UNKNOWN_KID)
    server.key_set = idp.key_set("idp-1", "idp-2")
    assert_refused(get(client, idp.token("idp-2")), 422, UNKNOWN_KID)  # The refetch is spent.
    time.sleep(1.1)
    assert opens(client, idp.token("idp-2"))["header"]["kid"] == "idp-2"


# The endpoint down or slow: 503, never a 500, never an accepted token.


@pytest.mark.parametrize("mode", ["error", "garbage", "redirect", "hangup"])
@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_an_unusable_endpoint_fails_closed(client, idp, server, mode, flavour):
    server.mode = mode
    assert_refused(get(client, idp.token(), flavour), 503, UNAVAILABLE)


@pytest.mark.parametrize(
    "key_set",
    [{"keys": []}, {"keys": "none"}, ["not", "an", "object"], {"keys": [{"kty": "RSA"}]}],
    ids=["empty", "keys-not-a-list", "not-an-object", "no-usable-key"],
)
def test_a_body_without_usable_keys_fails_closed(client, idp, server, key_set):
    server.key_set = key_set
    assert_refused(get(client, idp.token()), 503, UNAVAILABLE)


def test_a_stopped_endpoint_fails_closed(client, idp, server):
    server.stop()
    assert_refused(get(client, idp.token()), 503, UNAVAILABLE)
    with pytest.raises(KeySetUnavailableError):
        decode_token(idp.token())


def test_a_hanging_endpoint_fails_closed_after_the_timeout(client, settings, idp, server):
    settings.JWT_JWKS_TIMEOUT = 0.5
    server.mode = "hang"
    started = time.monotonic()
    assert_refused(get(client, idp.token()), 503, UNAVAILABLE)
    assert 0.4 <= time.monotonic() - started < 5


def test_requests_waiting_for_a_failing_fetch_fail_with_it(settings, idp, server):
    """One fetch at a time: those waiting for a fetch that fails do not each wait
    for a timeout of their own."""
    settings.JWT_JWKS_TIMEOUT = 0.5
    server.mode = "hang"
    outcomes = []

    def verify():
        try:
            decode_token(idp.token())
        except Exception as exc:
            outcomes.append(type(exc))

    threads = [threading.Thread(target=verify) for _ in range(5)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [KeySetUnavailableError] * 5
    assert server.hits == 1
    assert time.monotonic() - started < 2.5  # not 5 timeouts of 0.5 s one after another


def test_serving_rotating_failing_then_hanging(client, settings, idp, server):
    """The life of a key set: served, rotated, then the endpoint fails, then hangs."""
    settings.JWT_JWKS_CACHE_SECONDS = 0.5
    settings.JWT_JWKS_TIMEOUT = 0.5
    assert opens(client, idp.token("idp-1"))

    server.key_set = idp.key_set("idp-1", "idp-2")
    assert opens(client, idp.token("idp-2"))
    assert server.hits == 2

    server.mode = "error"
    assert opens(client, idp.token("idp-2"))  # Still cached: no fetch yet.
    time.sleep(0.6)
    assert_refused(get(client, idp.token("idp-2")), 503, UNAVAILABLE)

    server.mode = "hang"
    started = time.monotonic()
    assert_refused(get(client, idp.token("idp-1")), 503, UNAVAILABLE)
    assert time.monotonic() - started < 5

    server.mode = "serve"
    assert opens(client, idp.token("idp-1"))


def test_an_unknown_kid_while_the_endpoint_is_down_fails_closed(client, idp, server):
    assert opens(client, idp.token("idp-1"))
    server.mode = "error"
    assert opens(client, idp.token("idp-1"))  # Known kids need no fetch.
    assert_refused(get(client, idp.token("idp-2")), 503, UNAVAILABLE)


# Which algorithm a JWKS key verifies: its own, given explicitly to PyJWT.


def test_a_key_verifies_only_its_own_algorithm(client, settings, idp):
    settings.JWT_DECODE_ALGORITHMS = ["RS256", "PS256", "RS512"]
    for algorithm in ("PS256", "RS512"):  # Same RSA key, another algorithm.
        token = idp.token(algorithm=algorithm, key=idp.keys["idp-1"])
        assert_refused(get(client, token), 422, NOT_ALLOWED)
    assert opens(client, idp.token())


def test_a_key_without_alg_verifies_the_algorithm_of_its_type(client, settings, idp, server):
    settings.JWT_DECODE_ALGORITHMS = ["RS256", "PS256"]
    jwk = idp.jwk("idp-1")
    del jwk["alg"]
    server.key_set = {"keys": [jwk]}
    assert opens(client, idp.token())
    assert_refused(get(client, idp.token(algorithm="PS256")), 422, NOT_ALLOWED)


def test_an_algorithm_not_accepted_here_is_refused(client, settings, idp, server):
    settings.JWT_ALGORITHM = "PS256"
    server.key_set = {"keys": [idp.jwk("idp-1")]}  # alg RS256
    assert_refused(get(client, idp.token()), 422, NOT_ALLOWED)


def test_a_published_secret_never_verifies(client, settings, server):
    """An HMAC key in a JWKS is public, so anyone could sign with it."""
    settings.JWT_DECODE_ALGORITHMS = ["RS256", "HS256"]
    oct_key = {"kty": "oct", "k": pyjwt.utils.base64url_encode(SECRET_A.encode()).decode()}
    server.key_set = {"keys": [{**oct_key, "kid": "shared", "alg": "HS256", "use": "sig"}]}
    token = pyjwt.encode(
        {"sub": "x", "aud": AUDIENCE, "iss": ISSUER}, SECRET_A, "HS256", headers={"kid": "shared"}
    )
    assert_refused(get(client, token), 422, NOT_ALLOWED)


def test_an_unsigned_token_naming_a_known_key_is_refused(client, idp):
    token = pyjwt.encode({"sub": "x"}, None, algorithm="none", headers={"kid": "idp-1"})
    assert_refused(get(client, token), 422, NOT_ALLOWED)


def test_elliptic_curve_keys(client, settings, server):
    private_pem, public_pem = new_pair("ES256")
    settings.JWT_ALGORITHM = "ES256"
    jwk = ECAlgorithm.to_jwk(ECAlgorithm(ECAlgorithm.SHA256).prepare_key(public_pem), as_dict=True)
    server.key_set = {"keys": [{**jwk, "kid": "ec-1", "use": "sig"}]}  # alg from the curve
    token = pyjwt.encode(
        {"sub": "x", "aud": AUDIENCE, "iss": ISSUER}, private_pem, "ES256", headers={"kid": "ec-1"}
    )
    assert opens(client, token)["identity"] == "x"


def test_the_pyjwt_required_has_both_fixes():
    """PyJWT 2.13 binds a JWK to its algorithm; 2.14 stops refetching for every unknown kid
    and keeps the cached set when a fetch fails."""
    (requirement,) = [
        Requirement(text) for text in requires("django-jwt-ext") or [] if text.startswith("PyJWT")
    ]
    assert not requirement.specifier.contains("2.13.1")
    assert requirement.specifier.contains("2.14.0")
    assert Version(pyjwt.__version__) >= Version("2.14")
