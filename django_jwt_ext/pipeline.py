"""The verification pipeline shared by every adapter.

locate -> decode -> type -> fresh -> revoked -> custom verification -> user,
in flask-jwt-extended 4.x's order. The decorators, the mixin, the middleware,
the Django REST framework classes, Ninja and Channels all call :func:`verify`
or :func:`averify`; none repeats a step.

The steps are written once, as a generator (:func:`verification`) that
yields where the built-in revocation store must be asked. :func:`verify`
answers synchronously; :func:`averify` answers with the store's async API on
the event loop, or, when a step needs synchronous I/O (the ORM, a registered
callback), runs the whole of :func:`verify` in one thread hop. A token
verified for a long-lived connection (a WebSocket) is judged again, later,
by :func:`arevalidate`: expiry and revocation, the only verdicts that change.
"""

import time
from collections.abc import Generator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from asgiref.sync import sync_to_async
from django.http import HttpRequest
from django.utils.translation import gettext

from . import defaults, revocation
from .config import EXEMPT_METHODS, LOCATIONS, config
from .exceptions import (
    ConfigurationError,
    ExpiredSignatureError,
    FreshTokenRequired,
    JWTExtendedException,
    NoAuthorizationError,
    RevokedTokenError,
    UserClaimsVerificationError,
    UserLookupError,
    WrongTokenError,
)
from .locations import Found, locate, underlying
from .manager import JWTManager, get_jwt_manager
from .token_user import TokenUser
from .tokens import Claims, Header

NOT_LOADED = object()
T = TypeVar("T")

# Attributes this app sets on the Django request.
VERIFIED_ATTR = "jwt_ext"
FOUND_ATTR = "jwt_ext_found"


@dataclass(frozen=True)
class Requirements:
    """What a view demands of the request's token (``jwt_required``'s arguments)."""

    optional: bool = False
    fresh: bool = False
    refresh: bool = False
    locations: tuple[str, ...] | None = None
    verify_type: bool = True
    skip_revocation_check: bool = False

    @classmethod
    def of(
        cls, locations: str | tuple[str, ...] | list[str] | None = None, **flags: bool
    ) -> "Requirements":
        """Build requirements, accepting one location name or several.

        Unknown location names give requirements that every request refuses
        with a server error, as flask-jwt-extended does (see
        :class:`UnusableRequirements`).
        """
        if isinstance(locations, str):
            locations = (locations,)
        names = tuple(locations) if locations else None
        if names and any(name not in LOCATIONS for name in names):
            return UnusableRequirements(locations=names, **flags)
        return cls(locations=names, **flags)

    @property
    def token_locations(self) -> tuple[str, ...]:
        return self.locations or config.locations

    def met_by(self, verified: "VerifiedJWT") -> bool:
        """Tell whether an earlier verification of the same request settles these requirements.

        It does when it asked the same of the token, and either found one or
        was allowed to find none as these are.
        """
        if verified.requirements is None:
            return False
        if verified.location is None:
            return verified.requirements == self and self.optional
        return replace(verified.requirements, optional=self.optional) == self


class UnusableRequirements(Requirements):
    """Requirements naming a location that does not exist.

    A programming error: as in flask-jwt-extended, decorating works and every
    request to the view is a server error (``ConfigurationError``, also a
    ``RuntimeError``) that names the mistake.
    """

    @property
    def token_locations(self) -> tuple[str, ...]:
        unknown = [name for name in self.locations or () if name not in LOCATIONS]
        raise ConfigurationError(
            gettext(
                "jwt_required(locations=...) names unknown locations %(unknown)s; use %(known)s."
            )
            % {"unknown": unknown, "known": ", ".join(LOCATIONS)}
        )


class VerifiedJWT(NamedTuple):
    """What the pipeline learnt about a request, stored on it for the helpers.

    A named tuple: built on every request, and cheaper to build than a
    frozen dataclass.
    """

    header: Header
    claims: Claims
    location: str | None
    user: Any = None
    # False when no user lookup is configured: get_current_user() has nothing to give.
    user_loaded: bool = True
    requirements: Requirements | None = None

    @property
    def identity(self) -> Any:
        """What a token issued in this one's place goes to: the looked-up user when
        a user lookup is configured (``user_identity_loader`` gets a user, as at
        login), else this token's identity claim."""
        return self.user if self.user_loaded else self.claims[config.identity_claim_key]


