"""The one object that reads this app's settings.

Settings are flat ``JWT_*`` names with flask-jwt-extended 4.x's defaults. Each
option is declared once, as an :class:`Option` on :class:`Config`: its
setting, its default, the function that validates it and the system check
that reports an invalid value. An option is read from ``django.conf.settings``
the first time it is used and kept until Django's ``setting_changed`` signal
fires (``override_settings``, pytest-django's ``settings`` fixture), so changes
take effect at once while the hot path pays no settings lookup. Nothing is
read at import time and nothing is ever written to settings; getters return
copies, never the objects the project gave.

The public properties are flask-jwt-extended's (``token_location``,
``csrf_request_methods``, ``decode_algorithms`` ... with its types); invalid
values raise :class:`~django_jwt_ext.exceptions.ConfigurationError`, which is
both Django's ``ImproperlyConfigured`` and flask's ``RuntimeError``.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any, Literal, NamedTuple, TypeAlias
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from jwt.algorithms import get_default_algorithms, requires_cryptography

from .encoding import ClaimsJSONEncoder
from .exceptions import ConfigurationError
from .i18n import gettext_noop

# A token lifetime: a timedelta (or relativedelta), or False for no expiry.
Lifetime: TypeAlias = timedelta | Literal[False]
SameSite: TypeAlias = Literal["Lax", "Strict", "None"] | None

LOCATIONS = ("headers", "cookies", "query_string", "json")
SAMESITE_VALUES = (None, "Lax", "Strict", "None")
USER_LOOKUP_VALUES = ("model", None)
TOKEN_TYPES = ("access", "refresh")
ONE_YEAR = 31540000  # flask-jwt-extended's max-age for persistent cookies
EXEMPT_METHODS = frozenset({"OPTIONS"})
CSRF_HEADER = "X-CSRF-TOKEN"

Parser: TypeAlias = Callable[["Config", Any, str], Any]


def invalid(name: str, expected: str, value: Any) -> ConfigurationError:
    """Build the error for setting ``name`` holding ``value`` instead of ``expected``
    (a phrase in the active language)."""
    return must_be(name, expected, repr(value))


def must_be(name: str, expected: str, got: str) -> ConfigurationError:
    """Build the error for setting ``name``: ``expected`` is wanted, ``got`` was given."""
    return ConfigurationError(
        gettext("%(setting)s must be %(expected)s; got %(value)s.")
        % {"setting": name, "expected": expected, "value": got}
    )


def imported(name: str, path: str) -> Any:
    """Return the object that setting ``name`` names by its dotted ``path``.

    :raises ConfigurationError: ``path`` cannot be imported.
    """
    try:
        return import_string(path)
    except ImportError as exc:
        raise ConfigurationError(
            gettext("%(setting)s %(path)s cannot be imported: %(error)s")
            % {"setting": name, "path": repr(path), "error": exc}
        ) from exc


# Validators: each takes the config, the raw value and the setting's name,
# and returns the value to use (a copy where the value is mutable).


def as_is(config: "Config", value: Any, name: str) -> Any:
    return value


def boolean(config: "Config", value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(name, gettext("True or False"), value)
    return value


def optional_boolean(config: "Config", value: Any, name: str) -> bool | None:
    return None if value is None else boolean(config, value, name)


def text(config: "Config", value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise invalid(name, gettext("a non-empty string"), value)
    return value


def text_or_empty(config: "Config", value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise invalid(name, gettext("a string"), value)
    return value


def optional_text(config: "Config", value: Any, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise invalid(name, gettext("a string or None"), value)
    return value


def optional_name(config: "Config", value: Any, name: str) -> str | None:
    return None if value is None else text(config, value, name)


def header_type(config: "Config", value: Any, name: str) -> str:
    """The word before the token in the header; empty (or ``None``) for a bare token."""
    return "" if value is None else text_or_empty(config, value, name)


def positive_int(config: "Config", value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise invalid(name, gettext("a positive integer"), value)
    return value


def seconds(config: "Config", value: Any, name: str) -> float:
    """A non-negative duration in seconds, given as a number or a timedelta."""
    if isinstance(value, timedelta) and value >= timedelta(0):
        return value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise invalid(name, gettext("a timedelta or a non-negative number of seconds"), value)
    return float(value)


def positive_seconds(config: "Config", value: Any, name: str) -> float:
    """A finite, strictly positive duration in seconds, given as a number or a timedelta."""
    number = value.total_seconds() if isinstance(value, timedelta) else value
    if (
        isinstance(number, bool)
        or not isinstance(number, int | float)
        or not (number > 0 and math.isfinite(number))
    ):
        raise invalid(name, gettext("a timedelta or a positive number of seconds"), value)
    return float(number)


def lifetime(config: "Config", value: Any, name: str) -> Lifetime:
    """A token lifetime: integer seconds, a timedelta or relativedelta, or ``False``."""
    if type(value) is int:
        return timedelta(seconds=value)
    if value is False:
        return False
    try:
        value + datetime.now(timezone.utc)
    except TypeError:
        raise invalid(
            name, gettext("a timedelta, a number of seconds, a relativedelta or False"), value
        ) from None
    return value


def leeway(config: "Config", value: Any, name: str) -> float | timedelta:
    if isinstance(value, bool) or not isinstance(value, int | float | timedelta):
        raise invalid(name, gettext("a number of seconds or a timedelta"), value)
    return value


def same_kind_copy(value: Iterable[Any]) -> Any:
    """Return a copy of a list, tuple, set or frozenset (a tuple of anything else)."""
    for kind in (list, tuple, set, frozenset):
        if isinstance(value, kind):
            return kind(value)
    return tuple(value)


def strings(value: Any) -> bool:
    """Tell whether ``value`` is a collection (not a string) of strings."""
    return (
        isinstance(value, Iterable)
        and not isinstance(value, str | bytes | Mapping)
        and all(isinstance(item, str) for item in value)
    )


def token_locations(config: "Config", value: Any, name: str) -> Any:
    """One location name, or a list, tuple or set of them, as flask-jwt-extended accepts."""
    if isinstance(value, str):
        value = (value,)
    locations = same_kind_copy(value) if strings(value) else None
    if not locations or any(location not in LOCATIONS for location in locations):
        raise invalid(
            name,
            gettext("a non-empty list of 'headers', 'cookies', 'query_string' and 'json'"),
            value,
        )
    return locations


def methods(config: "Config", value: Any, name: str) -> Any:
    if not strings(value):
        raise invalid(name, gettext("a list of HTTP method names"), value)
    return same_kind_copy(value)


def token_types(config: "Config", value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if not strings(value) or any(kind not in TOKEN_TYPES for kind in value):
        raise invalid(name, gettext("a list of 'access' and 'refresh'"), value)
    return tuple(value)


def samesite(config: "Config", value: Any, name: str) -> SameSite:
    if value not in SAMESITE_VALUES:
        raise invalid(name, gettext("None, 'Lax', 'Strict' or 'None'"), value)
    return value


def audience(config: "Config", value: Any, name: str) -> str | list[str] | None:
    if value is None or isinstance(value, str):
        return value
    if strings(value):
        return list(value)
    raise invalid(name, gettext("a string, a list of strings or None"), value)


def supported_algorithms() -> frozenset[str]:
    """Return the algorithms PyJWT can sign and verify here, without ``none``."""
    return frozenset(get_default_algorithms()) - {"none"}


def algorithm(config: "Config", value: Any, name: str) -> str:
    if value not in supported_algorithms():
        algorithms = ", ".join(sorted(supported_algorithms()))
        raise invalid(name, gettext("one of %(algorithms)s") % {"algorithms": algorithms}, value)
    return value


def decode_algorithms(config: "Config", value: Any, name: str) -> list[str]:
    """The accepted algorithms as a new list; ``JWT_ALGORITHM`` is always among them."""
    if not value:
        return [config.algorithm]
    if not strings(value) or any(item not in supported_algorithms() for item in value):
        raise invalid(name, gettext("a list of algorithms PyJWT supports (never 'none')"), value)
    algorithms = list(value)
    if config.algorithm not in algorithms:
        algorithms.append(config.algorithm)
    return algorithms


def user_lookup(config: "Config", value: Any, name: str) -> str | None:
    if value not in USER_LOOKUP_VALUES:
        raise invalid(name, gettext("'model' or None"), value)
    return value


def secret_key(config: "Config", value: Any, name: str) -> Any:
    """The HMAC secret: ``JWT_SECRET_KEY``, else Django's ``SECRET_KEY``."""
    key = value or getattr(settings, "SECRET_KEY", None)
    if not key:
        raise ConfigurationError(
            gettext(
                "JWT_SECRET_KEY or SECRET_KEY must be set to use the symmetric "
                "algorithm %(algorithm)s."
            )
            % {"algorithm": repr(config.algorithm)}
        )
    if not isinstance(key, str | bytes):
        raise invalid(name, gettext("a string or bytes"), key)
    return key


