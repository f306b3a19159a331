"""The JWTManager: the callbacks that decide how tokens are made and judged."""

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any, Literal, TypeVar, cast

import jwt
from django.core.signals import setting_changed
from django.http import HttpResponse
from django.utils.translation import gettext

from . import defaults
from .config import Lifetime, config, imported
from .exceptions import (
    ConfigurationError,
    CSRFError,
    ExpiredSignatureError,
    FreshTokenRequired,
    JWTDecodeError,
    JWTExtendedException,
    KeyMismatchError,
    NoAuthorizationError,
    RevokedTokenError,
    ServiceUnavailableError,
    UserClaimsVerificationError,
    UserLookupError,
)
from .keys import signing_kid, verification_keys
from .reasons import reason
from .tokens import Claims, Header, decode_jwt, make_claims, peek, sign

F = TypeVar("F", bound=Callable[..., Any])


def user_claims_of(jwt_data: Claims) -> Any:
    """Return 3.x's user claims: those under ``JWT_USER_CLAIMS`` (``{}`` when absent)."""
    return jwt_data.get(config.user_claims_key or "user_claims", {})


@dataclass
class Callbacks:
    """The callbacks in use, one per loader, named after it without ``_loader``."""

    additional_claims: Callable[[Any], dict] = defaults.additional_claims
    additional_headers: Callable[[Any], dict] = defaults.additional_headers
    decode_key: Callable[[Header, Claims], Any] = defaults.decode_key
    encode_key: Callable[[Any], Any] = defaults.encode_key
    expired_token: Callable[[Header, Claims], HttpResponse] = defaults.expired_token
    invalid_token: Callable[[str], HttpResponse] = defaults.invalid_token
    needs_fresh_token: Callable[[Header, Claims], HttpResponse] = defaults.needs_fresh_token
    revoked_token: Callable[[Header, Claims], HttpResponse] = defaults.revoked_token
    token_in_blocklist: Callable[[Header, Claims], bool] = defaults.token_in_blocklist
    token_verification: Callable[[Header, Claims], bool] = defaults.token_verification
    token_verification_failed: Callable[[Header, Claims], HttpResponse] = (
        defaults.token_verification_failed
    )
    unauthorized: Callable[[str], HttpResponse] = defaults.unauthorized
    user_identity: Callable[[Any], Any] = defaults.user_identity
    user_lookup: Callable[[Header, Claims], Any] | None = None
    user_lookup_error: Callable[[Header, Claims], HttpResponse] = defaults.user_lookup_error


def warn_renamed(old: str, new: str) -> None:
    warnings.warn(
        f"JWTManager.{old} is deprecated; use JWTManager.{new} (flask-jwt-extended 4.x name).",
        DeprecationWarning,
        stacklevel=3,
    )


