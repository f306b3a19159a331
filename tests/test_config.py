"""Settings: flask-jwt-extended 4.x's names and defaults, read lazily, validated."""

from datetime import timedelta

import jwt
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from flask import Flask
from flask_jwt_extended import JWTManager as FlaskJWTManager
from flask_jwt_extended.config import config as flask_config

from django_jwt_ext import (
    create_access_token,
    create_refresh_token,
    decode_token,
    get_csrf_token,
    get_jti,
    get_unverified_jwt_headers,
)
from django_jwt_ext.config import DEFAULTS, config
from django_jwt_ext.exceptions import CSRFError, JWTDecodeError
from tests.helpers import call, flavour_path

SECRET = "config-secret-0123456789abcdef0123456789abcdef0123456789abcdef012"
DJANGO_SECRET = "django-secret-key-0123456789abcdef0123456789abcdef0123456789abcd"

# Settings of DESIGN.md section 4 that exist in flask-jwt-extended 4.x.
SECTION_4_FLASK_NAMES = [
    "JWT_ACCESS_TOKEN_EXPIRES",
    "JWT_REFRESH_TOKEN_EXPIRES",
    "JWT_ALGORITHM",
    "JWT_DECODE_ALGORITHMS",
    "JWT_SECRET_KEY",
    "JWT_PRIVATE_KEY",
    "JWT_PUBLIC_KEY",
    "JWT_TOKEN_LOCATION",
    "JWT_HEADER_NAME",
    "JWT_HEADER_TYPE",
    "JWT_QUERY_STRING_NAME",
    "JWT_QUERY_STRING_VALUE_PREFIX",
    "JWT_JSON_KEY",
    "JWT_REFRESH_JSON_KEY",
    "JWT_ACCESS_COOKIE_NAME",
    "JWT_ACCESS_COOKIE_PATH",
    "JWT_REFRESH_COOKIE_NAME",
    "JWT_REFRESH_COOKIE_PATH",
    "JWT_COOKIE_SECURE",
    "JWT_COOKIE_DOMAIN",
    "JWT_COOKIE_SAMESITE",
    "JWT_COOKIE_CSRF_PROTECT",
    "JWT_CSRF_METHODS",
    "JWT_CSRF_IN_COOKIES",
    "JWT_CSRF_CHECK_FORM",
    "JWT_ACCESS_CSRF_COOKIE_NAME",
    "JWT_ACCESS_CSRF_COOKIE_PATH",
    "JWT_ACCESS_CSRF_HEADER_NAME",
    "JWT_ACCESS_CSRF_FIELD_NAME",
    "JWT_REFRESH_CSRF_COOKIE_NAME",
    "JWT_REFRESH_CSRF_COOKIE_PATH",
    "JWT_REFRESH_CSRF_HEADER_NAME",
    "JWT_REFRESH_CSRF_FIELD_NAME",
    "JWT_SESSION_COOKIE",
    "JWT_IDENTITY_CLAIM",
    "JWT_ERROR_MESSAGE_KEY",
    "JWT_DECODE_AUDIENCE",
    "JWT_ENCODE_AUDIENCE",
    "JWT_DECODE_ISSUER",
    "JWT_ENCODE_ISSUER",
    "JWT_DECODE_LEEWAY",
    "JWT_VERIFY_SUB",
    "JWT_ENCODE_NBF",
]

# flask-jwt-extended 3.x settings, honoured when a project sets them (DESIGN.md section 9).
FLASK_3X_NAMES = {
    "JWT_USER_CLAIMS",
    "JWT_CLAIMS_IN_REFRESH_TOKEN",
    "JWT_BLACKLIST_ENABLED",
    "JWT_BLACKLIST_TOKEN_CHECKS",
    "JWT_CSRF_HEADER_NAME",
}

