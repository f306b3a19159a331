"""The one object that reads this app's settings.

Settings are flat ``JWT_*`` names with flask-jwt-extended 4.x's defaults. Each
option is a property that reads ``django.conf.settings`` the first time it is
used and validates the value next to where it is read; values are kept until
Django's ``setting_changed`` signal fires (``override_settings``,
pytest-django's ``settings`` fixture), so changes take effect at once while
the hot path does not pay for a settings lookup per option per request.
Nothing is read at import time and nothing is ever written to settings.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any, Literal, NamedTuple, TypeAlias

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from jwt.algorithms import get_default_algorithms, requires_cryptography

# A token lifetime: a timedelta (or relativedelta), or False for no expiry.
Lifetime: TypeAlias = timedelta | Literal[False]
SameSite: TypeAlias = Literal["Lax", "Strict", "None"] | None

LOCATIONS = ("headers", "cookies", "query_string", "json")
SAMESITE_VALUES = (None, "Lax", "Strict", "None")
USER_LOOKUP_VALUES = ("model", None)
ONE_YEAR = 31540000  # flask-jwt-extended's max-age for persistent cookies
EXEMPT_METHODS = frozenset({"OPTIONS"})

# Every setting this app reads, with its default.
DEFAULTS: dict[str, Any] = {
    "JWT_ACCESS_COOKIE_NAME": "access_token_cookie",
    "JWT_ACCESS_COOKIE_PATH": "/",
    "JWT_ACCESS_CSRF_COOKIE_NAME": "csrf_access_token",
    "JWT_ACCESS_CSRF_COOKIE_PATH": "/",
    "JWT_ACCESS_CSRF_FIELD_NAME": "csrf_token",
    "JWT_ACCESS_CSRF_HEADER_NAME": "X-CSRF-TOKEN",
    "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=15),
    "JWT_ALGORITHM": "HS256",
    "JWT_COOKIE_CSRF_PROTECT": True,
    "JWT_COOKIE_DOMAIN": None,
    "JWT_COOKIE_SAMESITE": None,
    "JWT_COOKIE_SECURE": False,
    "JWT_CSRF_CHECK_FORM": False,
    "JWT_CSRF_IN_COOKIES": True,
    "JWT_CSRF_METHODS": ("POST", "PUT", "PATCH", "DELETE"),
    "JWT_DECODE_ALGORITHMS": None,
    "JWT_DECODE_AUDIENCE": None,
    "JWT_DECODE_ISSUER": None,
    "JWT_DECODE_LEEWAY": 0,
    "JWT_ENCODE_AUDIENCE": None,
    "JWT_ENCODE_ISSUER": None,
    "JWT_ENCODE_NBF": True,
    "JWT_ERROR_MESSAGE_KEY": "msg",
    "JWT_HEADER_NAME": "Authorization",
    "JWT_HEADER_TYPE": "Bearer",
    "JWT_IDENTITY_CLAIM": "sub",
    "JWT_JSON_KEY": "access_token",
    "JWT_PRIVATE_KEY": None,
    "JWT_PUBLIC_KEY": None,
    "JWT_QUERY_STRING_NAME": "jwt",
    "JWT_QUERY_STRING_VALUE_PREFIX": "",
    "JWT_REFRESH_COOKIE_NAME": "refresh_token_cookie",
    "JWT_REFRESH_COOKIE_PATH": "/",
    "JWT_REFRESH_CSRF_COOKIE_NAME": "csrf_refresh_token",
    "JWT_REFRESH_CSRF_COOKIE_PATH": "/",
    "JWT_REFRESH_CSRF_FIELD_NAME": "csrf_token",
    "JWT_REFRESH_CSRF_HEADER_NAME": "X-CSRF-TOKEN",
    "JWT_REFRESH_JSON_KEY": "refresh_token",
    "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=30),
    "JWT_SECRET_KEY": None,
    "JWT_SESSION_COOKIE": True,
    "JWT_TOKEN_LOCATION": ("headers",),
    "JWT_VERIFY_SUB": True,
    # Django-only settings.
    "JWT_MANAGER": None,
    "JWT_USER_LOOKUP": "model",
    "JWT_MAX_TOKEN_SIZE": 8192,
    "JWT_REVOCATION_BACKEND": "django_jwt_ext.revocation.db.DatabaseBackend",
    "JWT_REVOCATION_CACHE_ALIAS": "default",
    "JWT_REVOCATION_FAIL_OPEN": False,
    "JWT_REFRESH_TOKEN_ROTATION": False,
    "JWT_IMPLICIT_REFRESH_WINDOW": timedelta(minutes=5),
}


class TokenKind(NamedTuple):
    """The settings that differ between access and refresh tokens."""

    cookie_name: str
    cookie_path: str
    csrf_cookie_name: str
    csrf_cookie_path: str
    csrf_header_name: str
    csrf_field_name: str
    json_key: str


def read(name: str) -> Any:
    """Return the value of setting ``name``, or its default."""
    return getattr(settings, name, DEFAULTS[name])


def invalid(name: str, expected: str, value: Any) -> ImproperlyConfigured:
    """Build the error for setting ``name`` holding ``value`` instead of ``expected``."""
    return ImproperlyConfigured(f"{name} must be {expected}; got {value!r}.")


def read_bool(name: str) -> bool:
    value = read(name)
    if not isinstance(value, bool):
        raise invalid(name, "True or False", value)
    return value


def read_name(name: str, *, allow_empty: bool = False) -> str:
    value = read(name)
    if not isinstance(value, str) or not (value or allow_empty):
        raise invalid(name, "a string" if allow_empty else "a non-empty string", value)
    return value


def read_optional_str(name: str) -> str | None:
    value = read(name)
    if value is not None and not isinstance(value, str):
        raise invalid(name, "a string or None", value)
    return value


def read_expires(name: str) -> Lifetime:
    value = read(name)
    if type(value) is int:
        return timedelta(seconds=value)
    if value is False:
        return False
    try:
        value + datetime.now(timezone.utc)
    except TypeError:
        raise invalid(
            name, "a timedelta, a number of seconds, a relativedelta or False", value
        ) from None
    return value


def read_audience(name: str) -> str | tuple[str, ...] | None:
    value = read(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Iterable) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise invalid(name, "a string, a list of strings or None", value)


def supported_algorithms() -> frozenset[str]:
    """Return the algorithms PyJWT can sign and verify here, without ``none``."""
    return frozenset(get_default_algorithms()) - {"none"}


class Config:
    """Typed, validated access to the ``JWT_*`` settings.

    Properties raise ``ImproperlyConfigured`` for invalid values; the system
    checks in :mod:`django_jwt_ext.checks` report the same errors at startup.
    """

    def reset(self) -> None:
        """Forget every value read so far."""
        self.__dict__.clear()

    # Where tokens are looked for.

    @cached_property
    def token_location(self) -> tuple[str, ...]:
        value = read("JWT_TOKEN_LOCATION")
        locations = (value,) if isinstance(value, str) else value
        expected = "a non-empty list of 'headers', 'cookies', 'query_string' and 'json'"
        if not isinstance(locations, Iterable):
            raise invalid("JWT_TOKEN_LOCATION", expected, value)
        locations = tuple(locations)
        if not locations or any(location not in LOCATIONS for location in locations):
            raise invalid("JWT_TOKEN_LOCATION", expected, value)
        return locations

    @cached_property
    def header_name(self) -> str:
        return read_name("JWT_HEADER_NAME")

    @cached_property
    def header_type(self) -> str:
        """Return the word before the token in the header; empty for a bare token."""
        if read("JWT_HEADER_TYPE") is None:
            return ""
        return read_name("JWT_HEADER_TYPE", allow_empty=True)

    @cached_property
    def query_string_name(self) -> str:
        return read_name("JWT_QUERY_STRING_NAME")

    @cached_property
    def query_string_value_prefix(self) -> str:
        return read_name("JWT_QUERY_STRING_VALUE_PREFIX", allow_empty=True)

    @cached_property
    def json_key(self) -> str:
        return read_name("JWT_JSON_KEY")

    @cached_property
    def refresh_json_key(self) -> str:
        return read_name("JWT_REFRESH_JSON_KEY")

    # Cookies.

    @cached_property
    def access_cookie_name(self) -> str:
        return read_name("JWT_ACCESS_COOKIE_NAME")

    @cached_property
    def refresh_cookie_name(self) -> str:
        return read_name("JWT_REFRESH_COOKIE_NAME")

    @cached_property
    def access_cookie_path(self) -> str:
        return read_name("JWT_ACCESS_COOKIE_PATH")

    @cached_property
    def refresh_cookie_path(self) -> str:
        return read_name("JWT_REFRESH_COOKIE_PATH")

    @cached_property
    def cookie_secure(self) -> bool:
        return read_bool("JWT_COOKIE_SECURE")

    @cached_property
    def cookie_domain(self) -> str | None:
        return read_optional_str("JWT_COOKIE_DOMAIN")

    @cached_property
    def session_cookie(self) -> bool:
        return read_bool("JWT_SESSION_COOKIE")

    @cached_property
    def cookie_max_age(self) -> int | None:
        """Return the cookies' max-age: none for session cookies, else one year."""
        return None if self.session_cookie else ONE_YEAR

    @cached_property
    def cookie_samesite(self) -> SameSite:
        value = read("JWT_COOKIE_SAMESITE")
        if value not in SAMESITE_VALUES:
            raise invalid("JWT_COOKIE_SAMESITE", "None, 'Lax', 'Strict' or 'None'", value)
        return value

    # CSRF double submit.

    @cached_property
    def cookie_csrf_protect(self) -> bool:
        return read_bool("JWT_COOKIE_CSRF_PROTECT")

    @cached_property
    def csrf_request_methods(self) -> frozenset[str]:
        value = read("JWT_CSRF_METHODS")
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise invalid("JWT_CSRF_METHODS", "a list of HTTP method names", value)
        methods = tuple(value)
        if not all(isinstance(method, str) for method in methods):
            raise invalid("JWT_CSRF_METHODS", "a list of HTTP method names", value)
        return frozenset(method.upper() for method in methods)

    @cached_property
    def csrf_in_cookies(self) -> bool:
        return read_bool("JWT_CSRF_IN_COOKIES")

    @cached_property
    def csrf_check_form(self) -> bool:
        return read_bool("JWT_CSRF_CHECK_FORM")

    @cached_property
    def access_csrf_cookie_name(self) -> str:
        return read_name("JWT_ACCESS_CSRF_COOKIE_NAME")

    @cached_property
    def refresh_csrf_cookie_name(self) -> str:
        return read_name("JWT_REFRESH_CSRF_COOKIE_NAME")

    @cached_property
    def access_csrf_cookie_path(self) -> str:
        return read_name("JWT_ACCESS_CSRF_COOKIE_PATH")

    @cached_property
    def refresh_csrf_cookie_path(self) -> str:
        return read_name("JWT_REFRESH_CSRF_COOKIE_PATH")

    @cached_property
    def access_csrf_header_name(self) -> str:
        return read_name("JWT_ACCESS_CSRF_HEADER_NAME")

    @cached_property
    def refresh_csrf_header_name(self) -> str:
        return read_name("JWT_REFRESH_CSRF_HEADER_NAME")

    @cached_property
    def access_csrf_field_name(self) -> str:
        return read_name("JWT_ACCESS_CSRF_FIELD_NAME")

    @cached_property
    def refresh_csrf_field_name(self) -> str:
        return read_name("JWT_REFRESH_CSRF_FIELD_NAME")

    @cached_property
    def access_kind(self) -> TokenKind:
        """Return the cookie, CSRF and JSON names of access tokens."""
        return TokenKind(
            self.access_cookie_name,
            self.access_cookie_path,
            self.access_csrf_cookie_name,
            self.access_csrf_cookie_path,
            self.access_csrf_header_name,
            self.access_csrf_field_name,
            self.json_key,
        )

    @cached_property
    def refresh_kind(self) -> TokenKind:
        """Return the cookie, CSRF and JSON names of refresh tokens."""
        return TokenKind(
            self.refresh_cookie_name,
            self.refresh_cookie_path,
            self.refresh_csrf_cookie_name,
            self.refresh_csrf_cookie_path,
            self.refresh_csrf_header_name,
            self.refresh_csrf_field_name,
            self.refresh_json_key,
        )

    def token_kind(self, refresh: bool) -> TokenKind:
        return self.refresh_kind if refresh else self.access_kind

    @property
    def exempt_methods(self) -> frozenset[str]:
        """Return the methods never verified (CORS preflight)."""
        return EXEMPT_METHODS

    # Lifetimes and claims.

    @cached_property
    def access_expires(self) -> Lifetime:
        return read_expires("JWT_ACCESS_TOKEN_EXPIRES")

    @cached_property
    def refresh_expires(self) -> Lifetime:
        return read_expires("JWT_REFRESH_TOKEN_EXPIRES")

    @cached_property
    def identity_claim_key(self) -> str:
        return read_name("JWT_IDENTITY_CLAIM")

    @cached_property
    def error_msg_key(self) -> str:
        return read_name("JWT_ERROR_MESSAGE_KEY")

    @cached_property
    def encode_audience(self) -> str | tuple[str, ...] | None:
        return read_audience("JWT_ENCODE_AUDIENCE")

    @cached_property
    def decode_audience(self) -> str | tuple[str, ...] | None:
        return read_audience("JWT_DECODE_AUDIENCE")

    @cached_property
    def encode_issuer(self) -> str | None:
        return read_optional_str("JWT_ENCODE_ISSUER")

    @cached_property
    def decode_issuer(self) -> str | None:
        return read_optional_str("JWT_DECODE_ISSUER")

    @cached_property
    def leeway(self) -> float | timedelta:
        value = read("JWT_DECODE_LEEWAY")
        if isinstance(value, bool) or not isinstance(value, int | float | timedelta):
            raise invalid("JWT_DECODE_LEEWAY", "a number of seconds or a timedelta", value)
        return value

    @cached_property
    def verify_sub(self) -> bool:
        return read_bool("JWT_VERIFY_SUB")

    @cached_property
    def encode_nbf(self) -> bool:
        return read_bool("JWT_ENCODE_NBF")

    # Algorithms and keys.

    @cached_property
    def algorithm(self) -> str:
        value = read("JWT_ALGORITHM")
        if value not in supported_algorithms():
            raise invalid(
                "JWT_ALGORITHM",
                "one of " + ", ".join(sorted(supported_algorithms())),
                value,
            )
        return value

    @cached_property
    def decode_algorithms(self) -> tuple[str, ...]:
        """Return the accepted algorithms; ``JWT_ALGORITHM`` is always among them."""
        value = read("JWT_DECODE_ALGORITHMS")
        if not value:
            return (self.algorithm,)
        expected = "a list of algorithms PyJWT supports (never 'none')"
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise invalid("JWT_DECODE_ALGORITHMS", expected, value)
        algorithms = tuple(value)
        if any(name not in supported_algorithms() for name in algorithms):
            raise invalid("JWT_DECODE_ALGORITHMS", expected, value)
        if self.algorithm not in algorithms:
            algorithms += (self.algorithm,)
        return algorithms

    @cached_property
    def is_asymmetric(self) -> bool:
        return self.algorithm in requires_cryptography

    @cached_property
    def secret_key(self) -> Any:
        key = read("JWT_SECRET_KEY") or getattr(settings, "SECRET_KEY", None)
        if not key:
            raise ImproperlyConfigured(
                f"JWT_SECRET_KEY or SECRET_KEY must be set to use the symmetric "
                f"algorithm {self.algorithm!r}."
            )
        if not isinstance(key, str | bytes):
            raise invalid("JWT_SECRET_KEY", "a string or bytes", key)
        return key

    @cached_property
    def private_key(self) -> Any:
        key = read("JWT_PRIVATE_KEY")
        if not key:
            raise ImproperlyConfigured(
                f"JWT_PRIVATE_KEY must be set to use the asymmetric algorithm {self.algorithm!r}."
            )
        return key

    @cached_property
    def public_key(self) -> Any:
        key = read("JWT_PUBLIC_KEY")
        if not key:
            raise ImproperlyConfigured(
                f"JWT_PUBLIC_KEY must be set to use the asymmetric algorithm {self.algorithm!r}."
            )
        return key

    @property
    def encode_key(self) -> Any:
        return self.private_key if self.is_asymmetric else self.secret_key

    @property
    def decode_key(self) -> Any:
        return self.public_key if self.is_asymmetric else self.secret_key

    # Django-only settings.

    @cached_property
    def manager_path(self) -> str | None:
        return read_optional_str("JWT_MANAGER")

    @cached_property
    def user_lookup(self) -> str | None:
        value = read("JWT_USER_LOOKUP")
        if value not in USER_LOOKUP_VALUES:
            raise invalid("JWT_USER_LOOKUP", "'model' or None", value)
        return value

    @cached_property
    def max_token_size(self) -> int:
        value = read("JWT_MAX_TOKEN_SIZE")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise invalid("JWT_MAX_TOKEN_SIZE", "a positive number of characters", value)
        return value

    # Revocation.

    @cached_property
    def revocation_backend(self) -> str:
        return read_name("JWT_REVOCATION_BACKEND")

    @cached_property
    def revocation_cache_alias(self) -> str:
        return read_name("JWT_REVOCATION_CACHE_ALIAS")

    @cached_property
    def revocation_fail_open(self) -> bool:
        return read_bool("JWT_REVOCATION_FAIL_OPEN")

    @cached_property
    def refresh_token_rotation(self) -> bool:
        return read_bool("JWT_REFRESH_TOKEN_ROTATION")

    @cached_property
    def implicit_refresh_window(self) -> float:
        """Return, in seconds, how close to expiry an access cookie gets replaced."""
        value = read("JWT_IMPLICIT_REFRESH_WINDOW")
        if isinstance(value, timedelta) and value >= timedelta(0):
            return value.total_seconds()
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise invalid(
                "JWT_IMPLICIT_REFRESH_WINDOW", "a timedelta or a number of seconds", value
            )
        return float(value)


config = Config()


def forget_settings(**kwargs: Any) -> None:
    """Drop cached setting values whenever Django reports a changed setting."""
    config.reset()


setting_changed.connect(forget_settings, dispatch_uid="django_jwt_ext.config")
