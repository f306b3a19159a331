"""Tokens and error responses are interchangeable with flask-jwt-extended 4.7 in-process.

A tiny Flask app with the same secret and settings stands next to the test
project: tokens made on either side verify on the other, their claims look
alike, and the same bad request gets the same status and JSON body.
"""

import base64
import json
import time
from datetime import timedelta

import flask
import flask_jwt_extended as fjwt
import jwt
import pytest
from django.test import Client

from django_jwt_ext import (
    create_access_token,
    create_refresh_token,
    decode_token,
    get_csrf_token,
    get_unverified_jwt_headers,
)
from tests.conftest import SECRET
from tests.helpers import ALL_FLAVOURS, flavour_path, rfc7638_thumbprint, rsa_pem_pair

# The built-in revocation store sits in the pipeline and records refresh tokens.
pytestmark = pytest.mark.django_db

OTHER_SECRET = "stranger-secret-0123456789abcdef0123456789abcdef0123456789abcdef"
VARIANTS = ("protected", "refresh", "fresh")


def make_flask_app(**config):
    """A Flask app with one view per jwt_required variant the test project has."""
    app = flask.Flask(__name__)
    app.config.update(config)
    fjwt.JWTManager(app)

    def describe():
        return flask.jsonify(identity=fjwt.get_jwt_identity(), claims=fjwt.get_jwt())

    for variant, requirements in {
        "protected": {},
        "refresh": {"refresh": True},
        "fresh": {"fresh": True},
    }.items():
        view = fjwt.jwt_required(**requirements)(describe)
        app.add_url_rule(f"/{variant}", variant, view, methods=["GET", "POST"])
    return app


def flask_create(app, kind="access", identity="alice", **kwargs):
    with app.app_context():
        if kind == "access":
            return fjwt.create_access_token(identity, **kwargs)
        return fjwt.create_refresh_token(identity, **kwargs)


def flask_decode(app, token, **kwargs):
    with app.app_context():
        return fjwt.decode_token(token, **kwargs)


def flask_request(app, variant, headers=None, method="get", cookies=None):
    client = app.test_client()
    for name, value in (cookies or {}).items():
        client.set_cookie(name, value)
    response = getattr(client, method)(f"/{variant}", headers=headers or {})
    return response.status_code, response.get_json()


def django_request(variant, headers=None, method="get", cookies=None, flavour="sync"):
    client = Client()
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    meta = {
        "HTTP_" + name.upper().replace("-", "_"): value for name, value in (headers or {}).items()
    }
    response = getattr(client, method)(flavour_path(flavour, variant), **meta)
    return response.status_code, response.json()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def raw_claims(token):
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def layout(token):
    """Claim names in their written order, each with its JSON type.

    ``iat`` is a JSON number on both sides; ours carries microseconds (RFC 7519
    NumericDates may be fractional) so that a logout everywhere separates
    tokens of its own second, so it is compared as a number.
    """
    return [
        (name, "number" if name == "iat" and type(value) in (int, float) else type(value).__name__)
        for name, value in raw_claims(token).items()
    ]


@pytest.fixture(scope="module")
def rsa_keys():
    """The key pair both sides use, and a stranger's private key."""
    return rsa_pem_pair(), rsa_pem_pair()[0]


@pytest.fixture(params=["HS256", "RS256"])
def algorithm(request):
    return request.param


@pytest.fixture
def shared(settings, algorithm, rsa_keys):
    """The JWT configuration both sides share, applied to Django; returns it for Flask."""
    if algorithm == "HS256":
        config = {"JWT_ALGORITHM": "HS256", "JWT_SECRET_KEY": SECRET}
    else:
        (private_pem, public_pem), _ = rsa_keys
        config = {
            "JWT_ALGORITHM": "RS256",
            "JWT_SECRET_KEY": SECRET,
            "JWT_PRIVATE_KEY": private_pem,
            "JWT_PUBLIC_KEY": public_pem,
        }
    for name, value in config.items():
        setattr(settings, name, value)
    settings.JWT_TOKEN_LOCATION = ["headers"]
    settings.JWT_USER_LOOKUP = None  # flask-jwt-extended's default: no user lookup
    return config


