"""System checks: each id fires for its problem, and only ours are compared, as whole lists."""

import io

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests.helpers import rsa_pem_pair

PREFIX = "django_jwt_ext."
MIDDLEWARE = "django_jwt_ext.middleware.JWTMiddleware"
CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
CACHE_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"
CACHED_DB_BACKEND = "django_jwt_ext.revocation.cached_db.CachedDatabaseBackend"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"


def our_ids(deploy=False):
    """Return the sorted ids of our check messages."""
    messages = run_checks(include_deployment_checks=deploy)
    return sorted(message.id for message in messages if (message.id or "").startswith(PREFIX))


def ids(*names):
    return sorted(PREFIX + name for name in names)


def with_caches(settings, **aliases):
    """Add cache aliases (alias -> backend path) next to the project's ones."""
    caches = dict(settings.CACHES)
    for alias, backend in aliases.items():
        caches[alias] = {"BACKEND": backend}
        if backend == REDIS:
            caches[alias]["LOCATION"] = "redis://127.0.0.1:1/0"  # checks never connect
    settings.CACHES = caches


@pytest.fixture(scope="module")
def rsa_pems():
    return rsa_pem_pair()


# Clean settings.


@pytest.mark.parametrize("deploy", [False, True])
def test_test_settings_are_clean(deploy):
    assert our_ids(deploy) == []


def test_clean_rsa_settings(settings, rsa_pems):
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_PRIVATE_KEY, settings.JWT_PUBLIC_KEY = rsa_pems
    assert our_ids(deploy=True) == []


def test_clean_cookie_settings_for_production(settings):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    settings.JWT_COOKIE_SECURE = True
    settings.JWT_COOKIE_SAMESITE = "Lax"
    assert our_ids(deploy=True) == []


# Errors: one invalid setting, one error with the matching id.

ERRORS = [
    ("JWT_TOKEN_LOCATION", ["header"], "E001"),
    ("JWT_TOKEN_LOCATION", [], "E001"),
    ("JWT_ACCESS_TOKEN_EXPIRES", "15m", "E002"),
    ("JWT_REFRESH_TOKEN_EXPIRES", None, "E002"),
    ("JWT_ALGORITHM", "HS999", "E003"),
    ("JWT_ALGORITHM", "none", "E003"),
    ("JWT_DECODE_ALGORITHMS", ["HS256", "none"], "E004"),
    ("JWT_DECODE_ALGORITHMS", "HS256", "E004"),
    ("JWT_HEADER_NAME", "", "E006"),
    ("JWT_HEADER_TYPE", 5, "E006"),
    ("JWT_QUERY_STRING_NAME", None, "E006"),
    ("JWT_JSON_KEY", "", "E006"),
    ("JWT_REFRESH_COOKIE_NAME", "", "E006"),
    ("JWT_ACCESS_CSRF_HEADER_NAME", None, "E006"),
    ("JWT_IDENTITY_CLAIM", "", "E006"),
    ("JWT_ERROR_MESSAGE_KEY", 0, "E006"),
    ("JWT_COOKIE_DOMAIN", 5, "E006"),
    ("JWT_COOKIE_SAMESITE", "Sideways", "E007"),
    ("JWT_CSRF_METHODS", "POST", "E008"),
    ("JWT_DECODE_LEEWAY", "10", "E009"),
    ("JWT_MANAGER", "tests.no_such_module.jwt", "E010"),
    ("JWT_MANAGER", "testproject.settings.DEBUG", "E010"),
    ("JWT_MANAGER", 5, "E010"),
    ("JWT_USER_LOOKUP", "db", "E011"),
    ("JWT_MAX_TOKEN_SIZE", 0, "E012"),
    ("JWT_ENCODE_AUDIENCE", 5, "E013"),
    ("JWT_DECODE_ISSUER", ["a"], "E013"),
    ("JWT_COOKIE_SECURE", "yes", "E014"),
    ("JWT_ENCODE_NBF", None, "E014"),
    ("JWT_VERIFY_SUB", 1, "E014"),
    ("JWT_REVOCATION_FAIL_OPEN", "no", "E014"),
    ("JWT_REFRESH_TOKEN_ROTATION", 1, "E014"),
    ("JWT_REVOCATION_CACHE_ALIAS", "", "E006"),
    ("JWT_IMPLICIT_REFRESH_WINDOW", -5, "E009"),
    ("JWT_REVOCATION_BACKEND", "django_jwt_ext.revocation.nowhere.Backend", "E016"),
    ("JWT_REVOCATION_BACKEND", "django_jwt_ext.config.Config", "E016"),
    ("JWT_SECRET_KEY_FALLBACKS", "old-secret-0123456789abcdef0123456789abcdef", "E019"),
    ("JWT_SECRET_KEY_FALLBACKS", [5], "E019"),
    ("JWT_SECRET_KEY_FALLBACKS", [""], "E019"),
    ("JWT_SECRET_KEY_FALLBACKS", [{"kid": "a", "key": "k" * 64, "alg": "HS256"}], "E019"),
    ("JWT_SECRET_KEY_FALLBACKS", [{"kid": 5, "key": "k" * 64}], "E019"),
    ("JWT_SECRET_KEY_FALLBACKS", [{"kid": "a"}], "E019"),
    ("JWT_PUBLIC_KEY_FALLBACKS", {"kid": "k"}, "E019"),
    ("JWT_KEY_ID", "", "E006"),
    ("JWT_KEY_ID", 5, "E006"),
    ("JWT_JWKS_URL", "ftp://idp.example/jwks.json", "E021"),
    ("JWT_JWKS_URL", "idp.example/jwks.json", "E021"),
    ("JWT_JWKS_URL", "https://[::1/jwks.json", "E021"),
    ("JWT_JWKS_URL", ["https://idp.example/jwks.json"], "E021"),
    ("JWT_JWKS_CACHE_SECONDS", 0, "E009"),
    ("JWT_JWKS_CACHE_SECONDS", float("inf"), "E009"),
    ("JWT_JWKS_TIMEOUT", "5", "E009"),
    ("JWT_JWKS_TIMEOUT", -1, "E009"),
]


