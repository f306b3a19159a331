"""The pure token functions of django_jwt_ext.tokens, without Django settings.

Every input is an argument here; nothing reads ``django.conf.settings``.
"""

import base64
import hashlib
import hmac
import json
import time
import uuid
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from django_jwt_ext.exceptions import (
    CSRFError,
    ExpiredSignatureError,
    JWTDecodeError,
    JWTExtendedException,
    TokenStateError,
)
from django_jwt_ext.tokens import (
    KEY_MISMATCH_MESSAGE,
    decode_jwt,
    encode_jwt,
    header_kid,
    peek,
    same_secret,
    unverified_header,
)
from tests.helpers import b64url, rsa_pem_pair

SECRET = "tokens-secret-0123456789abcdef0123456789abcdef0123456789abcdef01"
OTHER_SECRET = "other-secret-0123456789abcdef0123456789abcdef0123456789abcdef012"


def make(**kwargs):
    """Encode an access token for ``alice`` with SECRET and HS256 unless told otherwise."""
    arguments = {
        "identity": "alice",
        "token_type": "access",
        "key": SECRET,
        "algorithm": "HS256",
    }
    arguments.update(kwargs)
    return encode_jwt(**arguments)


def decode(token, **kwargs):
    """Verify ``token`` with SECRET and HS256 unless told otherwise."""
    arguments = {"key": SECRET, "algorithms": ["HS256"]}
    arguments.update(kwargs)
    return decode_jwt(token, **arguments)


def raw_claims(token):
    """Return the payload exactly as serialised, keys in their written order."""
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def foreign(payload, key=SECRET, algorithm="HS256", **kwargs):
    """A token made by PyJWT directly, as another service would make it."""
    return jwt.encode(payload, key, algorithm=algorithm, **kwargs)


def is_uuid4(value):
    if not isinstance(value, str):
        return False
    parsed = uuid.UUID(value)
    return parsed.version == 4 and str(parsed) == value


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def rsa_private_pem(rsa_key):
    return rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="module")
