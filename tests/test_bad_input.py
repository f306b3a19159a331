"""Whatever a client sends gets the spec's 4xx answer, never a 500."""

import base64
import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import quote

import jwt as pyjwt
import pytest
from django.test import Client

from django_jwt_ext import create_access_token, decode_token, get_csrf_token
from tests.conftest import SECRET
from tests.helpers import assert_refused, call, flavour_path, rsa_pem_pair

pytestmark = pytest.mark.django_db

MISSING_HEADER = "Missing Authorization Header"
MISSING_BEARER = (
    "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"
)
BAD_BEARER = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"
MISSING_JSON_KEY = 'Missing "access_token" key in json data.'
KEY_MISMATCH = "The token's algorithm cannot be used with the configured key"
TOO_LARGE = "Token is larger than the maximum of {} characters"


@pytest.fixture
def client():
    """A client that reports a server error as a 500 response instead of raising it."""
    return Client(raise_request_exception=False)


@pytest.fixture(scope="module")
def rsa_keys():
    """A 2048-bit RSA key pair as PEM strings: (private, public)."""
    return rsa_pem_pair()


def send(client, flavour, token, location="headers", variant="protected", **kwargs):
    kwargs.setdefault("method", "post" if location == "json" else "get")
    return call(client, flavour_path(flavour, variant), token, location, **kwargs)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims_for(identity, **extra):
    now = int(time.time())
    claims = {
        "fresh": False,
        "iat": now,
        "nbf": now,
        "jti": str(uuid.uuid4()),
        "type": "access",
        "sub": identity,
        "exp": now + 900,
    }
    claims.update(extra)
    return claims


def raw_token(header: bytes, payload: bytes, signature: bytes = b"sig") -> str:
    return ".".join([b64(header), b64(payload), b64(signature)])


def pyjwt_message(token, key=SECRET, **kwargs):
    """Return the message PyJWT itself gives for ``token``."""
    kwargs.setdefault("algorithms", ["HS256"])
    with pytest.raises(pyjwt.PyJWTError) as info:
        pyjwt.decode(token, key, **kwargs)
    return str(info.value)


# JSON bodies that hold no token.

DEEP = 100_000

BAD_BODIES = {
    "list": json.dumps([{"access_token": "x"}]),
    "string": json.dumps("x"),
    "number": "42",
    "null": "null",
    "deep list": "[" * DEEP + "]" * DEEP,
    "deep object": '{"a":' * DEEP + "1" + "}" * DEEP,
    "deep value": '{"access_token": ' + "[" * DEEP + "]" * DEEP + "}",
    "truncated": '{"access_token": "x',
    "invalid utf-8": b'{"access_token": "\xff\xfe"}',
    "whitespace": "  \n ",
    "huge number": "1" * 5000,
}


@pytest.mark.parametrize("body", BAD_BODIES)
def test_json_body_without_a_token(client, flavour, settings, body):
    settings.JWT_TOKEN_LOCATION = ["json"]
    response = client.post(
        flavour_path(flavour), data=BAD_BODIES[body], content_type="application/json"
    )
    assert_refused(response, 401, MISSING_JSON_KEY)


@pytest.mark.parametrize("key_loader", [False, True], ids=["default-key", "decode-key-loader"])
@pytest.mark.parametrize("token", ["\\ud800", "a.b\\udfff.c"])
def test_json_token_with_lone_surrogates(client, flavour, settings, manager, token, key_loader):
    """Valid JSON, but no string PyJWT can encode: an undecodable token, not a key problem."""
    settings.JWT_TOKEN_LOCATION = ["json"]
    if key_loader:  # the claims are then read before verification
        manager.decode_key_loader(lambda jwt_header, jwt_data: SECRET)
    response = client.post(
        flavour_path(flavour),
        data=f'{{"access_token": "{token}"}}',
        content_type="application/json",
    )
    assert_refused(response, 422, "Invalid token: it is not valid UTF-8")