# Django-only settings fixed by DESIGN.md (sections 4 and 7), plus the token size guard.
DJANGO_ONLY_NAMES = {
    "JWT_MANAGER",
    "JWT_USER_LOOKUP",
    "JWT_MAX_TOKEN_SIZE",
    "JWT_REVOCATION_BACKEND",
    "JWT_REVOCATION_CACHE_ALIAS",
    "JWT_REVOCATION_CACHE_TIMEOUT",
    "JWT_REVOCATION_FAIL_OPEN",
    "JWT_REFRESH_TOKEN_ROTATION",
    "JWT_IMPLICIT_REFRESH_WINDOW",
    "JWT_SECRET_KEY_FALLBACKS",
    "JWT_PUBLIC_KEY_FALLBACKS",
    "JWT_KEY_ID",
    "JWT_JWKS_URL",
    "JWT_JWKS_CACHE_SECONDS",
    "JWT_JWKS_TIMEOUT",
}

# flask-jwt-extended config properties whose value differs by design: the
# encoder of claims values is Django's (DjangoJSONEncoder), not Flask's.
FLASK_ONLY_VALUES = {"json_encoder"}


def same_value(flask_value, our_value):
    """Equal, and of the same type: flask's lists are lists here too."""
    return flask_value == our_value and type(flask_value) is type(our_value)


def flask_app(**overrides):
    """A Flask app with flask-jwt-extended's defaults plus ``overrides``."""
    app = Flask(__name__)
    app.config.update(overrides)
    FlaskJWTManager(app)
    return app


def config_property_names():
    return sorted(
        name
        for name, value in vars(type(flask_config)).items()
        if isinstance(value, property) and not name.startswith("_")
    )


def clear_jwt_settings(settings):
    """Remove every JWT_* setting the test project and conftest set, except the manager."""
    for name in list(DEFAULTS):
        if name != "JWT_MANAGER" and hasattr(settings, name):
            delattr(settings, name)


def lifetime(token):
    """Seconds from the issue second to expiry (``iat`` may carry a fraction)."""
    claims = decode_token(token)
    return claims["exp"] - int(claims["iat"])


# Defaults.


def test_every_flask_default_is_ours():
    flask_defaults = {
        name: value for name, value in flask_app().config.items() if name.startswith("JWT_")
    }
    assert flask_defaults, "flask-jwt-extended set no defaults?"
    missing = sorted(set(flask_defaults) - set(DEFAULTS))
    assert missing == []
    differing = {
        name: (flask_defaults[name], DEFAULTS[name])
        for name in flask_defaults
        if not same_value(flask_defaults[name], DEFAULTS[name])
    }
    assert differing == {}


def test_our_extra_settings_are_the_django_only_ones():
    flask_names = {name for name in flask_app().config if name.startswith("JWT_")}
    assert set(DEFAULTS) - flask_names == DJANGO_ONLY_NAMES | FLASK_3X_NAMES
    assert DEFAULTS["JWT_MANAGER"] is None
    assert DEFAULTS["JWT_USER_LOOKUP"] == "model"


@pytest.mark.parametrize("name", SECTION_4_FLASK_NAMES)
def test_section_4_setting_has_a_default(name):
    assert name in DEFAULTS
    assert same_value(flask_app().config[name], DEFAULTS[name])


def test_documented_defaults():
    assert DEFAULTS["JWT_ACCESS_TOKEN_EXPIRES"] == timedelta(minutes=15)
    assert DEFAULTS["JWT_REFRESH_TOKEN_EXPIRES"] == timedelta(days=30)
    assert DEFAULTS["JWT_ALGORITHM"] == "HS256"
    assert tuple(DEFAULTS["JWT_TOKEN_LOCATION"]) == ("headers",)
    assert DEFAULTS["JWT_IDENTITY_CLAIM"] == "sub"
    assert DEFAULTS["JWT_ERROR_MESSAGE_KEY"] == "msg"


def test_config_has_every_flask_config_property():
    ours = {name for name in dir(type(config)) if not name.startswith("_")}
    assert set(config_property_names()) <= ours