def rsa_public_pem(rsa_key):
    return (
        rsa_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


# Claims layout.


def test_minimal_token_holds_the_standard_claims_in_flask_order():
    claims = raw_claims(make())
    assert list(claims) == ["fresh", "iat", "jti", "type", "sub", "nbf"]
    assert claims["fresh"] is False
    assert claims["type"] == "access"
    assert claims["sub"] == "alice"
    assert claims["nbf"] == int(claims["iat"])
    assert abs(claims["iat"] - time.time()) < 5


def test_every_optional_claim_follows_in_flask_order():
    token = make(
        expires_delta=timedelta(minutes=5),
        csrf=True,
        audience="api",
        issuer="issuer",
        claims={"role": "admin"},
    )
    assert list(raw_claims(token)) == [
        "fresh",
        "iat",
        "jti",
        "type",
        "sub",
        "nbf",
        "csrf",
        "aud",
        "iss",
        "exp",
        "role",
    ]


@pytest.mark.parametrize("token_type", ["access", "refresh"])
def test_type_claim_is_the_token_type(token_type):
    assert raw_claims(make(token_type=token_type))["type"] == token_type


def test_jti_is_a_fresh_uuid4_per_token():
    first, second = raw_claims(make())["jti"], raw_claims(make())["jti"]
    assert is_uuid4(first) and is_uuid4(second)
    assert first != second


@pytest.mark.parametrize("claim_key", ["sub", "identity", "user_id"])
def test_identity_goes_under_the_identity_claim_key(claim_key):
    claims = raw_claims(make(identity_claim_key=claim_key))
    assert claims[claim_key] == "alice"
    assert list(claims)[4] == claim_key
    if claim_key != "sub":
        assert "sub" not in claims


def test_nbf_is_left_out_when_disabled():
    claims = raw_claims(make(nbf=False))
    assert "nbf" not in claims
    assert list(claims) == ["fresh", "iat", "jti", "type", "sub"]


@pytest.mark.parametrize("csrf", [True, False])
def test_csrf_claim_only_when_asked(csrf):
    claims = raw_claims(make(csrf=csrf))
    assert ("csrf" in claims) is csrf
    if csrf:
        assert is_uuid4(claims["csrf"])
        assert claims["csrf"] != raw_claims(make(csrf=True))["csrf"]


@pytest.mark.parametrize(
    "audience, expected",
    [
        ("api", "api"),
        (["api", "admin"], ["api", "admin"]),
        (("api", "admin"), ["api", "admin"]),
        (None, None),
        ("", None),
    ],
)
def test_aud_claim_when_an_audience_is_given(audience, expected):
    claims = raw_claims(make(audience=audience))
    assert claims.get("aud") == expected
    assert ("aud" in claims) is (expected is not None)


@pytest.mark.parametrize("issuer", ["https://issuer.example", None, ""])
def test_iss_claim_when_an_issuer_is_given(issuer):
    claims = raw_claims(make(issuer=issuer))
    assert claims.get("iss") == (issuer or None)
    assert ("iss" in claims) is bool(issuer)


@pytest.mark.parametrize("seconds", [1, 60, 15 * 60, 30 * 86400])
def test_exp_is_iat_plus_the_lifetime(seconds):
    claims = raw_claims(make(expires_delta=timedelta(seconds=seconds)))
    assert claims["exp"] - int(claims["iat"]) == seconds


@pytest.mark.parametrize("expires_delta", [None, False])
def test_no_exp_when_expiry_is_false_or_none(expires_delta):
    token = make(expires_delta=expires_delta)
    assert "exp" not in raw_claims(token)
    _, claims = decode(token)
    assert "exp" not in claims


def test_claims_are_merged_last_and_override_standard_ones():
    token = make(
        expires_delta=timedelta(minutes=5),
        csrf=True,
        claims={"type": "custom", "fresh": True, "sub": "bob", "jti": "fixed", "role": "admin"},
    )
    claims = raw_claims(token)
    assert claims["type"] == "custom"
    assert claims["fresh"] is True
    assert claims["sub"] == "bob"
    assert claims["jti"] == "fixed"
    assert claims["role"] == "admin"
    # Overridden claims keep their place; new ones come after the standard ones.
    assert list(claims) == [
        "fresh",
        "iat",
        "jti",
        "type",
        "sub",
        "nbf",
        "csrf",
        "exp",
        "role",
    ]


def test_claims_may_override_exp_and_iss():
    token = make(
        expires_delta=timedelta(minutes=5), issuer="a", claims={"exp": 4102444800, "iss": "b"}
    )
    claims = raw_claims(token)
    assert claims["exp"] == 4102444800
    assert claims["iss"] == "b"


# Freshness.


@pytest.mark.parametrize("fresh", [True, False])
def test_boolean_freshness_is_stored_as_is(fresh):
    assert raw_claims(make(fresh=fresh))["fresh"] is fresh


def test_timedelta_freshness_is_stored_as_the_timestamp_it_ends():
    before = time.time()
    claims = raw_claims(make(fresh=timedelta(minutes=10)))
    after = time.time()
    assert isinstance(claims["fresh"], float)
    assert before + 600 <= claims["fresh"] <= after + 600
    assert abs(claims["fresh"] - (claims["iat"] + 600)) < 1


def test_numeric_freshness_passes_through():
    assert raw_claims(make(fresh=1234567890.5))["fresh"] == 1234567890.5


# Headers.


def test_header_is_alg_and_typ_by_default():
    assert unverified_header(make()) == {"alg": "HS256", "typ": "JWT"}


@pytest.mark.parametrize("algorithm", ["HS256", "HS384", "HS512"])
def test_header_alg_is_the_signing_algorithm(algorithm):
    token = make(algorithm=algorithm)
    assert unverified_header(token)["alg"] == algorithm
    assert decode(token, algorithms=[algorithm])[0]["alg"] == algorithm


def test_headers_are_merged_after_alg_and_typ():
    token = make(headers={"kid": "key-1", "typ": "at+jwt"})
    assert unverified_header(token) == {"alg": "HS256", "typ": "at+jwt", "kid": "key-1"}
    header, _ = decode(token)
    assert header == {"alg": "HS256", "typ": "at+jwt", "kid": "key-1"}


def test_empty_headers_change_nothing():
    assert unverified_header(make(headers={})) == {"alg": "HS256", "typ": "JWT"}


def test_json_encoder_serialises_identity():
    class UUIDEncoder(json.JSONEncoder):
        def default(self, o):
            if isinstance(o, uuid.UUID):
                return str(o)
            return super().default(o)

    identity = uuid.UUID("12345678-1234-4678-9234-567812345678")
    claims = raw_claims(make(identity=identity, json_encoder=UUIDEncoder))
    assert claims["sub"] == "12345678-1234-4678-9234-567812345678"


# Decoding: round trip and defaults for foreign tokens.


def test_round_trip_returns_header_and_claims():
    token = make(expires_delta=timedelta(minutes=5), claims={"role": "admin"})
    header, claims = decode(token)
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert claims == raw_claims(token)


def test_foreign_token_gets_flask_defaults():
    _, claims = decode(foreign({"sub": "alice"}))
    assert claims == {"sub": "alice", "type": "access", "fresh": False, "jti": None}


def test_foreign_token_keeps_its_own_values():
    token = foreign({"sub": "alice", "type": "refresh", "fresh": True, "jti": "abc"})
    _, claims = decode(token)
    assert claims == {"sub": "alice", "type": "refresh", "fresh": True, "jti": "abc"}


def test_missing_identity_claim_is_a_decode_error():
    with pytest.raises(JWTDecodeError) as info:
        decode(foreign({"user": "alice"}))
    assert str(info.value) == "Missing claim: sub"


@pytest.mark.parametrize("claim_key", ["identity", "user_id"])
def test_missing_custom_identity_claim_names_it(claim_key):
    with pytest.raises(JWTDecodeError) as info:
        decode(foreign({"sub": "alice"}), identity_claim_key=claim_key)
    assert str(info.value) == f"Missing claim: {claim_key}"


@pytest.mark.parametrize("claim_key", ["identity", "user_id"])
def test_custom_identity_claim_round_trip(claim_key):
    token = make(identity_claim_key=claim_key)
    _, claims = decode(token, identity_claim_key=claim_key)
    assert claims[claim_key] == "alice"


@pytest.mark.parametrize("algorithms", [["HS256"], ("HS256",), {"HS256"}, ["HS512", "HS256"]])
def test_algorithms_accept_any_collection(algorithms):
    assert decode(make(), algorithms=algorithms)[1]["sub"] == "alice"


# CSRF double submit.


def test_matching_csrf_value_passes():
    token = make(csrf=True)
    _, claims = decode(token, csrf_value=raw_claims(token)["csrf"])
    assert claims["sub"] == "alice"


def test_mismatched_csrf_value_is_a_csrf_error():
    with pytest.raises(CSRFError) as info:
        decode(make(csrf=True), csrf_value=str(uuid.uuid4()))
    assert str(info.value) == "CSRF double submit tokens do not match"


def test_csrf_value_against_token_without_csrf_claim():
    with pytest.raises(JWTDecodeError) as info:
        decode(make(csrf=False), csrf_value="anything")
    assert str(info.value) == "Missing claim: csrf"


@pytest.mark.parametrize("csrf_value", [None, ""])
def test_no_csrf_value_means_no_check(csrf_value):
    _, claims = decode(make(csrf=False), csrf_value=csrf_value)
    assert "csrf" not in claims


@pytest.mark.parametrize(
    "claim, submitted",
    [
        ("abc", "ébc"),
        ("ébc", "abc"),
        ("ébc", "\ud800bc"),
        ("abc", "a\x00c"),
        ("abc", "abc\u200b"),
        (12345, "12345"),
        (None, "None"),
        (["abc"], "abc"),
    ],
)
def test_odd_csrf_values_are_a_csrf_error_not_a_crash(claim, submitted):
    token = make(claims={"csrf": claim})
    with pytest.raises(CSRFError) as info:
        decode(token, csrf_value=submitted)
    assert str(info.value) == "CSRF double submit tokens do not match"


def test_non_ascii_csrf_values_that_match_pass():
    token = make(claims={"csrf": "jeton-é-ü-漢字"})
    _, claims = decode(token, csrf_value="jeton-é-ü-漢字")
    assert claims["csrf"] == "jeton-é-ü-漢字"


# Expiry.


def expired_token(**kwargs):
    return make(expires_delta=timedelta(seconds=-30), **kwargs)


def test_expired_token_raises_our_error_with_header_and_claims():
    token = expired_token(claims={"role": "admin"})
    with pytest.raises(ExpiredSignatureError) as info:
        decode(token)
    error = info.value
    assert isinstance(error, jwt.ExpiredSignatureError)
    assert isinstance(error, TokenStateError)
    assert isinstance(error, JWTExtendedException)
    assert error.jwt_header == {"alg": "HS256", "typ": "JWT"}
    assert error.jwt_data == raw_claims(token)
    assert error.jwt_data["role"] == "admin"


def test_expired_foreign_token_carries_the_decode_defaults():
    token = foreign({"sub": "alice", "exp": int(time.time()) - 30})
    with pytest.raises(ExpiredSignatureError) as info:
        decode(token)
    assert info.value.jwt_data == {
        "sub": "alice",
        "exp": raw_claims(token)["exp"],
        "type": "access",
        "fresh": False,
        "jti": None,
    }


def test_expired_error_is_caught_by_pyjwt_except_clauses():
    with pytest.raises(jwt.ExpiredSignatureError):
        decode(expired_token())


ALGORITHM_COLLECTIONS = {
    "list": lambda: ["HS256"],
    "tuple": lambda: ("HS256",),
    "set": lambda: {"HS256"},
    "iterator": lambda: iter(["HS256"]),
    "generator": lambda: (name for name in ["HS256"]),
}


@pytest.mark.parametrize("kind", ALGORITHM_COLLECTIONS)
def test_expired_token_is_reported_as_expired_whatever_iterable_of_algorithms(kind):
    # decode_jwt takes any Iterable[str]; a one-shot iterator must work too.
    with pytest.raises(ExpiredSignatureError):
        decode(expired_token(), algorithms=ALGORITHM_COLLECTIONS[kind]())


def test_allow_expired_returns_the_claims():
    token = expired_token()
    _, claims = decode(token, allow_expired=True)
    assert claims["sub"] == "alice"
    assert claims["exp"] < time.time()


def test_allow_expired_still_checks_the_signature():
    with pytest.raises(JWTDecodeError) as info:
        decode(expired_token(key=OTHER_SECRET), allow_expired=True)
    assert str(info.value) == "Signature verification failed"


def test_expired_token_with_bad_signature_is_a_signature_error():
    with pytest.raises(JWTDecodeError) as info:
        decode(expired_token(key=OTHER_SECRET))
    assert not isinstance(info.value, ExpiredSignatureError)
    assert str(info.value) == "Signature verification failed"


# PyJWT's reasons, carried as JWTDecodeError messages by errors that keep PyJWT's
# class too (flask-jwt-extended lets PyJWT's errors through).

NOW = int(time.time())

PYJWT_FAILURES = {
    "signature": (
        lambda: make(key=OTHER_SECRET),
        {},
        "Signature verification failed",
        jwt.InvalidSignatureError,
    ),
    "algorithm": (
        lambda: make(algorithm="HS512"),
        {"algorithms": ["HS256"]},
        "The specified alg value is not allowed",
        jwt.InvalidAlgorithmError,
    ),
    "segments": (lambda: "not-a-token", {}, "Not enough segments", jwt.DecodeError),
    "audience": (
        lambda: make(audience="api"),
        {"audience": "admin"},
        "Audience doesn't match",
        jwt.InvalidAudienceError,
    ),
    "audience-missing": (
        lambda: make(),
        {"audience": "api"},
        'Token is missing the "aud" claim',
        jwt.MissingRequiredClaimError,
    ),
    "issuer": (
        lambda: make(issuer="https://a.example"),
        {"issuer": "https://b.example"},
        "Invalid issuer",
        jwt.InvalidIssuerError,
    ),
    "nbf": (
        lambda: foreign({"sub": "alice", "nbf": NOW + 3600}),
        {},
        "The token is not yet valid (nbf)",
        jwt.ImmatureSignatureError,
    ),
    "iat": (
        lambda: foreign({"sub": "alice", "iat": NOW + 3600}),
        {},
        "The token is not yet valid (iat)",
        jwt.ImmatureSignatureError,
    ),
    "sub-type": (
        lambda: make(identity=42),
        {},
        "Subject must be a string",
        jwt.exceptions.InvalidSubjectError,
    ),
}


@pytest.mark.parametrize("case", PYJWT_FAILURES, ids=list(PYJWT_FAILURES))
def test_pyjwt_reason_is_the_decode_error_message(case):
    build, options, message, pyjwt_class = PYJWT_FAILURES[case]
    with pytest.raises(JWTDecodeError) as info:
        decode(build(), **options)
    assert str(info.value) == message
    # `except jwt.InvalidAudienceError` around decode_token keeps working.
    assert isinstance(info.value, pyjwt_class)


def test_non_string_subject_passes_when_sub_is_not_verified():
    _, claims = decode(make(identity=42), verify_sub=False)
    assert claims["sub"] == 42


@pytest.mark.parametrize("audience", [("api", "admin"), ["admin", "api"], "api"])
def test_any_of_several_audiences_is_accepted(audience):
    _, claims = decode(make(audience=["api", "other"]), audience=audience)
    assert claims["aud"] == ["api", "other"]


def test_matching_issuer_passes():
    _, claims = decode(make(issuer="https://a.example"), issuer="https://a.example")
    assert claims["iss"] == "https://a.example"


def test_audience_is_not_checked_when_none_is_expected():
    _, claims = decode(make(audience="api"))
    assert claims["aud"] == "api"


# Keys that do not fit the algorithm: PyJWT raises outside InvalidTokenError.


def test_hmac_secret_with_rs256_token_is_a_decode_error(rsa_private_pem):
    token = make(key=rsa_private_pem, algorithm="RS256")
    with pytest.raises(JWTDecodeError) as info:
        decode(token, algorithms=["HS256", "RS256"])
    assert str(info.value) == KEY_MISMATCH_MESSAGE


def test_rsa_key_object_with_hs256_token_is_a_decode_error(rsa_key):
    with pytest.raises(JWTDecodeError) as info:
        decode(make(), key=rsa_key.public_key(), algorithms=["HS256", "RS256"])
    assert str(info.value) == KEY_MISMATCH_MESSAGE


def test_rsa_public_pem_as_hmac_secret_is_a_decode_error(rsa_public_pem):
    # The key-confusion attack: an HS256 token "signed" with the public key.
    signing_input = make().rsplit(".", 1)[0]
    signature = hmac.new(rsa_public_pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    token = signing_input + "." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()
    with pytest.raises(JWTDecodeError) as info:
        decode(token, key=rsa_public_pem, algorithms=["HS256", "RS256"])
    assert str(info.value) == KEY_MISMATCH_MESSAGE


@pytest.mark.parametrize("key", [None, 12345, object()], ids=["none", "int", "object"])
def test_unusable_key_is_a_decode_error(key):
    with pytest.raises(JWTDecodeError) as info:
        decode(make(), key=key)
    assert str(info.value) == KEY_MISMATCH_MESSAGE


def test_rs256_token_verifies_with_the_public_key(rsa_private_pem, rsa_public_pem):
    token = make(key=rsa_private_pem, algorithm="RS256")
    header, claims = decode(token, key=rsa_public_pem, algorithms=["RS256"])
    assert header["alg"] == "RS256"
    assert claims["sub"] == "alice"


# Leeway.


@pytest.mark.parametrize(
    "leeway", [60, 60.0, timedelta(seconds=60)], ids=["int", "float", "timedelta"]
)
def test_leeway_accepts_a_recently_expired_token(leeway):
    _, claims = decode(expired_token(), leeway=leeway)
    assert claims["sub"] == "alice"


@pytest.mark.parametrize("leeway", [0, 10, timedelta(seconds=10)])
def test_leeway_shorter_than_the_overrun_still_expires(leeway):
    with pytest.raises(ExpiredSignatureError):
        decode(expired_token(), leeway=leeway)


def test_leeway_accepts_an_early_nbf():
    token = foreign({"sub": "alice", "nbf": int(time.time()) + 30})
    with pytest.raises(JWTDecodeError):
        decode(token)
    assert decode(token, leeway=60)[1]["sub"] == "alice"


# Unverified reads.


def test_unverified_header_of_a_token_with_another_key():
    token = make(key=OTHER_SECRET, headers={"kid": "k"})
    assert unverified_header(token) == {"alg": "HS256", "typ": "JWT", "kid": "k"}


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "!!!.???.***"])
def test_unverified_header_of_garbage_is_a_decode_error(garbage):
    with pytest.raises(JWTDecodeError):
        unverified_header(garbage)