def test_empty_json_body(client, flavour, settings):
    settings.JWT_TOKEN_LOCATION = ["json"]
    # The test client drops the content type of an empty body unless told explicitly.
    response = client.post(flavour_path(flavour), CONTENT_TYPE="application/json")
    assert_refused(response, 401, MISSING_JSON_KEY)


@pytest.mark.parametrize("body", ["deep list", "invalid utf-8", "whitespace"])
def test_bad_json_body_passes_the_turn(client, flavour, settings, access_token, body):
    settings.JWT_TOKEN_LOCATION = ["json", "headers"]
    response = client.post(
        flavour_path(flavour),
        data=BAD_BODIES[body],
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {access_token}",
    )
    assert response.status_code == 200
    assert response.json()["location"] == "headers"


@pytest.mark.parametrize("value", [0, False, "", [], {}, None])
def test_json_token_value_falsy(client, flavour, settings, value):
    settings.JWT_TOKEN_LOCATION = ["json"]
    response = client.post(
        flavour_path(flavour), data={"access_token": value}, content_type="application/json"
    )
    assert_refused(response, 401, MISSING_JSON_KEY)


@pytest.mark.parametrize("value", [42, 4.2, True, ["a.b.c"], {"token": "a.b.c"}])
def test_json_token_value_not_a_string(client, flavour, settings, value):
    settings.JWT_TOKEN_LOCATION = ["json"]
    response = client.post(
        flavour_path(flavour), data={"access_token": value}, content_type="application/json"
    )
    assert_refused(response, 422, "Invalid token type. Token must be a <class 'bytes'>")


# Odd Authorization values.

HEADER_CASES = {
    "tab": ("\t", 401, MISSING_HEADER),
    "tabs and spaces": (" \t \t ", 401, MISSING_HEADER),
    "only commas": (",,,,", 401, MISSING_HEADER),
    "commas and blanks": (" , \t, ,", 401, MISSING_HEADER),
    "lone bearer": ("Bearer", 422, BAD_BEARER),
    "bearer and commas": (",Bearer,", 422, BAD_BEARER),
    "two bare bearers": ("Bearer, Bearer", 401, MISSING_BEARER),
    "two bearer tokens": ("Bearer a.b.c, Bearer d.e.f", 401, MISSING_BEARER),
    "three pieces": ("Bearer a b", 422, BAD_BEARER),
    "tab inside": ("Bearer a\tb", 422, BAD_BEARER),
    "empty fields": ("Basic x, , ,Digest y", 401, MISSING_BEARER),
    "lower case": ("bearer a.b.c", 401, MISSING_BEARER),
}


@pytest.mark.parametrize("case", HEADER_CASES)
def test_odd_authorization_values(client, flavour, case):
    value, status, message = HEADER_CASES[case]
    response = client.get(flavour_path(flavour), HTTP_AUTHORIZATION=value)
    assert_refused(response, status, message)


@pytest.mark.parametrize(
    "token",
    [
        "ééé",
        "é.é.é",
        "..",
        "a..b",
        "\x00.\x00.\x00",
        "日本.語.x",
        "e30.e30.",
        "=.=.=",
        "!!!!.!!!!.!!!!",
    ],
)
def test_undecodable_tokens(client, flavour, location, token):
    # A WSGI server hands headers (cookies included) over as latin-1 text.
    on_the_wire = token.encode().decode("latin-1")
    if location == "query_string":
        response = client.get(flavour_path(flavour), QUERY_STRING="jwt=" + quote(token))
    elif location == "cookies":
        cookie = f"access_token_cookie={on_the_wire}"
        response = client.get(flavour_path(flavour), HTTP_COOKIE=cookie)
        token = on_the_wire
    elif location == "headers":
        response = client.get(flavour_path(flavour), HTTP_AUTHORIZATION=f"Bearer {on_the_wire}")
        token = on_the_wire
    else:
        response = send(client, flavour, token, location)
    assert_refused(response, 422, pyjwt_message(token))