@pytest.mark.parametrize(
    "name, value, check_id", ERRORS, ids=[f"{name}={value!r}" for name, value, _ in ERRORS]
)
def test_invalid_setting_is_reported_once(settings, name, value, check_id):
    setattr(settings, name, value)
    assert our_ids() == ids(check_id)


@pytest.mark.parametrize(
    "name, value, check_id", ERRORS, ids=[f"{name}={value!r}" for name, value, _ in ERRORS]
)
def test_invalid_setting_is_not_repeated_by_deploy_checks(settings, name, value, check_id):
    setattr(settings, name, value)
    assert our_ids(deploy=True) == ids(check_id)


def test_error_message_names_the_setting(settings):
    settings.JWT_TOKEN_LOCATION = ["header"]
    messages = [m for m in run_checks() if m.id == PREFIX + "E001"]
    assert len(messages) == 1
    assert "JWT_TOKEN_LOCATION" in messages[0].msg
    assert messages[0].is_serious()


def test_two_invalid_settings_give_two_errors(settings):
    settings.JWT_TOKEN_LOCATION = "nowhere"
    settings.JWT_COOKIE_SAMESITE = "Sideways"
    assert our_ids() == ids("E001", "E007")


# E005: keys the algorithm needs.


def test_rsa_without_keys(settings):
    settings.JWT_ALGORITHM = "RS256"
    assert our_ids() == ids("E005", "E005")


@pytest.mark.parametrize("missing", ["JWT_PRIVATE_KEY", "JWT_PUBLIC_KEY"])
def test_rsa_with_one_key_missing(settings, rsa_pems, missing):
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_PRIVATE_KEY, settings.JWT_PUBLIC_KEY = rsa_pems
    setattr(settings, missing, None)
    messages = [m for m in run_checks() if (m.id or "").startswith(PREFIX)]
    assert sorted(m.id for m in messages) == ids("E005")
    assert missing in messages[0].msg


@pytest.mark.parametrize("unparsable", ["JWT_PRIVATE_KEY", "JWT_PUBLIC_KEY"])
def test_rsa_with_an_unparsable_key(settings, rsa_pems, unparsable):
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_PRIVATE_KEY, settings.JWT_PUBLIC_KEY = rsa_pems
    setattr(settings, unparsable, "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----")
    assert our_ids() == ids("E005")