@pytest.mark.parametrize(
    ("header", "kid"),
    [({"alg": "HS256", "kid": "k1"}, "k1"), ({"alg": "HS256"}, None)],
    ids=["kid", "no-kid"],
)
def test_header_kid_reads_the_header_alone(header, kid):
    token = ".".join([b64url(json.dumps(header).encode()), "!!not-base64!!", ""])
    assert header_kid(token) == kid


@pytest.mark.parametrize(
    "header",
    [b'{"alg": "HS256", "kid": 12}', b"[1]", b"{", b"\xff", b"[" * 3000 + b"]" * 3000],
    ids=["kid-not-a-string", "not-an-object", "not-json", "not-utf8", "deep"],
)
def test_header_kid_of_a_bad_header_is_pyjwts_error(header):
    token = ".".join([b64url(header), b64url(b"{}"), ""])
    with pytest.raises(JWTDecodeError) as info:
        header_kid(token)
    with pytest.raises(jwt.PyJWTError) as pyjwt_info:
        jwt.get_unverified_header(token)
    assert str(info.value) == str(pyjwt_info.value)


def test_peek_reads_without_verifying():
    token = expired_token(key=OTHER_SECRET)
    header, claims = peek(token)
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert claims == raw_claims(token)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c"])
def test_peek_of_garbage_is_a_decode_error(garbage):
    with pytest.raises(JWTDecodeError):
        peek(garbage)