@pytest.fixture
def app(shared):
    return make_flask_app(**shared)


@pytest.fixture
def stranger_key(algorithm, rsa_keys):
    """A key of the right kind that is not the shared one."""
    return OTHER_SECRET if algorithm == "HS256" else rsa_keys[1]


# Tokens made by Flask verify here.


@pytest.mark.parametrize("kind", ["access", "refresh"])
def test_flask_token_decodes_here(app, kind):
    token = flask_create(app, kind, additional_claims={"role": "admin"})
    claims = decode_token(token)
    assert claims == flask_decode(app, token)
    assert (claims["sub"], claims["type"], claims["role"]) == ("alice", kind, "admin")


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_flask_access_token_opens_a_protected_view_here(app, flavour):
    token = flask_create(app, fresh=True)
    status, body = django_request("fresh", bearer(token), flavour=flavour)
    assert status == 200
    assert body["identity"] == "alice"
    assert body["claims"] == flask_decode(app, token)


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_flask_refresh_token_opens_a_refresh_view_here(app, flavour):
    status, body = django_request("refresh", bearer(flask_create(app, "refresh")), flavour=flavour)
    assert status == 200
    assert body["claims"]["type"] == "refresh"


def test_flask_token_loads_the_django_user(app, settings, user):
    settings.JWT_USER_LOOKUP = "model"
    status, body = django_request("protected", bearer(flask_create(app, identity=str(user.pk))))
    assert status == 200
    assert body["user"] == "alice"


def test_flask_csrf_value_is_accepted_here(app, settings):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    token = flask_create(app)
    with app.app_context():
        flask_csrf = fjwt.get_csrf_token(token)
    assert get_csrf_token(token) == flask_csrf
    status, body = django_request(
        "protected",
        {"X-CSRF-TOKEN": flask_csrf},
        method="post",
        cookies={"access_token_cookie": token},
    )
    assert status == 200
    assert body["location"] == "cookies"


# Tokens made here verify in Flask.


@pytest.mark.parametrize("kind", ["access", "refresh"])
def test_our_token_decodes_in_flask(app, kind):
    create = create_access_token if kind == "access" else create_refresh_token
    token = create("alice", additional_claims={"role": "admin"})
    claims = flask_decode(app, token)
    assert claims == decode_token(token)
    assert (claims["sub"], claims["type"], claims["role"]) == ("alice", kind, "admin")


def test_our_access_token_opens_a_flask_view(app):
    token = create_access_token("alice", fresh=True)
    status, body = flask_request(app, "fresh", bearer(token))
    assert status == 200
    assert body["identity"] == "alice"
    assert body["claims"] == decode_token(token)


def test_our_refresh_token_opens_a_flask_refresh_view(app):
    status, body = flask_request(app, "refresh", bearer(create_refresh_token("alice")))
    assert status == 200
    assert body["claims"]["type"] == "refresh"


def test_our_fresh_timedelta_is_fresh_in_flask(app):
    token = create_access_token("alice", fresh=timedelta(minutes=5))
    assert flask_request(app, "fresh", bearer(token))[0] == 200


def test_our_csrf_value_is_accepted_in_flask(app):
    app.config["JWT_TOKEN_LOCATION"] = ["cookies"]
    token = create_access_token("alice")
    status, body = flask_request(
        app,
        "protected",
        {"X-CSRF-TOKEN": get_csrf_token(token)},
        method="post",
        cookies={"access_token_cookie": token},
    )
    assert status == 200
    assert body["identity"] == "alice"


# The same claims layout.