# The resolved values of every config property agree with flask's, for the
# defaults and for a range of overrides.
RESOLVED_CASES = {
    "defaults": {},
    "int-expiries": {"JWT_ACCESS_TOKEN_EXPIRES": 60, "JWT_REFRESH_TOKEN_EXPIRES": 3600},
    "no-expiry": {"JWT_ACCESS_TOKEN_EXPIRES": False, "JWT_REFRESH_TOKEN_EXPIRES": False},
    "one-location-string": {"JWT_TOKEN_LOCATION": "cookies"},
    "all-locations": {"JWT_TOKEN_LOCATION": ["json", "query_string", "cookies", "headers"]},
    "decode-algorithms": {"JWT_ALGORITHM": "HS512", "JWT_DECODE_ALGORITHMS": ["HS256", "HS384"]},
    "persistent-cookies": {"JWT_SESSION_COOKIE": False},
    "cookie-options": {
        "JWT_COOKIE_SECURE": True,
        "JWT_COOKIE_DOMAIN": ".example.com",
        "JWT_COOKIE_SAMESITE": "Strict",
        "JWT_ACCESS_COOKIE_PATH": "/api/",
        "JWT_REFRESH_COOKIE_PATH": "/token/refresh",
    },
    "csrf-options": {
        "JWT_COOKIE_CSRF_PROTECT": False,
        "JWT_CSRF_METHODS": ["POST", "GET"],
        "JWT_CSRF_CHECK_FORM": True,
        "JWT_CSRF_IN_COOKIES": False,
        "JWT_ACCESS_CSRF_HEADER_NAME": "X-ACCESS-CSRF",
        "JWT_REFRESH_CSRF_FIELD_NAME": "refresh_csrf",
    },
    "names": {
        "JWT_HEADER_NAME": "X-Auth",
        "JWT_HEADER_TYPE": "",
        "JWT_QUERY_STRING_NAME": "token",
        "JWT_QUERY_STRING_VALUE_PREFIX": "Bearer ",
        "JWT_JSON_KEY": "access",
        "JWT_REFRESH_JSON_KEY": "refresh",
        "JWT_IDENTITY_CLAIM": "identity",
        "JWT_ERROR_MESSAGE_KEY": "error",
    },
    "claims": {
        "JWT_ENCODE_AUDIENCE": ["api", "admin"],
        "JWT_DECODE_AUDIENCE": "api",
        "JWT_ENCODE_ISSUER": "issuer",
        "JWT_DECODE_ISSUER": "issuer",
        "JWT_DECODE_LEEWAY": 30,
        "JWT_VERIFY_SUB": False,
        "JWT_ENCODE_NBF": False,
    },
}


@pytest.mark.parametrize("case", RESOLVED_CASES)
def test_resolved_config_matches_flask(settings, case):
    overrides = RESOLVED_CASES[case]
    clear_jwt_settings(settings)
    settings.JWT_SECRET_KEY = SECRET
    for name, value in overrides.items():
        setattr(settings, name, list(value) if isinstance(value, list) else value)
    app = flask_app(
        JWT_SECRET_KEY=SECRET,
        **{
            name: list(value) if isinstance(value, list) else value
            for name, value in overrides.items()
        },
    )
    names = sorted(set(config_property_names()) - FLASK_ONLY_VALUES)
    with app.app_context():
        theirs = {name: getattr(flask_config, name) for name in names}
    ours = {name: getattr(config, name) for name in names}
    differing = {
        name: (theirs[name], ours[name])
        for name in names
        if not same_value(theirs[name], ours[name])
    }
    assert differing == {}