class JWTManager:
    """Hold the loader callbacks of flask-jwt-extended 4.x.

    Create one in your project, register callbacks with its loader decorators
    and name it in the ``JWT_MANAGER`` setting::

        jwt = JWTManager()

        @jwt.additional_claims_loader
        def add_claims(identity):
            return {"role": "admin"}

    Every loader returns the callback unchanged, so it can be used as a
    decorator.
    """

    def __init__(self) -> None:
        self.callbacks = Callbacks()

    # Loaders (flask-jwt-extended 4.x).

    def additional_claims_loader(self, callback: F) -> F:
        """Register ``callback(identity) -> dict`` of claims added to every new token."""
        self.callbacks.additional_claims = callback
        return callback

    def additional_headers_loader(self, callback: F) -> F:
        """Register ``callback(identity) -> dict`` of JOSE header fields for new tokens."""
        self.callbacks.additional_headers = callback
        return callback

    def decode_key_loader(self, callback: F) -> F:
        """Register ``callback(jwt_header, jwt_data) -> key`` that verifies a token.

        It receives the token's *unverified* header and claims.
        """
        self.callbacks.decode_key = callback
        return callback

    def encode_key_loader(self, callback: F) -> F:
        """Register ``callback(identity) -> key`` that signs new tokens."""
        self.callbacks.encode_key = callback
        return callback

    def expired_token_loader(self, callback: F) -> F:
        """Register ``callback(jwt_header, jwt_data) -> HttpResponse`` for expired tokens."""
        self.callbacks.expired_token = callback
        return callback

    def invalid_token_loader(self, callback: F) -> F:
        """Register ``callback(reason: str) -> HttpResponse`` for invalid tokens.

        ``reason`` is in the active language (flask-jwt-extended's words in English).
        """
        self.callbacks.invalid_token = callback
        return callback

    def needs_fresh_token_loader(self, callback: F) -> F:
        """Register ``callback(jwt_header, jwt_data) -> HttpResponse`` for non-fresh tokens."""
        self.callbacks.needs_fresh_token = callback
        return callback

    def revoked_token_loader(self, callback: F) -> F:
        """Register ``callback(jwt_header, jwt_data) -> HttpResponse`` for revoked tokens."""
        self.callbacks.revoked_token = callback
        return callback

    def token_in_blocklist_loader(self, callback: F) -> F:
        """Register ``callback(jwt_header, jwt_data) -> bool``: ``True`` means revoked."""
        self.callbacks.token_in_blocklist = callback
        return callback

    def token_verification_loader(self, callback: F) -> F:
        """Register ``callback(jwt_header, jwt_data) -> bool``: ``False`` refuses the token."""
        self.callbacks.token_verification = callback
        return callback

    def token_verification_failed_loader(self, callback: F) -> F:
        """Register ``callback(jwt_header, jwt_data) -> HttpResponse`` for refused tokens."""
        self.callbacks.token_verification_failed = callback
        return callback

    def unauthorized_loader(self, callback: F) -> F:
        """Register ``callback(reason: str) -> HttpResponse`` for requests without a token.

        ``reason`` is in the active language (flask-jwt-extended's words in English).
        """
        self.callbacks.unauthorized = callback
        return callback

    def user_identity_loader(self, callback: F) -> F:
        """Register ``callback(identity) -> value`` stored in the identity claim."""
        self.callbacks.user_identity = callback
        return callback

    def user_lookup_loader(self, callback: F) -> F:
        """Register ``callback(jwt_header, jwt_data) -> user or None``.

        It replaces the built-in lookup of ``JWT_USER_LOOKUP``; ``None`` refuses
        the request with the ``user_lookup_error_loader`` response.
        """
        self.callbacks.user_lookup = callback
        return callback

    def user_lookup_error_loader(self, callback: F) -> F:
        """Register ``callback(jwt_header, jwt_data) -> HttpResponse`` for unknown users."""
        self.callbacks.user_lookup_error = callback
        return callback

    # flask-jwt-extended 3.x names, adapted to the 4.x callbacks.

    def user_claims_loader(self, callback: F) -> F:
        """Deprecated 3.x name of :meth:`additional_claims_loader`."""
        warn_renamed("user_claims_loader", "additional_claims_loader")
        self.callbacks.additional_claims = callback
        return callback

    def user_loader_callback_loader(self, callback: F) -> F:
        """Deprecated 3.x name of :meth:`user_lookup_loader`; ``callback(identity)``."""
        warn_renamed("user_loader_callback_loader", "user_lookup_loader")
        self.callbacks.user_lookup = lambda jwt_header, jwt_data: callback(
            jwt_data[config.identity_claim_key]
        )
        return callback

    def user_loader_error_loader(self, callback: F) -> F:
        """Deprecated 3.x name of :meth:`user_lookup_error_loader`; ``callback(identity)``."""
        warn_renamed("user_loader_error_loader", "user_lookup_error_loader")
        self.callbacks.user_lookup_error = lambda jwt_header, jwt_data: callback(
            jwt_data[config.identity_claim_key]
        )
        return callback

    def token_in_blacklist_loader(self, callback: F) -> F:
        """Deprecated 3.x name of :meth:`token_in_blocklist_loader`; ``callback(claims)``."""
        warn_renamed("token_in_blacklist_loader", "token_in_blocklist_loader")
        self.callbacks.token_in_blocklist = lambda jwt_header, jwt_data: callback(jwt_data)
        return callback

    def claims_verification_loader(self, callback: F) -> F:
        """Deprecated 3.x name of :meth:`token_verification_loader`; ``callback(user_claims)``.

        As in 3.x, it receives the claims under ``JWT_USER_CLAIMS`` (``{}``
        when absent) and is not run for refresh tokens.
        """
        warn_renamed("claims_verification_loader", "token_verification_loader")

        def verify(jwt_header: Header, jwt_data: Claims) -> bool:
            if jwt_data.get("type") == "refresh":
                return True
            return callback(user_claims_of(jwt_data))

        self.callbacks.token_verification = verify
        return callback

    def claims_verification_failed_loader(self, callback: F) -> F:
        """Deprecated 3.x name of :meth:`token_verification_failed_loader`; ``callback()``."""
        warn_renamed("claims_verification_failed_loader", "token_verification_failed_loader")
        self.callbacks.token_verification_failed = lambda jwt_header, jwt_data: callback()
        return callback

    # What the rest of the app asks of the manager.

    @property
    def user_lookup(self) -> Callable[[Header, Claims], Any] | None:
        """Return the user lookup in use: the registered one, else ``JWT_USER_LOOKUP``'s."""
        if self.callbacks.user_lookup is not None:
            return self.callbacks.user_lookup
        if config.user_lookup == "model":
            return defaults.load_user_by_pk
        return None

    @property
    def uses_builtin_store(self) -> bool:
        """Tell whether revocation is the built-in store's (no blocklist loader registered)."""
        return self.callbacks.token_in_blocklist is defaults.token_in_blocklist

    def encode(self, identity: Any, token_type: str, **options: Any) -> str:
        """Return a new signed token of ``token_type`` (``"access"`` or ``"refresh"``);
        ``options`` are those of :meth:`issue`.

        Pure: nothing is written anywhere (the issuing step records refresh
        tokens, see :func:`django_jwt_ext.revocation.record_refresh_token`).
        """
        return self.issue(identity, token_type, **options)[0]

    def issue(
        self,
        identity: Any,
        token_type: str,
        *,
        fresh: bool | float | timedelta = False,
        expires_delta: timedelta | int | Literal[False] | None = None,
        claims: dict[str, Any] | None = None,
        headers: dict[str, Any] | None = None,
        inherited: dict[str, Any] | None = None,
    ) -> tuple[str, Claims]:
        """Return a new signed token and its claims.

        Header fields: ``alg`` and ``typ``, then the ``kid`` of the signing key
        (see :func:`~django_jwt_ext.keys.signing_kid`), then the
        ``additional_headers_loader``'s fields, then ``headers``; later ones
        win, and a ``kid`` of ``None`` leaves the header without one.

        :param inherited: claims carried over from the token this one replaces;
            the loader's and ``claims`` are merged after them.
        """
        header_fields: dict[str, Any] = {}
        kid = signing_kid(self.callbacks.encode_key is defaults.encode_key)
        if kid is not None:
            header_fields["kid"] = kid
        header_fields.update(self.callbacks.additional_headers(identity) or {})
        if headers:
            header_fields.update(headers)
        if "kid" in header_fields and header_fields["kid"] is None:
            del header_fields["kid"]
        lifetime: Lifetime
        if expires_delta is None:
            lifetime = config.access_expires if token_type == "access" else config.refresh_expires
        elif type(expires_delta) is int:  # Integer seconds, as the settings accept.
            lifetime = timedelta(seconds=expires_delta)
        else:  # A timedelta, a relativedelta, or False.
            lifetime = cast(Lifetime, expires_delta)
        payload = make_claims(
            identity=self.callbacks.user_identity(identity),
            token_type=token_type,
            identity_claim_key=config.identity_claim_key,
            fresh=fresh,
            expires_delta=lifetime,
            csrf=config.cookie_csrf_protect,
            nbf=config.encode_nbf,
            audience=config.encode_audience,
            issuer=config.encode_issuer,
            claims=self.added_claims(identity, token_type, claims, inherited),
        )
        token = sign(
            payload,
            key=self.callbacks.encode_key(identity),
            algorithm=config.algorithm,
            headers=header_fields,
            json_encoder=config.json_encoder,
        )
        return token, payload

    def added_claims(
        self,
        identity: Any,
        token_type: str,
        claims: dict[str, Any] | None,
        inherited: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Return the claims added to the standard ones: ``inherited``, the loader's,
        then ``claims``.

        With 3.x's ``JWT_USER_CLAIMS`` (seed mode) they are nested under that
        key (absent when empty), explicit ``claims`` replace the loader's
        instead of being merged, and refresh tokens get the loader's only
        with ``JWT_CLAIMS_IN_REFRESH_TOKEN``, as in 3.x.
        """
        key = config.user_claims_key
        loaded = token_type == "access" or config.claims_in_refresh_token
        added = dict(inherited or {})
        if key is not None and claims is not None:
            added.update(claims)
        else:
            if loaded:
                added.update(self.callbacks.additional_claims(identity) or {})
            added.update(claims or {})
        if key is None:
            return added
        return {key: added} if added else {}

    def decode(
        self, encoded_token: str, csrf_value: str | None = None, allow_expired: bool = False
    ) -> tuple[Header, Claims]:
        """Verify ``encoded_token`` with the settings and return its header and claims.

        A registered ``decode_key_loader`` gives the key; otherwise the token's
        ``kid`` chooses it, and a token without one tries the current key, then
        the fallbacks (see :mod:`django_jwt_ext.keys`).

        :raises KeySetUnavailableError: the key must come from ``JWT_JWKS_URL``,
            which cannot be fetched.
        """
        if isinstance(encoded_token, str) and len(encoded_token) > config.max_token_size:
            raise JWTDecodeError(
                gettext("Token is larger than the maximum of %(size)d characters")
                % {"size": config.max_token_size}
            )

        def verify_with(key: Any, algorithms: Any) -> tuple[Header, Claims]:
            return decode_jwt(
                encoded_token,
                key=key,
                algorithms=algorithms,
                identity_claim_key=config.identity_claim_key,
                audience=config.decode_audience,
                issuer=config.decode_issuer,
                leeway=config.leeway,
                verify_sub=config.verify_sub,
                allow_expired=allow_expired,
                csrf_value=csrf_value,
            )

        if self.callbacks.decode_key is not defaults.decode_key:
            key = self.callbacks.decode_key(*peek(encoded_token))
            return verify_with(key, config.decode_algorithms)
        failures: list[Exception] = []
        for candidate in verification_keys(encoded_token):
            try:
                return verify_with(candidate.key, candidate.algorithms)
            except (jwt.InvalidSignatureError, KeyMismatchError) as exc:
                failures.append(exc)  # Not this key's token: the next key may verify it.
        # Every key failed: a wrong signature says more than a key of another kind.
        raise next((f for f in failures if isinstance(f, jwt.InvalidSignatureError)), failures[0])

    def error_response(self, error: JWTExtendedException) -> HttpResponse:
        """Return the response of the loader that handles ``error``.

        The loaders that take a reason get it in the active language
        (:func:`~django_jwt_ext.reasons.reason`).
        """
        callbacks = self.callbacks
        if isinstance(error, NoAuthorizationError | CSRFError):
            return callbacks.unauthorized(reason(error))
        if isinstance(error, ExpiredSignatureError):
            return callbacks.expired_token(error.jwt_header, error.jwt_data)
        if isinstance(error, FreshTokenRequired):
            return callbacks.needs_fresh_token(error.jwt_header, error.jwt_data)
        if isinstance(error, RevokedTokenError):
            return callbacks.revoked_token(error.jwt_header, error.jwt_data)
        if isinstance(error, UserLookupError):
            return callbacks.user_lookup_error(error.jwt_header, error.jwt_data)
        if isinstance(error, UserClaimsVerificationError):
            return callbacks.token_verification_failed(error.jwt_header, error.jwt_data)
        if isinstance(error, ServiceUnavailableError):
            return defaults.store_unavailable(reason(error))
        # JWTDecodeError, InvalidHeaderError, InvalidQueryParamError, WrongTokenError.
        return callbacks.invalid_token(reason(error))


default_manager = JWTManager()


@cache
def import_manager(path: str) -> JWTManager:
    """Import the manager at dotted ``path``."""
    manager = imported("JWT_MANAGER", path)
    if not isinstance(manager, JWTManager):
        raise ConfigurationError(
            gettext("JWT_MANAGER must name a JWTManager instance; %(path)s is %(value)s.")
            % {"path": repr(path), "value": repr(manager)}
        )
    return manager


def forget_managers(**kwargs: Any) -> None:
    """Re-import ``JWT_MANAGER`` after a settings change (tests swap managers)."""
    import_manager.cache_clear()


setting_changed.connect(forget_managers, dispatch_uid="django_jwt_ext.manager")


def get_jwt_manager() -> JWTManager:
    """Return the active manager: the one ``JWT_MANAGER`` names, else the default one."""
    path = config.manager_path
    return default_manager if path is None else import_manager(path)