def asymmetric_key(config: "Config", value: Any, name: str) -> Any:
    if not value:
        raise ConfigurationError(
            gettext("%(setting)s must be set to use the asymmetric algorithm %(algorithm)s.")
            % {"setting": name, "algorithm": repr(config.algorithm)}
        )
    return value


class KeyEntry(NamedTuple):
    """A retired key of ``JWT_*_KEY_FALLBACKS``, with the ``kid`` it was given (if any)."""

    kid: str | None
    key: Any


def key_fallbacks(value: Any, name: str, is_key: Callable[[Any], bool], one: str) -> Any:
    """Read a list of keys, or of ``{"kid": ..., "key": ...}`` dicts, as :class:`KeyEntry` tuples.

    Messages name the position and the type of a bad entry, never its value:
    the list holds secrets. ``one`` says what a key is (a message id).
    """
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, list | tuple):
        raise must_be(
            name,
            gettext('a list of keys, or of {"kid": ..., "key": ...} dicts'),
            type(value).__name__,
        )
    entries = []
    for position, entry in enumerate(value):
        where = f"{name}[{position}]"
        if isinstance(entry, Mapping):
            kid, key = entry.get("kid"), entry.get("key")
            if set(entry) - {"kid", "key"}:
                names = sorted(map(str, entry))
                raise ConfigurationError(
                    gettext('%(setting)s may only have "kid" and "key"; got %(names)s.')
                    % {"setting": where, "names": names}
                )
            if kid is not None and (not isinstance(kid, str) or not kid):
                raise must_be(f'{where}["kid"]', gettext("a non-empty string"), type(kid).__name__)
        else:
            kid, key = None, entry
        if not key or not is_key(key):
            raise must_be(where, gettext(one), type(key).__name__)
        entries.append(KeyEntry(kid, key))
    return tuple(entries)