@pytest.mark.django_db
def test_defaults_apply_when_nothing_is_set(settings):
    clear_jwt_settings(settings)
    settings.JWT_SECRET_KEY = SECRET
    assert config.token_location == ("headers",)
    assert config.access_expires == timedelta(minutes=15)
    assert config.refresh_expires == timedelta(days=30)
    assert config.header_name == "Authorization"
    assert config.header_type == "Bearer"
    assert config.identity_claim_key == "sub"
    assert config.error_msg_key == "msg"
    assert config.decode_algorithms == ["HS256"]
    assert config.user_lookup == "model"
    assert lifetime(create_access_token("alice")) == 15 * 60
    assert lifetime(create_refresh_token("alice")) == 30 * 86400


def test_reading_config_never_writes_settings(settings):
    clear_jwt_settings(settings)
    settings.JWT_SECRET_KEY = SECRET
    unset = [name for name in DEFAULTS if not hasattr(settings, name)]
    assert "JWT_REFRESH_JSON_KEY" in unset
    for name in config_property_names():
        getattr(config, name)
    create_access_token("alice")
    assert [name for name in unset if hasattr(settings, name)] == []


# Lifetimes in integer seconds.


def test_testproject_gives_access_lifetime_in_seconds():
    # testproject/settings.py sets JWT_ACCESS_TOKEN_EXPIRES = 15 * 60.
    assert config.access_expires == timedelta(seconds=900)
    assert lifetime(create_access_token("alice")) == 900


@pytest.mark.parametrize("seconds", [1, 60, 3600, 86400 * 7])
def test_integer_access_expiry_is_seconds(settings, seconds):
    settings.JWT_ACCESS_TOKEN_EXPIRES = seconds
    assert config.access_expires == timedelta(seconds=seconds)
    assert lifetime(create_access_token("alice")) == seconds


@pytest.mark.django_db
@pytest.mark.parametrize("seconds", [1, 60, 3600, 86400 * 90])
def test_integer_refresh_expiry_is_seconds(settings, seconds):
    settings.JWT_REFRESH_TOKEN_EXPIRES = seconds
    assert config.refresh_expires == timedelta(seconds=seconds)
    assert lifetime(create_refresh_token("alice")) == seconds


@pytest.mark.django_db
def test_timedelta_expiries(settings):
    settings.JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=2)
    settings.JWT_REFRESH_TOKEN_EXPIRES = timedelta(hours=3)
    assert lifetime(create_access_token("alice")) == 120
    assert lifetime(create_refresh_token("alice")) == 3 * 3600


@pytest.mark.django_db
def test_false_expiry_means_no_exp(settings):
    settings.JWT_ACCESS_TOKEN_EXPIRES = False
    settings.JWT_REFRESH_TOKEN_EXPIRES = False
    assert "exp" not in decode_token(create_access_token("alice"))
    assert "exp" not in decode_token(create_refresh_token("alice"))


def test_expires_delta_argument_wins_over_the_setting(settings):
    settings.JWT_ACCESS_TOKEN_EXPIRES = 60
    assert lifetime(create_access_token("alice", expires_delta=timedelta(seconds=5))) == 5
    assert "exp" not in decode_token(create_access_token("alice", expires_delta=False))


# The secret key.


@pytest.mark.parametrize("jwt_secret", ["unset", None, ""])
def test_secret_key_falls_back_to_django_secret_key(settings, jwt_secret):
    if jwt_secret == "unset":
        del settings.JWT_SECRET_KEY
    else:
        settings.JWT_SECRET_KEY = jwt_secret
    settings.SECRET_KEY = DJANGO_SECRET
    assert config.secret_key == DJANGO_SECRET
    token = create_access_token("alice")
    assert jwt.decode(token, DJANGO_SECRET, algorithms=["HS256"])["sub"] == "alice"
    assert decode_token(token)["sub"] == "alice"


def test_jwt_secret_key_wins_over_django_secret_key(settings):
    settings.JWT_SECRET_KEY = SECRET
    settings.SECRET_KEY = DJANGO_SECRET
    token = create_access_token("alice")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["sub"] == "alice"
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, DJANGO_SECRET, algorithms=["HS256"])