# Constant-time comparison.


@pytest.mark.parametrize(
    "expected, given, same",
    [
        ("abc", "abc", True),
        ("", "", True),
        ("é漢字", "é漢字", True),
        ("\ud800", "\ud800", True),
        ("abc", "abd", False),
        ("abc", "abcd", False),
        ("abc", "", False),
        ("é", "e", False),
        ("\ud800", "\ud801", False),
        ("abc", b"abc", False),
        (b"abc", b"abc", False),
        (None, None, False),
        (None, "None", False),
        (123, 123, False),
        ("123", 123, False),
    ],
)
def test_same_secret(expected, given, same):
    assert same_secret(expected, given) is same


# PyJWT checks an HMAC secret at each use; ValidatedOnceHMAC checks each secret once.


def test_an_hmac_secret_is_checked_once_and_a_refused_one_never_remembered(monkeypatch):
    from jwt.algorithms import HMACAlgorithm

    from django_jwt_ext.tokens import ValidatedOnceHMAC

    checks = []
    real = HMACAlgorithm.prepare_key

    def counted(self, key):
        checks.append(key)
        return real(self, key)

    monkeypatch.setattr(HMACAlgorithm, "prepare_key", counted)
    algorithm = ValidatedOnceHMAC(HMACAlgorithm.SHA256)
    assert algorithm.prepare_key(SECRET) == algorithm.prepare_key(SECRET) == SECRET.encode()
    assert checks == [SECRET]
    public_pem = rsa_pem_pair()[1]
    for _ in range(2):
        with pytest.raises(jwt.InvalidKeyError):
            algorithm.prepare_key(public_pem)
    assert checks == [SECRET, public_pem, public_pem]
    # Never unbounded: past the limit, secrets are checked every time.
    for number in range(ValidatedOnceHMAC.MAX_SECRETS + 3):
        algorithm.prepare_key(f"secret-{number}-" + "x" * 32)
    assert len(algorithm.prepared) == ValidatedOnceHMAC.MAX_SECRETS
    with pytest.raises(jwt.InvalidKeyError):  # Not a string: PyJWT's own refusal.
        algorithm.prepare_key(b"")


def test_without_pyjwts_jws_attribute_the_plain_instance_is_used(monkeypatch):
    from django_jwt_ext import tokens

    class OtherPyJWT:
        """A PyJWT whose instances keep their algorithms elsewhere."""

    monkeypatch.setattr(tokens.jwt, "PyJWT", OtherPyJWT)
    assert isinstance(tokens.build_codec(), OtherPyJWT)
