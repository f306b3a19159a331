"""System checks: invalid settings at startup, risky ones with ``check --deploy``.

Ids are ``django_jwt_ext.E0xx`` (errors) and ``W0xx`` (warnings); an id is
never reused for another problem. ``docs/checks.rst`` has one entry per id.
Messages and hints are in the active language (``LANGUAGE_CODE`` for
``manage.py check``).
"""

import difflib
from itertools import combinations
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext
from jwt.algorithms import get_default_algorithms, requires_cryptography

from .config import DEFAULTS, Config, config
from .i18n import gettext_noop
from .keys import Key, current_key, fallbacks_setting, load_key, public_jwk, thumbprint
from .manager import get_jwt_manager
from .revocation import get_backend
from .revocation.cache import CacheBackend
from .revocation.cached_db import CachedDatabaseBackend

MIDDLEWARE_PATH = "django_jwt_ext.middleware.JWTMiddleware"
CSRF_MIDDLEWARE_PATH = "django.middleware.csrf.CsrfViewMiddleware"

# flask-jwt-extended 3.x settings that 4.x dropped and this app does not honour,
# with what replaces them (a message id: gettext_noop). (JWT_USER_CLAIMS,
# JWT_CLAIMS_IN_REFRESH_TOKEN, JWT_BLACKLIST_ENABLED, JWT_BLACKLIST_TOKEN_CHECKS
# and JWT_CSRF_HEADER_NAME are honoured: see docs/migrating.rst.)
FLASK_3X_SETTINGS: dict[str, str] = {}

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)

# RFC 7518 3.2: an HMAC key must be at least as long as the hash output.
HMAC_MIN_BYTES = {"HS256": 32, "HS384": 48, "HS512": 64}


def error(check_id: str, message: str, hint: str | None = None) -> checks.Error:
    return checks.Error(message, hint=hint, id=f"django_jwt_ext.{check_id}")


def warning(check_id: str, message: str, hint: str | None = None) -> checks.Warning:
    return checks.Warning(message, hint=hint, id=f"django_jwt_ext.{check_id}")


def failure(option: str) -> str | None:
    """Return why config property ``option`` cannot be read, or ``None``."""
    try:
        getattr(config, option)
    except ImproperlyConfigured as exc:
        return str(exc)
    return None