# Changes take effect at once.


def test_settings_fixture_changes_apply_between_two_tokens(settings):
    first = decode_token(create_access_token("alice"))
    settings.JWT_IDENTITY_CLAIM = "identity"
    settings.JWT_ENCODE_ISSUER = "issuer"
    second = decode_token(create_access_token("alice"))
    assert first["sub"] == "alice" and "iss" not in first
    assert second["identity"] == "alice" and second["iss"] == "issuer"
    assert "sub" not in second


def test_override_settings_applies_inside_and_reverts_outside():
    before = create_access_token("alice")
    with override_settings(JWT_ACCESS_TOKEN_EXPIRES=30, JWT_IDENTITY_CLAIM="identity"):
        inside = create_access_token("alice")
        assert lifetime(inside) == 30
        assert decode_token(inside)["identity"] == "alice"
        with pytest.raises(JWTDecodeError) as info:
            decode_token(before)
        assert str(info.value) == "Missing claim: identity"
    after = create_access_token("alice")
    assert lifetime(after) == 900
    assert decode_token(after)["sub"] == "alice"
    with pytest.raises(JWTDecodeError):
        decode_token(inside)


@override_settings(JWT_ACCESS_TOKEN_EXPIRES=45)
def test_override_settings_as_a_decorator():
    assert lifetime(create_access_token("alice")) == 45


def test_secret_change_invalidates_earlier_tokens(settings):
    token = create_access_token("alice")
    assert decode_token(token)["sub"] == "alice"
    settings.JWT_SECRET_KEY = "rotated-" + SECRET
    with pytest.raises(JWTDecodeError) as info:
        decode_token(token)
    assert str(info.value) == "Signature verification failed"


@pytest.mark.django_db
def test_error_message_key_changes_between_two_requests(settings):
    settings.JWT_USER_LOOKUP = None
    client = Client()
    path = flavour_path("sync")
    first = call(client, path)
    settings.JWT_ERROR_MESSAGE_KEY = "error"
    second = call(client, path)
    with override_settings(JWT_ERROR_MESSAGE_KEY="detail"):
        third = call(client, path)
    assert (first.status_code, first.json()) == (401, {"msg": "Missing Authorization Header"})
    assert (second.status_code, second.json()) == (401, {"error": "Missing Authorization Header"})
    assert (third.status_code, third.json()) == (401, {"detail": "Missing Authorization Header"})


@pytest.mark.django_db
def test_header_settings_change_between_two_requests(settings):
    settings.JWT_USER_LOOKUP = None
    client = Client()
    path = flavour_path("sync")
    token = create_access_token("alice")
    accepted = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    settings.JWT_HEADER_TYPE = "JWT"
    refused = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    accepted_again = client.get(path, HTTP_AUTHORIZATION=f"JWT {token}")
    settings.JWT_HEADER_NAME = "X-Token"
    settings.JWT_HEADER_TYPE = ""
    custom = client.get(path, HTTP_X_TOKEN=token)
    assert accepted.status_code == 200
    assert refused.status_code == 401
    assert refused.json() == {
        "msg": "Missing 'JWT' type in 'Authorization' header. Expected 'Authorization: JWT <JWT>'"
    }
    assert accepted_again.status_code == 200
    assert custom.status_code == 200
    assert custom.json()["identity"] == "alice"


@pytest.mark.django_db
def test_token_location_changes_between_two_requests(settings):
    settings.JWT_USER_LOOKUP = None
    client = Client()
    path = flavour_path("sync")
    token = create_access_token("alice")
    refused = call(client, path, token, "query_string")
    settings.JWT_TOKEN_LOCATION = ["query_string"]
    accepted = call(client, path, token, "query_string")
    assert refused.status_code == 401
    assert accepted.status_code == 200
    assert accepted.json()["location"] == "query_string"


# Invalid values are ImproperlyConfigured from the property that reads them.