def no_token(requirements: Requirements | None = None) -> VerifiedJWT:
    """Return what an optional request without a token (or an OPTIONS request) learns.

    New dicts each time: a view that changes them must not change another's.
    """
    return VerifiedJWT(header={}, claims={}, location=None, requirements=requirements)


def find_token(request: Any, requirements: Requirements) -> Found:
    """Locate the token, once per request and requirements.

    The middleware locates before Django's CSRF check and the view verifies
    after it; remembering the outcome spares a second parse of the body.
    """
    key = (requirements.token_locations, requirements.refresh)
    cache = underlying(request).__dict__.setdefault(FOUND_ATTR, {})
    outcome = cache.get(key)
    if outcome is None:
        try:
            outcome = locate(request, *key)
        except JWTExtendedException as exc:
            outcome = exc
        cache[key] = outcome
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def check_type(claims: Claims, refresh: bool) -> None:
    if refresh:
        if claims["type"] != "refresh":
            raise WrongTokenError(gettext("Only refresh tokens are allowed"))
    elif config.seed_mode:
        if claims["type"] != "access":  # 3.x's words and rule
            raise WrongTokenError(gettext("Only access tokens are allowed"))
    elif claims["type"] == "refresh":
        raise WrongTokenError(gettext("Only non-refresh tokens are allowed"))


def check_fresh(header: Header, claims: Claims) -> None:
    fresh = claims["fresh"]
    if fresh is True:
        return
    # A number is the timestamp until which the token is fresh.
    if type(fresh) in (int, float) and fresh >= time.time():
        return
    raise FreshTokenRequired(gettext("Fresh token required"), header, claims)


def remember(request: Any, verified: VerifiedJWT) -> None:
    """Store ``verified`` on the request; a verified token's user becomes ``request.user``.

    Whenever a token was verified the request acts as the token's user, never
    as the user of a session cookie it may also carry.
    """
    django_request = underlying(request)
    setattr(django_request, VERIFIED_ATTR, verified)
    if verified.location is not None:
        # DRF's Request passes this on to the Django request it wraps.
        request.user = verified.user
        # Async views ask request.auser() (Django 5.0+); it must answer the same.
        django_request.auser = user_coroutine(verified.user)


def user_coroutine(user: Any):
    async def auser() -> Any:
        return user

    return auser


def uses_fused_lookup(manager: JWTManager) -> bool:
    """Tell whether the built-in store and user lookup answer together, in one query."""
    return manager.uses_builtin_store and manager.user_lookup is defaults.load_user_by_pk


def checks_revocation(requirements: Requirements, claims: Claims) -> bool:
    return not requirements.skip_revocation_check and config.checks_revocation(claims["type"])


# Steps that yield the claims whose revocation the built-in store must judge.
Steps = Generator[Claims, bool, T]
Verification = Steps[VerifiedJWT | None]


def loader_says_revoked(manager: JWTManager, header: Header, claims: Claims) -> bool | None:
    """Return the registered blocklist loader's answer; ``None`` when the built-in
    store must judge (the steps then yield the claims to their driver)."""
    if manager.uses_builtin_store:
        return None
    return manager.callbacks.token_in_blocklist(header, claims)