@checks.register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Report settings whose values this app cannot use."""
    messages: list[checks.CheckMessage] = []
    algorithm_failed = failure("algorithm") is not None
    for option in Config.options():
        if option.check is None:
            continue  # A dedicated check reports it.
        if option.attribute == "decode_algorithms" and algorithm_failed:
            continue  # It includes JWT_ALGORITHM: E003 already says what is wrong.
        reason = failure(option.attribute)
        if reason is not None:
            messages.append(error(option.check, reason))
    if not algorithm_failed:
        messages.extend(check_keys())
        messages.extend(check_fallback_keys())
        messages.extend(check_algorithm_mix())
        messages.extend(check_jwks())
    messages.extend(check_manager())
    messages.extend(check_revocation_store())
    messages.extend(check_setting_names())
    return messages


def check_keys() -> list[checks.CheckMessage]:
    """E005: the keys the algorithm needs are missing or unusable."""
    algorithm = get_default_algorithms()[config.algorithm]
    messages: list[checks.CheckMessage] = []
    # An HMAC secret signs and verifies: report it once.
    keys = (
        (
            "encode_key",
            "private_key",
            gettext_noop("The signing key cannot be used with %(algorithm)s: %(error)s"),
        ),
        (
            "decode_key",
            "public_key",
            gettext_noop("The verification key cannot be used with %(algorithm)s: %(error)s"),
        ),
    )
    # An app that verifies the tokens of a JWKS may have no key pair of its own.
    jwks_only = config.is_asymmetric and settled("jwks_url") and config.jwks_url is not None
    for option, raw_option, message in keys if config.is_asymmetric else keys[:1]:
        if jwks_only and not config.is_set(raw_option):
            continue
        try:
            key = getattr(config, option)
        except ImproperlyConfigured as exc:
            messages.append(error("E005", str(exc)))
            continue
        try:
            algorithm.prepare_key(key)
        except Exception as exc:  # PyJWT raises several unrelated types here.
            messages.append(
                error(
                    "E005",
                    gettext(message) % {"algorithm": config.algorithm, "error": exc},
                )
            )
    return messages


def check_fallback_keys() -> list[checks.CheckMessage]:
    """E019: a fallback key fits no accepted algorithm; E020: two keys share a kid;
    W011: a key is listed twice (a fallback equal to the current key...)."""
    if not settled("decode_algorithms", "secret_key_fallbacks", "public_key_fallbacks", "key_id"):
        return []  # Their own checks (E004, E019, E006) say what is wrong.
    messages: list[checks.CheckMessage] = []
    keys: list[Key] = []
    try:
        current = current_key()
    except ImproperlyConfigured:
        current = None  # E005 reports it.
    if current is not None:
        keys.append(current)
    setting = fallbacks_setting()
    for position, entry in enumerate(config.decode_key_fallbacks):
        try:
            keys.append(load_key(entry.key, entry.kid, f"{setting}[{position}]"))
        except ImproperlyConfigured as exc:
            messages.append(
                error(
                    "E019",
                    str(exc),
                    hint=gettext(
                        "Remove the key, or accept its algorithm in JWT_DECODE_ALGORITHMS."
                    ),
                )
            )
    for first, second in combinations(keys, 2):
        if material(first) == material(second):
            messages.append(
                warning(
                    "W011",
                    gettext("%(copy)s is the same key as %(key)s.")
                    % {"copy": second.source, "key": first.source},
                    hint=gettext("A key verifies once; remove the copy."),
                )
            )
        elif first.kid is not None and first.kid == second.kid:
            messages.append(
                error(
                    "E020",
                    gettext("%(first)s and %(second)s have the same kid %(kid)s.")
                    % {"first": first.source, "second": second.source, "kid": repr(first.kid)},
                    hint=gettext(
                        "A kid must name one key: tokens carrying it would verify with "
                        "%(first)s only."
                    )
                    % {"first": first.source},
                )
            )
    return messages


def material(key: Key) -> Any:
    """Return what tells keys apart: an HMAC secret's bytes, a public key's thumbprint."""
    return thumbprint(public_jwk(key.key, key.alg)) if key.is_public else key.key


def check_jwks() -> list[checks.CheckMessage]:
    """E021: no public-key algorithm is accepted for JWT_JWKS_URL's keys;
    W012: the URL is plain http outside DEBUG."""
    if not settled("jwks_url", "decode_algorithms") or config.jwks_url is None:
        return []
    messages: list[checks.CheckMessage] = []
    if not set(config.decode_algorithms) & requires_cryptography:
        messages.append(
            error(
                "E021",
                gettext(
                    "JWT_JWKS_URL is set but no public-key algorithm is accepted: %(algorithms)s."
                )
                % {"algorithms": sorted(config.decode_algorithms)},
                hint=gettext(
                    "Add the identity provider's algorithm (RS256, most often) to "
                    "JWT_DECODE_ALGORITHMS, or make it JWT_ALGORITHM."
                ),
            )
        )
    if urlsplit(config.jwks_url).scheme != "https" and not settings.DEBUG:
        messages.append(
            warning(
                "W012",
                gettext(
                    "JWT_JWKS_URL %(url)s is not https: whoever can alter the traffic can "
                    "supply keys, and sign tokens this app accepts."
                )
                % {"url": repr(config.jwks_url)},
                hint=gettext("Use the identity provider's https:// JWKS URL."),
            )
        )
    return messages


def check_algorithm_mix() -> list[checks.CheckMessage]:
    """W007: accepting HMAC and public-key algorithms together invites key confusion."""
    try:
        algorithms = set(config.decode_algorithms)
    except ImproperlyConfigured:
        return []
    asymmetric = algorithms & requires_cryptography
    if asymmetric and algorithms - asymmetric:
        return [
            warning(
                "W007",
                gettext(
                    "JWT_DECODE_ALGORITHMS mixes HMAC and public-key algorithms: %(algorithms)s."
                )
                % {"algorithms": sorted(algorithms)},
                hint=gettext("One key cannot serve both kinds; accept one kind only."),
            )
        ]
    return []


def check_manager() -> list[checks.CheckMessage]:
    """E010: JWT_MANAGER does not name a JWTManager."""
    try:
        get_jwt_manager()
    except ImproperlyConfigured as exc:
        return [error("E010", str(exc))]
    return []


def check_revocation_store() -> list[checks.CheckMessage]:
    """E016: JWT_REVOCATION_BACKEND unusable; E017: its cache alias is not in CACHES."""
    try:
        backend = get_backend()
    except ImproperlyConfigured as exc:
        return [error("E016", str(exc))]
    alias_known = settled("revocation_cache_alias")
    if uses_cache(backend) and alias_known and config.revocation_cache_alias not in settings.CACHES:
        return [
            error(
                "E017",
                gettext("JWT_REVOCATION_CACHE_ALIAS %(alias)s is not a key of CACHES.")
                % {"alias": repr(config.revocation_cache_alias)},
            )
        ]
    return []


def uses_cache(backend: Any) -> bool:
    return isinstance(backend, CacheBackend | CachedDatabaseBackend)


def check_setting_names() -> list[checks.CheckMessage]:
    """W001: a JWT_* setting that looks like a typo; W002: a flask-jwt-extended 3.x name."""
    messages: list[checks.CheckMessage] = []
    for name in sorted(n for n in dir(settings) if n.startswith("JWT_")):
        if name in DEFAULTS:
            continue
        if name in FLASK_3X_SETTINGS:
            messages.append(
                warning(
                    "W002",
                    gettext("%(setting)s is a flask-jwt-extended 3.x setting that has no effect.")
                    % {"setting": name},
                    hint=gettext(FLASK_3X_SETTINGS[name]),
                )
            )
            continue
        close = difflib.get_close_matches(name, DEFAULTS, n=1, cutoff=0.85)
        if close:
            messages.append(
                warning(
                    "W001",
                    gettext("%(setting)s is not a setting of django_jwt_ext.") % {"setting": name},
                    hint=gettext("Did you mean %(setting)s?") % {"setting": close[0]},
                )
            )
    return messages


@checks.register()
def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """W003: JWTMiddleware missing; E015: it comes after CsrfViewMiddleware."""
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    if MIDDLEWARE_PATH not in middleware:
        return [
            warning(
                "W003",
                gettext("%(middleware)s is not in MIDDLEWARE.") % {"middleware": MIDDLEWARE_PATH},
                hint=gettext(
                    "Without it, errors of verify_jwt_in_request() called in a view are "
                    "server errors, and POSTs carrying a JWT are refused by CsrfViewMiddleware."
                ),
            )
        ]
    if CSRF_MIDDLEWARE_PATH in middleware and middleware.index(MIDDLEWARE_PATH) > middleware.index(
        CSRF_MIDDLEWARE_PATH
    ):
        return [
            error(
                "E015",
                gettext("%(middleware)s must come before %(csrf)s in MIDDLEWARE.")
                % {"middleware": MIDDLEWARE_PATH, "csrf": CSRF_MIDDLEWARE_PATH},
                hint=gettext("It tells the CSRF middleware which requests carry a JWT."),
            )
        ]
    return []


def settled(*options: str) -> bool:
    """Tell whether every option reads without error (deploy checks skip broken ones)."""
    return all(failure(option) is None for option in options)


@checks.register(checks.Tags.security, deploy=True)
def check_deploy(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn about settings that are valid but unsafe in production."""
    messages: list[checks.CheckMessage] = []
    cookies = settled("token_location") and "cookies" in config.token_location
    if cookies and settled("cookie_secure") and not config.cookie_secure:
        messages.append(
            warning(
                "W004",
                gettext("Token cookies are sent over plain HTTP: JWT_COOKIE_SECURE is False."),
                hint=gettext("Set JWT_COOKIE_SECURE = True when serving over HTTPS."),
            )
        )
    if cookies and settled("cookie_csrf_protect") and not config.cookie_csrf_protect:
        messages.append(
            warning(
                "W006",
                gettext(
                    "Token cookies are accepted without the double-submit CSRF check: "
                    "JWT_COOKIE_CSRF_PROTECT is False."
                ),
                hint=gettext("Keep JWT_COOKIE_CSRF_PROTECT = True when tokens travel in cookies."),
            )
        )
    messages.extend(check_csrf_methods(cookies))
    messages.extend(check_hmac_key_length())
    messages.extend(check_shared_cache())
    if settled("revocation_fail_open") and config.revocation_fail_open:
        messages.append(
            warning(
                "W010",
                gettext(
                    "Revoked tokens are accepted while the revocation store is unreachable: "
                    "JWT_REVOCATION_FAIL_OPEN is True."
                ),
                hint=gettext("Failing closed (503) is the safe default."),
            )
        )
    if settled("access_expires") and config.access_expires is False:
        messages.append(
            warning(
                "W008",
                gettext("Access tokens never expire: JWT_ACCESS_TOKEN_EXPIRES is False."),
                hint=gettext("A leaked access token stays usable until the key changes."),
            )
        )
    return messages