INVALID = [
    ("JWT_TOKEN_LOCATION", [], "token_location"),
    ("JWT_TOKEN_LOCATION", ["header"], "token_location"),
    ("JWT_TOKEN_LOCATION", 5, "token_location"),
    ("JWT_ACCESS_TOKEN_EXPIRES", "15m", "access_expires"),
    ("JWT_ACCESS_TOKEN_EXPIRES", True, "access_expires"),
    ("JWT_ACCESS_TOKEN_EXPIRES", 1.5, "access_expires"),
    ("JWT_REFRESH_TOKEN_EXPIRES", None, "refresh_expires"),
    ("JWT_ALGORITHM", "none", "algorithm"),
    ("JWT_ALGORITHM", "HS999", "algorithm"),
    ("JWT_DECODE_ALGORITHMS", "HS256", "decode_algorithms"),
    ("JWT_DECODE_ALGORITHMS", ["none"], "decode_algorithms"),
    ("JWT_HEADER_NAME", "", "header_name"),
    ("JWT_HEADER_TYPE", 5, "header_type"),
    ("JWT_QUERY_STRING_NAME", None, "query_string_name"),
    ("JWT_JSON_KEY", "", "json_key"),
    ("JWT_ACCESS_COOKIE_NAME", "", "access_cookie_name"),
    ("JWT_COOKIE_DOMAIN", 5, "cookie_domain"),
    ("JWT_COOKIE_SAMESITE", "Sideways", "cookie_samesite"),
    ("JWT_COOKIE_SECURE", "yes", "cookie_secure"),
    ("JWT_SESSION_COOKIE", 0, "session_cookie"),
    ("JWT_COOKIE_CSRF_PROTECT", None, "cookie_csrf_protect"),
    ("JWT_CSRF_METHODS", "POST", "csrf_request_methods"),
    ("JWT_CSRF_METHODS", [1, 2], "csrf_request_methods"),
    ("JWT_IDENTITY_CLAIM", "", "identity_claim_key"),
    ("JWT_ERROR_MESSAGE_KEY", None, "error_msg_key"),
    ("JWT_DECODE_AUDIENCE", 5, "decode_audience"),
    ("JWT_ENCODE_AUDIENCE", ["api", 5], "encode_audience"),
    ("JWT_ENCODE_ISSUER", 5, "encode_issuer"),
    ("JWT_DECODE_LEEWAY", "10", "leeway"),
    ("JWT_DECODE_LEEWAY", True, "leeway"),
    ("JWT_VERIFY_SUB", "false", "verify_sub"),
    ("JWT_ENCODE_NBF", 1, "encode_nbf"),
    ("JWT_MANAGER", 5, "manager_path"),
    ("JWT_USER_LOOKUP", "db", "user_lookup"),
    ("JWT_MAX_TOKEN_SIZE", 0, "max_token_size"),
    ("JWT_MAX_TOKEN_SIZE", "8192", "max_token_size"),
    ("JWT_REVOCATION_BACKEND", "", "revocation_backend"),
    ("JWT_REVOCATION_CACHE_ALIAS", None, "revocation_cache_alias"),
    ("JWT_REVOCATION_FAIL_OPEN", "yes", "revocation_fail_open"),
    ("JWT_REFRESH_TOKEN_ROTATION", None, "refresh_token_rotation"),
    ("JWT_IMPLICIT_REFRESH_WINDOW", -5, "implicit_refresh_window"),
]


@pytest.mark.parametrize(
    "name, value, option", INVALID, ids=[f"{name}={value!r}" for name, value, _ in INVALID]
)
def test_invalid_value_is_improperly_configured(settings, name, value, option):
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured) as info:
        getattr(config, option)
    assert name in str(info.value)