def verification(request: Any, requirements: Requirements) -> Verification:
    """The pipeline's steps; yields the claims whose revocation the built-in store must judge.

    :raises JWTExtendedException: the request does not meet ``requirements``.
    """
    if request.method in EXEMPT_METHODS:
        # Never verified (CORS preflight), but the view may still read the
        # helpers: they answer as for an optional request without a token.
        remember(request, no_token())
        return None
    earlier = getattr(underlying(request), VERIFIED_ATTR, None)
    if earlier is not None and requirements.met_by(earlier):
        return earlier
    try:
        found = find_token(request, requirements)
    except NoAuthorizationError:
        if not requirements.optional:
            raise
        verified = no_token(requirements)
        remember(request, verified)
        return verified

    manager = get_jwt_manager()
    callbacks = manager.callbacks
    header, claims = manager.decode(found.encoded_token, found.csrf_value)
    if requirements.verify_type:
        check_type(claims, requirements.refresh)
    # 4.x checks freshness before revocation; 3.x (seed mode) after.
    fresh_first = not config.seed_mode
    if requirements.fresh and fresh_first:
        check_fresh(header, claims)

    user, lookup = NOT_LOADED, manager.user_lookup
    if checks_revocation(requirements, claims):
        is_revoked: bool | None
        if uses_fused_lookup(manager):
            user, is_revoked = defaults.user_and_revocation(claims)
        else:
            is_revoked = loader_says_revoked(manager, header, claims)
            if is_revoked is None:
                is_revoked = yield claims  # The driver asks the store, sync or async.
        if is_revoked:
            raise RevokedTokenError(header, claims)
    if requirements.fresh and not fresh_first:
        check_fresh(header, claims)
    if not callbacks.token_verification(header, claims):
        raise UserClaimsVerificationError(
            gettext("User claims verification failed"), header, claims
        )

    if lookup is None:
        user = TokenUser(claims)
    else:
        if user is NOT_LOADED:
            user = lookup(header, claims)
        if user is None:
            identity = claims.get(config.identity_claim_key)
            raise UserLookupError(
                gettext("user_lookup returned None for %(identity)s") % {"identity": identity},
                header,
                claims,
            )
    verified = VerifiedJWT(header, claims, found.location, user, lookup is not None, requirements)
    remember(request, verified)
    return verified


def verify(request: Any, requirements: Requirements) -> VerifiedJWT | None:
    """Run the pipeline; store and return what it found, ``None`` for OPTIONS.

    The stored claims and header of an optional request without a token are
    empty dicts, as in flask-jwt-extended; an OPTIONS request gets the same,
    where flask would raise, so that a view reading them never fails.

    :raises JWTExtendedException: the request does not meet ``requirements``.
    """
    return answer(verification(request, requirements))


def answer(steps: Steps[T]) -> T:
    """Run ``steps``, answering their revocation questions with the store's sync API."""
    try:
        claims = next(steps)
        while True:
            claims = steps.send(revocation.is_token_revoked(claims))
    except StopIteration as done:
        return done.value


async def aanswer(steps: Steps[T]) -> T:
    """The async twin of :func:`answer`: the store's async API, on the event loop."""
    try:
        claims = next(steps)
        while True:
            claims = steps.send(await revocation.ais_token_revoked(claims))
    except StopIteration as done:
        return done.value


def needs_thread(manager: JWTManager) -> bool:
    """Tell whether a verification may do synchronous I/O (so it must leave the event loop).

    The ORM (the built-in user lookup, the database stores), registered
    callbacks (which may do anything) and fetching a ``JWT_JWKS_URL`` key set
    do; decoding, the defaults and the cache store's async API do not.
    """
    callbacks = manager.callbacks
    if config.jwks_url is not None:
        return True
    if manager.user_lookup is not None:
        return True
    if callbacks.decode_key is not defaults.decode_key:
        return True
    if callbacks.token_verification is not defaults.token_verification:
        return True
    if not manager.uses_builtin_store:
        return True
    return not revocation.get_backend().native_async


async def averify(request: Any, requirements: Requirements) -> VerifiedJWT | None:
    """The async twin of :func:`verify`: on the event loop when no step needs
    synchronous I/O, else in one thread hop for the whole pipeline."""
    if needs_thread(get_jwt_manager()):
        return await sync_to_async(verify)(request, requirements)
    return await aanswer(verification(request, requirements))


def expired(claims: Claims) -> bool:
    """Tell whether ``exp`` has passed, with the decode leeway, as PyJWT judges it."""
    expires = claims.get("exp")
    return expires is not None and time.time() >= int(expires) + config.leeway_seconds