LAYOUT_CASES = {
    "access": ("access", {}, {}),
    "refresh": ("refresh", {}, {}),
    "fresh": ("access", {"fresh": True}, {}),
    "fresh-for-a-while": ("access", {"fresh": timedelta(minutes=5)}, {}),
    "no-expiry": ("access", {"expires_delta": False}, {}),
    "short-expiry": ("access", {"expires_delta": timedelta(seconds=30)}, {}),
    "additional-claims": ("access", {"additional_claims": {"role": "admin", "n": 1}}, {}),
    "audience-and-issuer": (
        "access",
        {},
        {"JWT_ENCODE_AUDIENCE": "api", "JWT_ENCODE_ISSUER": "https://issuer.example"},
    ),
    "several-audiences": ("refresh", {}, {"JWT_ENCODE_AUDIENCE": ["api", "admin"]}),
    "no-nbf": ("access", {}, {"JWT_ENCODE_NBF": False}),
    "no-csrf": ("access", {}, {"JWT_COOKIE_CSRF_PROTECT": False}),
    "identity-claim": ("access", {}, {"JWT_IDENTITY_CLAIM": "identity"}),
    "int-expiry-setting": ("access", {}, {"JWT_ACCESS_TOKEN_EXPIRES": 120}),
}


@pytest.mark.parametrize("case", LAYOUT_CASES)
def test_claims_layout_is_identical(settings, shared, case):
    kind, arguments, options = LAYOUT_CASES[case]
    for name, value in options.items():
        setattr(settings, name, list(value) if isinstance(value, list) else value)
    app = make_flask_app(**shared, **options)
    create = create_access_token if kind == "access" else create_refresh_token
    ours = create("alice", **arguments)
    theirs = flask_create(app, kind, **arguments)
    assert layout(ours) == layout(theirs)
    # The same header, but for the kid naming a public key (RFC 7638 thumbprint).
    expected = get_unverified_jwt_headers(theirs)
    if shared["JWT_ALGORITHM"] == "RS256":
        expected["kid"] = rfc7638_thumbprint(shared["JWT_PUBLIC_KEY"])
    assert get_unverified_jwt_headers(ours) == expected
    ours_claims, their_claims = raw_claims(ours), raw_claims(theirs)
    # Claims that depend on the clock or on chance are compared below or not at all.
    varying = {"iat", "nbf", "exp", "fresh", "jti", "csrf"}

    def stable(claims):
        return {name: value for name, value in claims.items() if name not in varying}

    assert stable(ours_claims) == stable(their_claims)
    assert abs(ours_claims["iat"] - their_claims["iat"]) <= 2
    if "exp" in their_claims:
        lifetime = their_claims["exp"] - their_claims["iat"]
        assert ours_claims["exp"] - int(ours_claims["iat"]) == lifetime
    if isinstance(their_claims["fresh"], bool):
        assert ours_claims["fresh"] is their_claims["fresh"]
    else:
        assert abs(ours_claims["fresh"] - their_claims["fresh"]) <= 2


def test_without_its_kid_our_header_is_flasks(app):
    ours = create_access_token("alice", additional_headers={"kid": None})
    assert get_unverified_jwt_headers(ours) == get_unverified_jwt_headers(flask_create(app))


def test_additional_headers_are_identical(app):
    ours = create_access_token("alice", additional_headers={"kid": "k1"})
    theirs = flask_create(app, additional_headers={"kid": "k1"})
    assert get_unverified_jwt_headers(ours) == get_unverified_jwt_headers(theirs)


# The same bad request gets the same answer.


def signed(claims, key, algorithm):
    return jwt.encode(claims, key, algorithm=algorithm)