def test_missing_secret_is_improperly_configured(settings):
    settings.JWT_SECRET_KEY = None
    settings.SECRET_KEY = ""
    with pytest.raises(ImproperlyConfigured) as info:
        config.secret_key
    # Django itself refuses to hand out an empty SECRET_KEY; either message names it.
    assert "SECRET_KEY" in str(info.value)


@pytest.mark.parametrize("option", ["private_key", "public_key"])
def test_missing_asymmetric_key_is_improperly_configured(settings, option):
    settings.JWT_ALGORITHM = "RS256"
    with pytest.raises(ImproperlyConfigured) as info:
        getattr(config, option)
    assert f"JWT_{option.upper()}" in str(info.value)


def test_invalid_value_surfaces_when_creating_a_token(settings):
    settings.JWT_ACCESS_TOKEN_EXPIRES = "15m"
    with pytest.raises(ImproperlyConfigured):
        create_access_token("alice")
    settings.JWT_ACCESS_TOKEN_EXPIRES = 60
    assert lifetime(create_access_token("alice")) == 60


@pytest.mark.parametrize(
    "name, value, option, expected",
    [
        ("JWT_TOKEN_LOCATION", "json", "token_location", ("json",)),
        ("JWT_TOKEN_LOCATION", ("cookies", "headers"), "token_location", ("cookies", "headers")),
        ("JWT_HEADER_TYPE", None, "header_type", ""),
        ("JWT_HEADER_TYPE", "", "header_type", ""),
        ("JWT_CSRF_METHODS", ["post", "Put"], "csrf_request_methods", ["post", "Put"]),
        ("JWT_CSRF_METHODS", ["post", "Put"], "csrf_methods", frozenset({"POST", "PUT"})),
        ("JWT_CSRF_METHODS", ("GET",), "csrf_request_methods", ("GET",)),
        ("JWT_DECODE_LEEWAY", timedelta(seconds=5), "leeway", timedelta(seconds=5)),
        ("JWT_DECODE_LEEWAY", 2.5, "leeway", 2.5),
        ("JWT_ENCODE_AUDIENCE", ["a", "b"], "encode_audience", ["a", "b"]),
        ("JWT_COOKIE_SAMESITE", "Lax", "cookie_samesite", "Lax"),
        ("JWT_SESSION_COOKIE", False, "cookie_max_age", 31540000),
        ("JWT_SESSION_COOKIE", True, "cookie_max_age", None),
        ("JWT_DECODE_ALGORITHMS", [], "decode_algorithms", ["HS256"]),
        ("JWT_DECODE_ALGORITHMS", ("HS512",), "decode_algorithms", ["HS512", "HS256"]),
        ("JWT_TOKEN_LOCATION", {"json"}, "token_location", {"json"}),
        ("JWT_TOKEN_LOCATION", frozenset({"json"}), "token_location", frozenset({"json"})),
        ("JWT_TOKEN_LOCATION", ["json", "cookies"], "locations", ("json", "cookies")),
        ("JWT_USER_LOOKUP", None, "user_lookup", None),
    ],
)
def test_valid_alternative_values(settings, name, value, option, expected):
    setattr(settings, name, value)
    assert same_value(expected, getattr(config, option))


# The token API follows the settings.


def test_decode_token_allow_expired(settings):
    token = create_access_token("alice", expires_delta=timedelta(seconds=-5))
    with pytest.raises(jwt.ExpiredSignatureError):
        decode_token(token)
    assert decode_token(token, allow_expired=True)["sub"] == "alice"


def test_decode_token_checks_the_csrf_value():
    token = create_access_token("alice")
    csrf = get_csrf_token(token)
    assert decode_token(token, csrf_value=csrf)["csrf"] == csrf
    with pytest.raises(CSRFError):
        decode_token(token, csrf_value="not-" + csrf)


def test_csrf_claim_follows_jwt_cookie_csrf_protect(settings):
    assert "csrf" in decode_token(create_access_token("alice"))
    settings.JWT_COOKIE_CSRF_PROTECT = False
    token = create_access_token("alice")
    assert "csrf" not in decode_token(token)
    with pytest.raises(JWTDecodeError) as info:
        get_csrf_token(token)
    assert str(info.value) == "Missing claim: csrf"