def mirrors_django_fallbacks() -> bool:
    """Tell whether the HMAC fallbacks are Django's ``SECRET_KEY_FALLBACKS``.

    They are while Django's ``SECRET_KEY`` is the JWT secret (no
    ``JWT_SECRET_KEY``) and ``JWT_SECRET_KEY_FALLBACKS`` is unset: rotating
    ``SECRET_KEY`` the Django way then keeps the tokens of the old key valid.
    """
    return getattr(settings, "JWT_SECRET_KEY_FALLBACKS", None) is None and not getattr(
        settings, "JWT_SECRET_KEY", None
    )


def secret_key_fallbacks(config: "Config", value: Any, name: str) -> tuple[KeyEntry, ...]:
    """Retired HMAC secrets that still verify (strings or bytes); unset, Django's
    ``SECRET_KEY_FALLBACKS`` when :func:`mirrors_django_fallbacks`."""
    if value is None:
        if not mirrors_django_fallbacks():
            return ()
        value, name = getattr(settings, "SECRET_KEY_FALLBACKS", []), "SECRET_KEY_FALLBACKS"
    return key_fallbacks(
        value,
        name,
        lambda key: isinstance(key, str | bytes),
        gettext_noop("a non-empty secret (a string or bytes)"),
    )


def public_key_fallbacks(config: "Config", value: Any, name: str) -> tuple[KeyEntry, ...]:
    """Retired public keys that still verify (PEM strings or bytes, or key objects)."""
    return key_fallbacks(
        value,
        name,
        lambda key: not isinstance(key, Mapping),
        gettext_noop("a non-empty public key (PEM or key object)"),
    )


def optional_url(config: "Config", value: Any, name: str) -> str | None:
    """An ``http://`` or ``https://`` URL with a host, or ``None``."""
    if value is None:
        return None
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
    except ValueError:  # An unbalanced IPv6 bracket, for instance.
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise invalid(name, gettext("an http:// or https:// URL, or None"), value)
    return value


def csrf_header(config: "Config", value: Any, name: str) -> str:
    """A CSRF header name; 3.x's ``JWT_CSRF_HEADER_NAME``, when set, names both (as in 3.x).

    An invalid 3.x value is left to its own option (E018).
    """
    old = getattr(settings, "JWT_CSRF_HEADER_NAME", None)
    if isinstance(old, str) and old:
        return old
    return text(config, value, name)