def test_hmac_secret_missing_is_reported_once(settings):
    # One secret signs and verifies: one problem, one message.
    settings.JWT_SECRET_KEY = None
    settings.SECRET_KEY = ""
    assert our_ids() == ids("E005")


def test_hmac_algorithm_with_a_public_key_as_secret(settings, rsa_pems):
    # One secret signs and verifies: one problem, one message.
    settings.JWT_SECRET_KEY = rsa_pems[1]
    assert our_ids() == ids("E005")


# Warnings.


def test_w001_typo_of_a_setting_name(settings):
    settings.JWT_ACESS_TOKEN_EXPIRES = 60
    messages = [m for m in run_checks() if (m.id or "").startswith(PREFIX)]
    assert sorted(m.id for m in messages) == ids("W001")
    assert "JWT_ACCESS_TOKEN_EXPIRES" in messages[0].hint


@pytest.mark.parametrize("name", ["JWT_TOKEN_LOCATIONS", "JWT_SECRET_KY", "JWT_COOKIE_SECUR"])
def test_w001_other_typos(settings, name):
    setattr(settings, name, "x")
    assert our_ids() == ids("W001")


def test_unrelated_jwt_names_are_left_alone(settings):
    settings.JWT_SOMETHING_OF_MY_OWN = "x"
    assert our_ids() == []


# flask-jwt-extended 3.x settings are honoured (DESIGN.md section 9): valid
# values raise nothing (W002, "a 3.x setting without effect", is retired), and
# invalid ones are E018.
FLASK_3X_VALID = [
    ("JWT_BLACKLIST_ENABLED", True),
    ("JWT_BLACKLIST_ENABLED", False),
    ("JWT_BLACKLIST_TOKEN_CHECKS", ["refresh"]),
    ("JWT_BLACKLIST_TOKEN_CHECKS", "access"),
    ("JWT_USER_CLAIMS", "user_claims"),
    ("JWT_CLAIMS_IN_REFRESH_TOKEN", True),
    ("JWT_CSRF_HEADER_NAME", "X-CSRF"),
]
FLASK_3X_INVALID = [
    ("JWT_BLACKLIST_ENABLED", "yes"),
    ("JWT_BLACKLIST_TOKEN_CHECKS", ["bogus"]),
    ("JWT_BLACKLIST_TOKEN_CHECKS", 5),
    ("JWT_USER_CLAIMS", ""),
    ("JWT_CLAIMS_IN_REFRESH_TOKEN", "no"),
    ("JWT_CSRF_HEADER_NAME", 5),
]


@pytest.mark.parametrize("name, value", FLASK_3X_VALID)
def test_flask_3x_setting_is_honoured_without_a_message(settings, name, value):
    setattr(settings, name, value)
    assert our_ids() == []


@pytest.mark.parametrize("name, value", FLASK_3X_INVALID)
def test_e018_invalid_flask_3x_setting(settings, name, value):
    setattr(settings, name, value)
    assert our_ids() == ids("E018")