def test_invalid_query_string_encoding(client, flavour, settings):
    settings.JWT_TOKEN_LOCATION = ["query_string"]
    response = client.get(flavour_path(flavour), QUERY_STRING="jwt=%FF%FE.%00.%C3")
    assert_refused(response, 422, pyjwt_message("\ufffd\ufffd.\x00.\ufffd"))


# Token size.


def test_huge_token_is_refused(client, flavour, location):
    token = "a" * 100_000 + "." + "b" * 100 + "." + "c" * 100
    response = send(client, flavour, token, location)
    assert_refused(response, 422, TOO_LARGE.format(8192))


def test_huge_token_is_refused_before_decoding(client, flavour, manager, access_token):
    jti = decode_token(access_token)["jti"]
    keys_asked = []

    @manager.decode_key_loader
    def decode_key(jwt_header, jwt_data):
        keys_asked.append(jwt_data["jti"])
        return SECRET

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims_for("1", blob="x" * 20_000)).encode())
    assert_refused(send(client, flavour, f"{header}.{payload}.sig"), 422, TOO_LARGE.format(8192))
    assert keys_asked == []
    assert send(client, flavour, access_token).status_code == 200
    assert keys_asked == [jti]


def test_max_token_size_is_configurable(client, flavour, settings, user):
    token = create_access_token(user, additional_claims={"blob": "x" * 9000})
    assert len(token) > 8192
    assert_refused(send(client, flavour, token), 422, TOO_LARGE.format(8192))
    settings.JWT_MAX_TOKEN_SIZE = len(token)
    assert send(client, flavour, token).status_code == 200
    settings.JWT_MAX_TOKEN_SIZE = len(token) - 1
    assert_refused(send(client, flavour, token), 422, TOO_LARGE.format(len(token) - 1))
    settings.JWT_MAX_TOKEN_SIZE = 100
    assert_refused(send(client, flavour, create_access_token(user)), 422, TOO_LARGE.format(100))


# CSRF values and cookies outside ASCII.


@pytest.mark.parametrize("value", ["é", "ünïcödé-日本", "\u00ff" * 36, "\U0001f600"])
def test_non_ascii_csrf_header(client, flavour, settings, access_token, value):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    response = send(client, flavour, access_token, "cookies", method="post", csrf=value)
    assert_refused(response, 401, "CSRF double submit tokens do not match")