class Option:
    """One setting, declared once: name, default, validator and the check reporting it.

    ``check`` is ``None`` for options a dedicated check reports (the keys,
    the manager, the revocation backend). A non-data descriptor: the
    validated value is stored in the instance's ``__dict__``, so later reads
    are plain attribute lookups until :meth:`Config.reset`.
    """

    def __init__(
        self, setting: str, default: Any, parse: Parser = as_is, check: str | None = "E006"
    ):
        self.setting = setting
        self.default = default
        self.parse = parse
        self.check = check
        self.attribute = ""

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    def __get__(self, config: "Config | None", owner: type) -> Any:
        if config is None:
            return self
        value = self.parse(config, getattr(settings, self.setting, self.default), self.setting)
        config.__dict__[self.attribute] = value
        return value


class TokenKind(NamedTuple):
    """The settings that differ between access and refresh tokens."""

    cookie_name: str
    cookie_path: str
    csrf_cookie_name: str
    csrf_cookie_path: str
    csrf_header_name: str
    csrf_field_name: str
    json_key: str


class Config:
    """Typed, validated access to the ``JWT_*`` settings.

    Options raise :class:`~django_jwt_ext.exceptions.ConfigurationError` for
    invalid values; the system checks in :mod:`django_jwt_ext.checks` report
    the same errors at startup.
    """

    # Where tokens are looked for.
    token_location = Option("JWT_TOKEN_LOCATION", ("headers",), token_locations, "E001")
    header_name = Option("JWT_HEADER_NAME", "Authorization", text)
    header_type = Option("JWT_HEADER_TYPE", "Bearer", header_type)
    query_string_name = Option("JWT_QUERY_STRING_NAME", "jwt", text)
    query_string_value_prefix = Option("JWT_QUERY_STRING_VALUE_PREFIX", "", text_or_empty)
    json_key = Option("JWT_JSON_KEY", "access_token", text)
    refresh_json_key = Option("JWT_REFRESH_JSON_KEY", "refresh_token", text)

    # Cookies.
    access_cookie_name = Option("JWT_ACCESS_COOKIE_NAME", "access_token_cookie", text)
    refresh_cookie_name = Option("JWT_REFRESH_COOKIE_NAME", "refresh_token_cookie", text)
    access_cookie_path = Option("JWT_ACCESS_COOKIE_PATH", "/", text)
    refresh_cookie_path = Option("JWT_REFRESH_COOKIE_PATH", "/", text)
    cookie_secure = Option("JWT_COOKIE_SECURE", False, boolean, "E014")
    cookie_domain = Option("JWT_COOKIE_DOMAIN", None, optional_text)
    session_cookie = Option("JWT_SESSION_COOKIE", True, boolean, "E014")
    cookie_samesite = Option("JWT_COOKIE_SAMESITE", None, samesite, "E007")

    # CSRF double submit.
    cookie_csrf_protect = Option("JWT_COOKIE_CSRF_PROTECT", True, boolean, "E014")
    csrf_request_methods = Option(
        "JWT_CSRF_METHODS", ["POST", "PUT", "PATCH", "DELETE"], methods, "E008"
    )
    csrf_in_cookies = Option("JWT_CSRF_IN_COOKIES", True, boolean, "E014")
    csrf_check_form = Option("JWT_CSRF_CHECK_FORM", False, boolean, "E014")
    access_csrf_cookie_name = Option("JWT_ACCESS_CSRF_COOKIE_NAME", "csrf_access_token", text)
    refresh_csrf_cookie_name = Option("JWT_REFRESH_CSRF_COOKIE_NAME", "csrf_refresh_token", text)
    access_csrf_cookie_path = Option("JWT_ACCESS_CSRF_COOKIE_PATH", "/", text)
    refresh_csrf_cookie_path = Option("JWT_REFRESH_CSRF_COOKIE_PATH", "/", text)
    access_csrf_header_name = Option("JWT_ACCESS_CSRF_HEADER_NAME", CSRF_HEADER, csrf_header)
    refresh_csrf_header_name = Option("JWT_REFRESH_CSRF_HEADER_NAME", CSRF_HEADER, csrf_header)
    access_csrf_field_name = Option("JWT_ACCESS_CSRF_FIELD_NAME", "csrf_token", text)
    refresh_csrf_field_name = Option("JWT_REFRESH_CSRF_FIELD_NAME", "csrf_token", text)

    # Lifetimes and claims.
    access_expires = Option("JWT_ACCESS_TOKEN_EXPIRES", timedelta(minutes=15), lifetime, "E002")
    refresh_expires = Option("JWT_REFRESH_TOKEN_EXPIRES", timedelta(days=30), lifetime, "E002")
    identity_claim_key = Option("JWT_IDENTITY_CLAIM", "sub", text)
    error_msg_key = Option("JWT_ERROR_MESSAGE_KEY", "msg", text)
    encode_audience = Option("JWT_ENCODE_AUDIENCE", None, audience, "E013")
    decode_audience = Option("JWT_DECODE_AUDIENCE", None, audience, "E013")
    encode_issuer = Option("JWT_ENCODE_ISSUER", None, optional_text, "E013")
    decode_issuer = Option("JWT_DECODE_ISSUER", None, optional_text, "E013")
    leeway = Option("JWT_DECODE_LEEWAY", 0, leeway, "E009")
    verify_sub = Option("JWT_VERIFY_SUB", True, boolean, "E014")
    encode_nbf = Option("JWT_ENCODE_NBF", True, boolean, "E014")

    # Algorithms and keys (E005 reports missing keys and keys that do not fit).
    algorithm = Option("JWT_ALGORITHM", "HS256", algorithm, "E003")
    decode_algorithms = Option("JWT_DECODE_ALGORITHMS", None, decode_algorithms, "E004")
    secret_key = Option("JWT_SECRET_KEY", None, secret_key, None)
    private_key = Option("JWT_PRIVATE_KEY", None, asymmetric_key, None)
    public_key = Option("JWT_PUBLIC_KEY", None, asymmetric_key, None)

    # Key rotation and kid (E019, E020 and W011 report what fits no algorithm
    # or clashes; see django_jwt_ext.keys).
    secret_key_fallbacks = Option("JWT_SECRET_KEY_FALLBACKS", None, secret_key_fallbacks, "E019")
    public_key_fallbacks = Option("JWT_PUBLIC_KEY_FALLBACKS", [], public_key_fallbacks, "E019")
    key_id = Option("JWT_KEY_ID", None, optional_name)

    # Keys of tokens issued elsewhere (an identity provider), from its JWKS.
    jwks_url = Option("JWT_JWKS_URL", None, optional_url, "E021")
    jwks_cache_seconds = Option("JWT_JWKS_CACHE_SECONDS", 300, positive_seconds, "E009")
    jwks_timeout = Option("JWT_JWKS_TIMEOUT", 5, positive_seconds, "E009")

    # Django-only settings.
    manager_path = Option("JWT_MANAGER", None, optional_name, None)
    user_lookup = Option("JWT_USER_LOOKUP", "model", user_lookup, "E011")
    max_token_size = Option("JWT_MAX_TOKEN_SIZE", 8192, positive_int, "E012")
    revocation_backend = Option(
        "JWT_REVOCATION_BACKEND", "django_jwt_ext.revocation.db.DatabaseBackend", text, None
    )
    revocation_cache_alias = Option("JWT_REVOCATION_CACHE_ALIAS", "default", text)
    revocation_cache_timeout = Option("JWT_REVOCATION_CACHE_TIMEOUT", 60, positive_int, "E009")
    revocation_fail_open = Option("JWT_REVOCATION_FAIL_OPEN", False, boolean, "E014")
    refresh_token_rotation = Option("JWT_REFRESH_TOKEN_ROTATION", False, boolean, "E014")
    implicit_refresh_window = Option(
        "JWT_IMPLICIT_REFRESH_WINDOW", timedelta(minutes=5), seconds, "E009"
    )

    # flask-jwt-extended 3.x settings, honoured when a project sets them (E018).
    user_claims_key = Option("JWT_USER_CLAIMS", None, optional_name, "E018")
    claims_in_refresh_token_3x = Option(
        "JWT_CLAIMS_IN_REFRESH_TOKEN", None, optional_boolean, "E018"
    )
    blacklist_enabled = Option("JWT_BLACKLIST_ENABLED", None, optional_boolean, "E018")
    blacklist_checks = Option("JWT_BLACKLIST_TOKEN_CHECKS", TOKEN_TYPES, token_types, "E018")
    csrf_header_name_3x = Option("JWT_CSRF_HEADER_NAME", None, optional_name, "E018")

    @classmethod
    def options(cls) -> list[Option]:
        """Return every declared option, in declaration order."""
        return [value for value in vars(cls).values() if isinstance(value, Option)]

    def reset(self) -> None:
        """Forget every value read so far."""
        self.__dict__.clear()

    # Derived values, cached with the options they come from.

    @cached_property
    def locations(self) -> tuple[str, ...]:
        """Return ``token_location`` as a tuple, in the configured order."""
        return tuple(self.token_location)

    @property
    def jwt_in_cookies(self) -> bool:
        return "cookies" in self.locations

    @property
    def jwt_in_headers(self) -> bool:
        return "headers" in self.locations

    @property
    def jwt_in_query_string(self) -> bool:
        return "query_string" in self.locations

    @property
    def jwt_in_json(self) -> bool:
        return "json" in self.locations

    @cached_property
    def csrf_methods(self) -> frozenset[str]:
        """Return ``csrf_request_methods`` upper-cased, for membership tests."""
        return frozenset(method.upper() for method in self.csrf_request_methods)

    @property
    def cookie_max_age(self) -> int | None:
        """Return the cookies' max-age: none for session cookies, else one year."""
        return None if self.session_cookie else ONE_YEAR

    @property
    def exempt_methods(self) -> set[str]:
        """Return the methods never verified (CORS preflight), as a new set."""
        return set(EXEMPT_METHODS)

    @property
    def json_encoder(self) -> type[ClaimsJSONEncoder]:
        """Return the encoder of claims values that JSON cannot hold (dates...): Flask's way."""
        return ClaimsJSONEncoder

    @cached_property
    def is_asymmetric(self) -> bool:
        return self.algorithm in requires_cryptography

    @property
    def encode_key(self) -> Any:
        return self.private_key if self.is_asymmetric else self.secret_key

    @property
    def decode_key(self) -> Any:
        return self.public_key if self.is_asymmetric else self.secret_key

    @property
    def decode_key_fallbacks(self) -> tuple[KeyEntry, ...]:
        """Return the fallbacks of the kind of key ``JWT_ALGORITHM`` uses (the other list
        is not read)."""
        return self.public_key_fallbacks if self.is_asymmetric else self.secret_key_fallbacks

    def is_set(self, attribute: str) -> bool:
        """Tell whether the project gave option ``attribute`` a value (a non-empty one)."""
        option = vars(Config)[attribute]
        return bool(getattr(settings, option.setting, option.default))

    @cached_property
    def leeway_seconds(self) -> float:
        value = self.leeway
        return value.total_seconds() if isinstance(value, timedelta) else float(value)

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

    @cached_property
    def seed_mode(self) -> bool:
        """Tell whether the project set flask-jwt-extended 3.x's settings.

        ``JWT_USER_CLAIMS`` or ``JWT_BLACKLIST_ENABLED`` switch on 3.x's
        behaviour where it differs from 4.x: the revocation check comes
        before the freshness check, and a refresh token at an access endpoint
        is refused with 3.x's words.
        """
        return self.user_claims_key is not None or self.blacklist_enabled is not None

    @cached_property
    def claims_in_refresh_token(self) -> bool:
        """Tell whether refresh tokens get the additional claims.

        4.x adds them; with 3.x's ``JWT_USER_CLAIMS`` the 3.x default (no)
        applies unless ``JWT_CLAIMS_IN_REFRESH_TOKEN`` says otherwise.
        """
        if self.claims_in_refresh_token_3x is not None:
            return self.claims_in_refresh_token_3x
        return self.user_claims_key is None

    def checks_revocation(self, token_type: str) -> bool:
        """Tell whether tokens of ``token_type`` are checked for revocation.

        Always, unless 3.x's ``JWT_BLACKLIST_ENABLED`` is set: ``False`` turns
        checks off, ``True`` checks the types in ``JWT_BLACKLIST_TOKEN_CHECKS``.
        """
        if self.blacklist_enabled is None:
            return True
        return self.blacklist_enabled and token_type in self.blacklist_checks


# Every setting this app reads, with its default.
DEFAULTS: dict[str, Any] = {option.setting: option.default for option in Config.options()}

config = Config()


def forget_settings(**kwargs: Any) -> None:
    """Drop cached setting values whenever Django reports a changed setting."""
    config.reset()


setting_changed.connect(forget_settings, dispatch_uid="django_jwt_ext.config")