def test_get_jti_verifies_and_returns_the_jti(settings):
    token = create_access_token("alice")
    assert get_jti(token) == decode_token(token)["jti"]
    settings.JWT_SECRET_KEY = "rotated-" + SECRET
    with pytest.raises(JWTDecodeError):
        get_jti(token)


def test_get_unverified_jwt_headers_needs_no_valid_signature(settings):
    token = create_access_token("alice", additional_headers={"kid": "k1"})
    settings.JWT_SECRET_KEY = "rotated-" + SECRET
    assert get_unverified_jwt_headers(token) == {"alg": "HS256", "typ": "JWT", "kid": "k1"}


@pytest.mark.parametrize("token", [None, 12345, b"bytes.token.value"])
def test_decode_token_refuses_non_strings(token):
    with pytest.raises(JWTDecodeError):
        decode_token(token)


def test_max_token_size(settings):
    token = create_access_token("alice")
    settings.JWT_MAX_TOKEN_SIZE = len(token)
    assert decode_token(token)["sub"] == "alice"
    settings.JWT_MAX_TOKEN_SIZE = len(token) - 1
    with pytest.raises(JWTDecodeError):
        decode_token(token)


def test_audience_and_issuer_settings_round_trip(settings):
    settings.JWT_ENCODE_AUDIENCE = ["api", "admin"]
    settings.JWT_DECODE_AUDIENCE = "admin"
    settings.JWT_ENCODE_ISSUER = settings.JWT_DECODE_ISSUER = "https://issuer.example"
    claims = decode_token(create_access_token("alice"))
    assert claims["aud"] == ["api", "admin"]
    assert claims["iss"] == "https://issuer.example"
    settings.JWT_DECODE_AUDIENCE = "billing"
    with pytest.raises(JWTDecodeError) as info:
        decode_token(create_access_token("alice"))
    assert str(info.value) == "Audience doesn't match"


def test_leeway_setting(settings):
    token = create_access_token("alice", expires_delta=timedelta(seconds=-5))
    settings.JWT_DECODE_LEEWAY = 60
    assert decode_token(token)["sub"] == "alice"


def test_verify_sub_setting(settings):
    token = create_access_token(42)
    with pytest.raises(JWTDecodeError) as info:
        decode_token(token)
    assert str(info.value) == "Subject must be a string"
    settings.JWT_VERIFY_SUB = False
    assert decode_token(token)["sub"] == 42


def test_claims_values_are_written_as_flask_writes_them(settings):
    """Dates, datetimes, decimals, UUIDs and dataclasses in additional claims give the
    same JSON as flask-jwt-extended's encoder, so tokens match across the two."""
    import dataclasses
    import datetime
    import decimal
    import json
    import uuid

    from flask_jwt_extended.internal_utils import JSONEncoder as FlaskClaimsEncoder

    @dataclasses.dataclass
    class Point:
        x: int

    values = {
        "date": datetime.date(2022, 8, 12),
        "naive": datetime.datetime(2022, 8, 12, 10, 11, 12),
        "aware": datetime.datetime(
            2022, 8, 12, 10, 11, 12, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
        ),
        "decimal": decimal.Decimal("1.50"),
        "uuid": uuid.UUID(int=5),
        "dataclass": Point(3),
    }
    with flask_app().app_context():
        theirs = json.dumps(values, cls=FlaskClaimsEncoder)
    assert json.dumps(values, cls=config.json_encoder) == theirs
    assert json.loads(theirs)["date"] == "Fri, 12 Aug 2022 00:00:00 GMT"
    token = create_access_token("alice", additional_claims=values)
    assert decode_token(token)["aware"] == "Fri, 12 Aug 2022 08:11:12 GMT"