# The methods Django's own CSRF check guards.
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def check_csrf_methods(cookies: bool) -> list[checks.CheckMessage]:
    """W013: cookie tokens on an unsafe method that JWT_CSRF_METHODS leaves out.

    Django's check is waived for requests that present a JWT (DESIGN.md 3.3),
    so such a method has no CSRF protection at all.
    """
    if not cookies or not settled("cookie_csrf_protect", "csrf_request_methods"):
        return []
    if not config.cookie_csrf_protect:
        return []  # W006 says it.
    unguarded = [method for method in UNSAFE_METHODS if method not in config.csrf_methods]
    if not unguarded:
        return []
    return [
        warning(
            "W013",
            gettext(
                "Token cookies are accepted without the double-submit CSRF check on "
                "%(methods)s: JWT_CSRF_METHODS leaves them out."
            )
            % {"methods": ", ".join(unguarded)},
            hint=gettext("Keep POST, PUT, PATCH and DELETE in JWT_CSRF_METHODS."),
        )
    ]


def check_shared_cache() -> list[checks.CheckMessage]:
    """W009: a cache-based revocation store on a per-process cache."""
    try:
        backend = get_backend()
    except ImproperlyConfigured:
        return []
    if not uses_cache(backend) or not settled("revocation_cache_alias"):
        return []
    cache_backend = settings.CACHES.get(config.revocation_cache_alias, {}).get("BACKEND", "")
    if cache_backend not in PER_PROCESS_CACHES:
        return []
    return [
        warning(
            "W009",
            (
                gettext(
                    "The revocation store uses %(cache)s, which each process keeps for itself: "
                    "a token revoked through one server stays valid on the others for up to "
                    "JWT_REVOCATION_CACHE_TIMEOUT seconds."
                )
                if isinstance(backend, CachedDatabaseBackend)
                else gettext(
                    "The revocation store uses %(cache)s, which each process keeps for itself: "
                    "a token revoked through one server stays valid on the others."
                )
            )
            % {"cache": cache_backend},
            hint=gettext("Point JWT_REVOCATION_CACHE_ALIAS at a shared cache such as Redis."),
        )
    ]


def check_hmac_key_length() -> list[checks.CheckMessage]:
    """W005: an HMAC secret (current or fallback) shorter than its hash output."""
    if not settled("algorithm", "secret_key") or config.algorithm not in HMAC_MIN_BYTES:
        return []
    minimum = HMAC_MIN_BYTES[config.algorithm]
    secrets = [
        (
            gettext("The %(algorithm)s secret key") % {"algorithm": config.algorithm},
            config.secret_key,
        )
    ]
    if settled("secret_key_fallbacks"):
        setting = fallbacks_setting()
        secrets.extend(
            (f"{setting}[{position}]", entry.key)
            for position, entry in enumerate(config.secret_key_fallbacks)
        )
    messages: list[checks.CheckMessage] = []
    for name, key in secrets:
        length = len(key.encode() if isinstance(key, str) else key)
        if length < minimum:
            messages.append(
                warning(
                    "W005",
                    gettext("%(key)s is %(length)d bytes; it needs at least %(minimum)d.")
                    % {"key": name, "length": length, "minimum": minimum},
                    hint=gettext(
                        "Use a long random value (RFC 7518, section 3.2), for example the "
                        "output of manage.py jwt_ext_keys generate."
                    ),
                )
            )
    return messages