def revalidation(verified: VerifiedJWT) -> Steps[None]:
    """The steps that judge again a token verified earlier: expiry, freshness (a
    timed one lapses) when required, then revocation.

    Its signature and type cannot have changed; its user is not looked up again.

    :raises JWTExtendedException: the token has expired, stopped being fresh or
        was revoked since.
    """
    header, claims = verified.header, verified.claims
    if expired(claims):
        raise ExpiredSignatureError(header, claims)
    requirements = verified.requirements or Requirements()
    if requirements.fresh:
        check_fresh(header, claims)
    if checks_revocation(requirements, claims):
        is_revoked = loader_says_revoked(get_jwt_manager(), header, claims)
        if is_revoked is None:
            is_revoked = yield claims
        if is_revoked:
            raise RevokedTokenError(header, claims)


async def arevalidate(verified: VerifiedJWT) -> None:
    """Judge again, for a long-lived connection, a token verified earlier.

    Cheap enough for every message: clock comparisons and one revocation
    check (the store's async API, or a registered loader in a thread).

    :raises JWTExtendedException: the token has expired, stopped being fresh or
        was revoked since.
    """
    if get_jwt_manager().uses_builtin_store:
        await aanswer(revalidation(verified))
    else:
        await sync_to_async(answer)(revalidation(verified))


def requirements_of(
    optional: bool,
    fresh: bool,
    refresh: bool,
    locations: str | list[str] | tuple[str, ...] | None,
    verify_type: bool,
    skip_revocation_check: bool,
) -> Requirements:
    """Return the requirements for ``jwt_required``'s arguments, built once per combination."""
    if locations is not None and not isinstance(locations, str):
        locations = tuple(locations)
    return cached_requirements(
        optional, fresh, refresh, locations, verify_type, skip_revocation_check
    )


@lru_cache(maxsize=256)
def cached_requirements(
    optional: bool,
    fresh: bool,
    refresh: bool,
    locations: str | tuple[str, ...] | None,
    verify_type: bool,
    skip_revocation_check: bool,
) -> Requirements:
    return Requirements.of(
        locations,
        optional=optional,
        fresh=fresh,
        refresh=refresh,
        verify_type=verify_type,
        skip_revocation_check=skip_revocation_check,
    )


def verify_jwt_in_request(
    request: HttpRequest,
    optional: bool = False,
    fresh: bool = False,
    refresh: bool = False,
    locations: str | list[str] | tuple[str, ...] | None = None,
    verify_type: bool = True,
    skip_revocation_check: bool = False,
) -> tuple[Header, Claims] | None:
    """Verify the JWT of ``request`` and return ``(jwt_header, jwt_data)``.

    :param optional: a request without any token passes (and ``None`` is returned).
    :param fresh: require a fresh token.
    :param refresh: require a refresh token instead of an access token.
    :param locations: where to look (a name or a list); default ``JWT_TOKEN_LOCATION``.
    :param verify_type: check the token type against ``refresh``.
    :param skip_revocation_check: do not ask the ``token_in_blocklist_loader``.
    :raises JWTExtendedException: the request is refused; the
        :class:`~django_jwt_ext.middleware.JWTMiddleware` turns it into the
        loader's response.
    """
    requirements = requirements_of(
        optional, fresh, refresh, locations, verify_type, skip_revocation_check
    )
    return outcome(verify(request, requirements))


async def averify_jwt_in_request(
    request: HttpRequest,
    optional: bool = False,
    fresh: bool = False,
    refresh: bool = False,
    locations: str | list[str] | tuple[str, ...] | None = None,
    verify_type: bool = True,
    skip_revocation_check: bool = False,
) -> tuple[Header, Claims] | None:
    """The async twin of :func:`verify_jwt_in_request`, for ``async def`` views."""
    requirements = requirements_of(
        optional, fresh, refresh, locations, verify_type, skip_revocation_check
    )
    return outcome(await averify(request, requirements))


def outcome(verified: VerifiedJWT | None) -> tuple[Header, Claims] | None:
    if verified is None or verified.location is None:
        return None
    return verified.header, verified.claims