def test_w003_middleware_missing(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    assert our_ids() == ids("W003")


def test_e015_middleware_after_csrf(settings):
    middleware = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    middleware.insert(middleware.index(CSRF_MIDDLEWARE) + 1, MIDDLEWARE)
    settings.MIDDLEWARE = middleware
    assert our_ids() == ids("E015")


def test_middleware_without_csrf_middleware_is_fine(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != CSRF_MIDDLEWARE]
    assert our_ids() == []


def test_w007_hmac_and_public_key_algorithms_mixed(settings):
    settings.JWT_DECODE_ALGORITHMS = ["HS256", "RS256"]
    assert our_ids() == ids("W007")


def test_several_hmac_algorithms_are_not_mixed(settings):
    settings.JWT_DECODE_ALGORITHMS = ["HS256", "HS512"]
    assert our_ids() == []


# The revocation store.


@pytest.mark.parametrize("backend", [CACHE_BACKEND, CACHED_DB_BACKEND])
def test_e017_cache_alias_missing_from_caches(settings, backend):
    settings.JWT_REVOCATION_BACKEND = backend
    settings.JWT_REVOCATION_CACHE_ALIAS = "revocations"
    assert our_ids() == ids("E017")
    assert our_ids(deploy=True) == ids("E017")


def test_cache_alias_is_ignored_by_the_database_backend(settings):
    settings.JWT_REVOCATION_CACHE_ALIAS = "revocations"
    assert our_ids(deploy=True) == []


@pytest.mark.parametrize("backend", [CACHE_BACKEND, CACHED_DB_BACKEND])
def test_w009_per_process_cache_as_the_revocation_store(settings, backend):
    with_caches(settings, local=LOCMEM)
    settings.JWT_REVOCATION_BACKEND = backend
    settings.JWT_REVOCATION_CACHE_ALIAS = "local"
    assert our_ids() == []
    assert our_ids(deploy=True) == ids("W009")


@pytest.mark.parametrize("backend", [CACHE_BACKEND, CACHED_DB_BACKEND])
def test_shared_cache_as_the_revocation_store_is_fine(settings, backend):
    with_caches(settings, shared=REDIS)
    settings.JWT_REVOCATION_BACKEND = backend
    settings.JWT_REVOCATION_CACHE_ALIAS = "shared"
    assert our_ids(deploy=True) == []


def test_w010_fail_open(settings):
    settings.JWT_REVOCATION_FAIL_OPEN = True
    assert our_ids() == []
    assert our_ids(deploy=True) == ids("W010")


# Deploy checks.


def test_w004_insecure_cookies(settings):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    assert our_ids() == []
    assert our_ids(deploy=True) == ids("W004")


def test_insecure_cookie_setting_without_cookies_is_fine(settings):
    settings.JWT_COOKIE_SECURE = False
    assert our_ids(deploy=True) == []


@pytest.mark.parametrize(
    "algorithm, length, warned",
    [
        ("HS256", 31, True),
        ("HS256", 32, False),
        ("HS384", 47, True),
        ("HS384", 48, False),
        ("HS512", 63, True),
        ("HS512", 64, False),
    ],
)
def test_w005_short_hmac_key(settings, algorithm, length, warned):
    settings.JWT_ALGORITHM = algorithm
    settings.JWT_SECRET_KEY = "k" * length
    assert our_ids() == []
    assert our_ids(deploy=True) == (ids("W005") if warned else [])


def test_w005_counts_bytes_not_characters(settings):
    settings.JWT_SECRET_KEY = "é" * 16  # 16 characters, 32 bytes
    assert our_ids(deploy=True) == []
    settings.JWT_SECRET_KEY = "é" * 15  # 30 bytes
    assert our_ids(deploy=True) == ids("W005")


def test_w005_applies_to_the_django_secret_key_fallback(settings):
    settings.JWT_SECRET_KEY = None
    settings.SECRET_KEY = "short-django-secret"
    assert our_ids(deploy=True) == ids("W005")


def test_w006_csrf_off_with_cookies(settings):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    settings.JWT_COOKIE_SECURE = True
    settings.JWT_COOKIE_CSRF_PROTECT = False
    assert our_ids() == []
    assert our_ids(deploy=True) == ids("W006")


def test_csrf_off_without_cookies_is_fine(settings):
    settings.JWT_COOKIE_CSRF_PROTECT = False
    assert our_ids(deploy=True) == []


def test_w004_and_w006_together(settings):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    settings.JWT_COOKIE_CSRF_PROTECT = False
    assert our_ids(deploy=True) == ids("W004", "W006")


def test_w008_access_tokens_never_expire(settings):
    settings.JWT_ACCESS_TOKEN_EXPIRES = False
    assert our_ids() == []
    assert our_ids(deploy=True) == ids("W008")


def test_refresh_tokens_without_expiry_are_not_w008(settings):
    settings.JWT_REFRESH_TOKEN_EXPIRES = False
    assert our_ids(deploy=True) == []


def test_everything_wrong_for_production_at_once(settings):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    settings.JWT_COOKIE_CSRF_PROTECT = False
    settings.JWT_ACCESS_TOKEN_EXPIRES = False
    settings.JWT_SECRET_KEY = "short"
    settings.JWT_SECERT_KEY = "typo"
    assert our_ids(deploy=True) == ids("W001", "W004", "W005", "W006", "W008")


# manage.py check.


def test_check_command_passes_on_clean_settings():
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


def test_check_command_fails_on_an_error(settings):
    settings.JWT_TOKEN_LOCATION = ["header"]
    with pytest.raises(SystemCheckError) as info:
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    assert "django_jwt_ext.E001" in str(info.value)


def test_check_command_only_warns_on_a_warning(settings):
    settings.JWT_SECERT_KEY = "typo"
    err = io.StringIO()
    call_command("check", stdout=io.StringIO(), stderr=err)
    assert "django_jwt_ext.W001" in err.getvalue()


def test_check_deploy_command_fails_on_an_error_too(settings):
    settings.JWT_ALGORITHM = "RS256"
    with pytest.raises(SystemCheckError) as info:
        call_command("check", deploy=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert "django_jwt_ext.E005" in str(info.value)


@pytest.mark.parametrize("secret", [12345, ["a-list"]], ids=["int", "list"])
def test_non_string_secret_does_not_crash_deploy_checks(settings, secret):
    settings.JWT_SECRET_KEY = secret
    errors = our_ids()
    assert set(errors) == {PREFIX + "E005"}
    # Deploy checks skip an unusable key instead of raising; they add nothing.
    assert our_ids(deploy=True) == errors


@pytest.mark.parametrize(
    "methods, flagged",
    [(["POST"], "PUT, PATCH, DELETE"), (["POST", "PUT", "PATCH"], "DELETE"), ("GET", None)],
)
def test_w013_csrf_methods_leaving_unsafe_methods_unguarded(settings, methods, flagged):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    settings.JWT_COOKIE_SECURE = True
    settings.JWT_CSRF_METHODS = methods if isinstance(methods, list) else [methods]
    found = [m for m in run_checks(include_deployment_checks=True) if m.id == PREFIX + "W013"]
    if methods == "GET":
        assert [m.msg for m in found] == [
            "Token cookies are accepted without the double-submit CSRF check on "
            "POST, PUT, PATCH, DELETE: JWT_CSRF_METHODS leaves them out."
        ]
    else:
        assert [m.msg for m in found] == [
            "Token cookies are accepted without the double-submit CSRF check on "
            f"{flagged}: JWT_CSRF_METHODS leaves them out."
        ]


def test_w013_not_for_header_tokens_nor_the_default_methods(settings):
    settings.JWT_CSRF_METHODS = ["POST"]
    assert "W013" not in " ".join(our_ids(deploy=True))
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    settings.JWT_COOKIE_SECURE = True
    del settings.JWT_CSRF_METHODS
    assert "W013" not in " ".join(our_ids(deploy=True))


# Keys: fallbacks, kids and JWKS (E019-E021, W011, W012, W005).

IDP_JWKS = "https://idp.example/.well-known/jwks.json"
LONG = "fallback-0123456789abcdef0123456789abcdef0123456789abcdef012345678"


def test_clean_rotation_settings(settings, rsa_pems):
    settings.JWT_SECRET_KEY_FALLBACKS = [LONG, {"kid": "2024", "key": LONG[::-1]}]
    settings.JWT_KEY_ID = "2025"
    assert our_ids(deploy=True) == []
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_PRIVATE_KEY, settings.JWT_PUBLIC_KEY = rsa_pems
    settings.JWT_PUBLIC_KEY_FALLBACKS = [rsa_pem_pair()[1]]
    assert our_ids(deploy=True) == []


def test_e019_names_the_entry_and_never_prints_the_secret(settings):
    settings.JWT_SECRET_KEY_FALLBACKS = [LONG, 5]
    (message,) = [m for m in run_checks() if m.id == PREFIX + "E019"]
    assert message.msg == (
        "JWT_SECRET_KEY_FALLBACKS[1] must be a non-empty secret (a string or bytes); got int."
    )
    settings.JWT_SECRET_KEY_FALLBACKS = "not-a-list-" + LONG
    (message,) = [m for m in run_checks() if m.id == PREFIX + "E019"]
    assert LONG not in message.msg


def test_e019_a_fallback_of_the_wrong_key_type(settings, rsa_pems):
    ec_private = ec.generate_private_key(ec.SECP256R1())
    ec_public = ec_private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    settings.JWT_ALGORITHM = "ES256"
    settings.JWT_PRIVATE_KEY = ec_private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    settings.JWT_PUBLIC_KEY = ec_public
    settings.JWT_PUBLIC_KEY_FALLBACKS = [rsa_pems[1]]
    messages = [m for m in run_checks() if m.id == PREFIX + "E019"]
    assert [m.msg.split(":")[0] for m in messages] == [
        "JWT_PUBLIC_KEY_FALLBACKS[0] cannot be used with ES256"
    ]
    # Accepting the RSA key's algorithm makes it a fallback of an algorithm change.
    settings.JWT_DECODE_ALGORITHMS = ["RS256"]
    assert our_ids() == []


def test_e019_an_hmac_fallback_that_is_a_public_key(settings, rsa_pems):
    settings.JWT_SECRET_KEY_FALLBACKS = [rsa_pems[1]]
    assert our_ids() == ids("E019")


@pytest.mark.parametrize(
    ("key_id", "fallbacks"),
    [
        ("2024", [{"kid": "2024", "key": LONG}]),
        (None, [{"kid": "old", "key": LONG}, {"kid": "old", "key": LONG[::-1]}]),
    ],
    ids=["current-and-fallback", "two-fallbacks"],
)
def test_e020_two_keys_share_a_kid(settings, key_id, fallbacks):
    settings.JWT_KEY_ID = key_id
    settings.JWT_SECRET_KEY_FALLBACKS = fallbacks
    assert our_ids() == ids("E020")


def test_w011_a_fallback_equal_to_the_current_key(settings):
    settings.JWT_SECRET_KEY = LONG
    settings.JWT_SECRET_KEY_FALLBACKS = [LONG.encode()]
    assert our_ids() == ids("W011")


def test_w011_the_same_public_key_written_twice(settings, rsa_pems):
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_PRIVATE_KEY, settings.JWT_PUBLIC_KEY = rsa_pems
    settings.JWT_PUBLIC_KEY_FALLBACKS = [rsa_pems[0]]  # its private PEM: the same key
    assert our_ids() == ids("W011")


def test_w005_a_short_fallback_secret(settings):
    settings.JWT_SECRET_KEY_FALLBACKS = [LONG, "short"]
    assert our_ids() == []
    (message,) = [m for m in run_checks(include_deployment_checks=True) if m.id.endswith("W005")]
    assert message.msg == "JWT_SECRET_KEY_FALLBACKS[1] is 5 bytes; it needs at least 32."


def test_a_jwks_only_app_needs_no_key_pair(settings):
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_JWKS_URL = IDP_JWKS
    assert our_ids(deploy=True) == []
    settings.JWT_JWKS_URL = None
    assert our_ids() == ids("E005", "E005")


def test_e005_an_unusable_key_is_reported_with_a_jwks_too(settings):
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_JWKS_URL = IDP_JWKS
    settings.JWT_PUBLIC_KEY = "not a pem"
    assert our_ids() == ids("E005")


def test_e021_no_public_key_algorithm_for_the_jwks(settings):
    settings.JWT_JWKS_URL = IDP_JWKS
    assert our_ids() == ids("E021")
    settings.JWT_DECODE_ALGORITHMS = ["RS256"]
    assert our_ids() == ids("W007")  # Accepted, but mixed with HS256.


@pytest.mark.parametrize(
    ("url", "debug", "expected"),
    [
        ("http://idp.example/jwks.json", False, ["W012"]),
        ("http://127.0.0.1:8080/jwks.json", True, []),
        (IDP_JWKS, False, []),
    ],
)
def test_w012_a_plain_http_jwks_outside_debug(settings, url, debug, expected):
    settings.JWT_ALGORITHM = "RS256"
    settings.JWT_JWKS_URL = url
    settings.DEBUG = debug
    assert our_ids() == ids(*expected)


def test_w005_and_e019_name_djangos_fallbacks_when_they_are_used(settings):
    settings.JWT_SECRET_KEY = None
    settings.SECRET_KEY_FALLBACKS = ["short"]
    (message,) = [m for m in run_checks(include_deployment_checks=True) if m.id.endswith("W005")]
    assert message.msg == "SECRET_KEY_FALLBACKS[0] is 5 bytes; it needs at least 32."
    settings.SECRET_KEY_FALLBACKS = [5]
    (message,) = [m for m in run_checks() if m.id.endswith("E019")]
    assert message.msg.startswith("SECRET_KEY_FALLBACKS[0] must be a non-empty secret")