def test_non_ascii_csrf_cookie_is_not_the_double_submit(client, flavour, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    cookie = f"access_token_cookie={access_token}; csrf_access_token=\u00e9t\u00e9"
    response = client.post(flavour_path(flavour), HTTP_COOKIE=cookie)
    assert_refused(response, 401, "Missing CSRF token")
    response = client.post(
        flavour_path(flavour), HTTP_COOKIE=cookie, HTTP_X_CSRF_TOKEN=get_csrf_token(access_token)
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("value", "unquoted"),
    [("\u00e9t\u00e9",) * 2, ("\u00e9.\u00e9.\u00e9",) * 2, ('"\\351.\\351.x"', "\u00e9.\u00e9.x")],
)
def test_non_ascii_token_cookie(client, flavour, settings, value, unquoted):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    response = client.post(
        flavour_path(flavour), HTTP_COOKIE=f"access_token_cookie={value}", HTTP_X_CSRF_TOKEN="x"
    )
    assert_refused(response, 422, pyjwt_message(unquoted))


# Identities that cannot be a primary key.


@pytest.mark.parametrize(
    "identity", ["abc", "1.5", "9" * 30, "-99999999999999999999", "", "0x1", "1e3", "None"]
)
def test_string_identity_that_is_no_primary_key(client, flavour, location, user, identity):
    response = send(client, flavour, create_access_token(identity), location)
    assert_refused(response, 401, f"Error loading the user {identity}")


@pytest.mark.parametrize(
    "identity",
    [10**30, -(10**30), 2**63, {"id": 1}, [1], None, float("inf"), float("nan"), 1e308],
    ids=["huge", "huge-negative", "2**63", "dict", "list", "null", "inf", "nan", "1e308"],
)
def test_non_string_identity_that_is_no_primary_key(client, flavour, settings, user, identity):
    settings.JWT_VERIFY_SUB = False
    response = send(client, flavour, create_access_token(identity))
    assert_refused(response, 401, f"Error loading the user {identity}")


# PyJWT errors outside InvalidTokenError, and algorithm tricks.


def test_asymmetric_token_with_an_hmac_key(client, flavour, settings, user, rsa_keys):
    settings.JWT_DECODE_ALGORITHMS = ["HS256", "RS256"]
    token = pyjwt.encode(claims_for(str(user.pk)), rsa_keys[0], algorithm="RS256")
    assert_refused(send(client, flavour, token), 422, KEY_MISMATCH)


def test_hmac_token_signed_with_the_public_key(client, flavour, settings, user, rsa_keys):
    """The classic algorithm-confusion attack is refused, not crashed on or accepted."""
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_PRIVATE_KEY, settings.JWT_PUBLIC_KEY = rsa_keys
    settings.JWT_DECODE_ALGORITHMS = ["RS256", "HS256"]
    assert send(client, flavour, create_access_token(user)).status_code == 200
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims_for(str(user.pk))).encode())
    signature = hmac.new(rsa_keys[1].encode(), f"{header}.{payload}".encode(), hashlib.sha256)
    token = f"{header}.{payload}.{b64(signature.digest())}"
    assert_refused(send(client, flavour, token), 422, KEY_MISMATCH)


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "", None, 256, ["HS256"]])
def test_unsigned_or_odd_alg(client, flavour, user, alg):
    header = json.dumps({"alg": alg, "typ": "JWT"}).encode()
    token = raw_token(header, json.dumps(claims_for(str(user.pk))).encode(), b"")
    assert_refused(send(client, flavour, token), 422, "The specified alg value is not allowed")


@pytest.mark.parametrize(
    "header",
    [
        b"[1, 2]",
        b"null",
        b'"HS256"',
        b"{",
        b"[" * 2900 + b"]" * 2900,
        b'{"alg": "HS256", "kid": 12}',
        b'{"alg": "HS256", "crit": ["exp"]}',
        b'{"alg": "HS256", "b64": false}',
    ],
    ids=["array", "null", "string", "truncated", "deep", "kid", "crit", "b64"],
)
def test_odd_jose_headers(client, flavour, header):
    token = raw_token(header, json.dumps(claims_for("1")).encode())
    assert len(token) <= 8192
    assert_refused(send(client, flavour, token), 422, pyjwt_message(token))


@pytest.mark.parametrize(
    "payload",
    [b"[1]", b"null", b"{", b"[" * 3000 + b"]" * 3000, b"\xff\xfe"],
    ids=["array", "null", "truncated", "deep", "not-utf8"],
)
def test_odd_payloads_with_a_decode_key_loader(client, flavour, manager, payload):
    """A decode key loader makes the app read claims before verifying them."""
    manager.decode_key_loader(lambda jwt_header, jwt_data: SECRET)
    token = raw_token(b'{"alg": "HS256", "typ": "JWT"}', payload)
    assert len(token) <= 8192
    expected = pyjwt_message(token, options={"verify_signature": False})
    assert_refused(send(client, flavour, token), 422, expected)


def test_decode_key_loader_gets_unverified_odd_claims(client, flavour, manager, user):
    asked = []

    @manager.decode_key_loader
    def decode_key(jwt_header, jwt_data):
        asked.append(jwt_data)
        return SECRET

    token = pyjwt.encode(claims_for(str(user.pk)), SECRET[::-1], algorithm="HS256")
    assert_refused(send(client, flavour, token), 422, "Signature verification failed")
    assert len(asked) == 1