def bad_request(case, shared, stranger_key):
    """Return (variant, headers) of a request both sides must refuse alike.

    Only the token the case needs is made: RSA signing is slow.
    """
    algorithm = shared["JWT_ALGORITHM"]
    key = shared.get("JWT_PRIVATE_KEY") or shared["JWT_SECRET_KEY"]
    now = int(time.time())
    cases = {
        "missing-header": lambda: ("protected", {}),
        "other-scheme": lambda: ("protected", {"Authorization": "Basic YWxpY2U6cHc="}),
        "three-parts": lambda: ("protected", {"Authorization": "Bearer a b"}),
        "bearer-only": lambda: ("protected", {"Authorization": "Bearer"}),
        "two-bearers": lambda: ("protected", {"Authorization": "Bearer x.y.z, Bearer x.y.z"}),
        "not-enough-segments": lambda: ("protected", bearer("abc")),
        "garbage-segments": lambda: ("protected", bearer("a.b.c")),
        "expired": lambda: (
            "protected",
            bearer(create_access_token("alice", expires_delta=timedelta(seconds=-5))),
        ),
        "bad-signature": lambda: (
            "protected",
            bearer(signed({"sub": "alice", "type": "access"}, stranger_key, algorithm)),
        ),
        "alg-not-allowed": lambda: (
            "protected",
            bearer(signed({"sub": "alice"}, OTHER_SECRET, "HS512")),
        ),
        "alg-none": lambda: ("protected", bearer(signed({"sub": "alice"}, None, "none"))),
        "missing-sub": lambda: ("protected", bearer(signed({"type": "access"}, key, algorithm))),
        "sub-not-a-string": lambda: ("protected", bearer(signed({"sub": 42}, key, algorithm))),
        "not-yet-valid": lambda: (
            "protected",
            bearer(signed({"sub": "a", "nbf": now + 600}, key, algorithm)),
        ),
        "refresh-at-access-view": lambda: ("protected", bearer(create_refresh_token("alice"))),
        "access-at-refresh-view": lambda: ("refresh", bearer(create_access_token("alice"))),
        "not-fresh": lambda: ("fresh", bearer(create_access_token("alice"))),
    }
    return cases[case]()


BAD_REQUESTS = [
    "missing-header",
    "other-scheme",
    "three-parts",
    "bearer-only",
    "two-bearers",
    "not-enough-segments",
    "garbage-segments",
    "expired",
    "bad-signature",
    "alg-not-allowed",
    "alg-none",
    "missing-sub",
    "sub-not-a-string",
    "not-yet-valid",
    "refresh-at-access-view",
    "access-at-refresh-view",
    "not-fresh",
]


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
@pytest.mark.parametrize("case", BAD_REQUESTS)
def test_error_response_is_identical(app, shared, stranger_key, case, flavour):
    variant, headers = bad_request(case, shared, stranger_key)
    theirs = flask_request(app, variant, headers)
    ours = django_request(variant, headers, flavour=flavour)
    assert theirs[0] >= 400  # the request is bad for Flask too
    assert ours == theirs


def test_expected_messages_of_the_main_cases(app, shared, stranger_key):
    """Pin the answers themselves, so a change on both sides is noticed."""
    expected = {
        "missing-header": (401, {"msg": "Missing Authorization Header"}),
        "expired": (401, {"msg": "Token has expired"}),
        "bad-signature": (422, {"msg": "Signature verification failed"}),
        "refresh-at-access-view": (422, {"msg": "Only non-refresh tokens are allowed"}),
        "access-at-refresh-view": (422, {"msg": "Only refresh tokens are allowed"}),
        "not-fresh": (401, {"msg": "Fresh token required"}),
    }
    for case, answer in expected.items():
        variant, headers = bad_request(case, shared, stranger_key)
        assert django_request(variant, headers) == answer, case
        assert flask_request(app, variant, headers) == answer, case


@pytest.mark.parametrize("csrf", [None, "wrong-value"])
def test_csrf_error_response_is_identical(app, settings, csrf):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    app.config["JWT_TOKEN_LOCATION"] = ["cookies"]
    token = create_access_token("alice")
    headers = {} if csrf is None else {"X-CSRF-TOKEN": csrf}
    cookies = {"access_token_cookie": token}
    theirs = flask_request(app, "protected", headers, method="post", cookies=cookies)
    ours = django_request("protected", headers, method="post", cookies=cookies)
    assert theirs[0] == 401
    assert ours == theirs


def test_error_message_key_is_honoured_alike(settings, shared):
    settings.JWT_ERROR_MESSAGE_KEY = "error"
    app = make_flask_app(JWT_ERROR_MESSAGE_KEY="error", **shared)
    theirs = flask_request(app, "protected")
    ours = django_request("protected")
    assert ours == theirs == (401, {"error": "Missing Authorization Header"})
