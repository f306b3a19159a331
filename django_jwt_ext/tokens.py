"""Encode and decode JWTs with flask-jwt-extended 4.x's claims layout.

Pure functions over PyJWT: every input is an argument and nothing here reads
Django settings, so they are testable without a configured project.
"""

import base64
import calendar
import hmac
import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

import jwt
from jwt.algorithms import HMACAlgorithm

from .exceptions import (
    CSRFError,
    ExpiredSignatureError,
    JWTDecodeError,
    KeyMismatchError,
    decode_error,
)

Claims = dict[str, Any]
Header = dict[str, Any]

# Raised by PyJWT outside InvalidTokenError when the token's algorithm does not
# fit the key (an HMAC secret offered to RS256, an RSA key object to HS256...).
KEY_MISMATCH_ERRORS = (jwt.PyJWTError, TypeError, ValueError)
KEY_MISMATCH_MESSAGE = "The token's algorithm cannot be used with the configured key"


class ValidatedOnceHMAC(HMACAlgorithm):
    """PyJWT's HMAC algorithm, checking each secret once instead of at every token.

    PyJWT checks an HMAC secret each time it is used (it must not be a PEM,
    SSH, DER or JWK key): parsing attempts that cost about a fifth of a
    decode. The outcome depends on the secret alone, so the prepared secret is
    remembered per secret; a refused one is never remembered.
    """

    MAX_SECRETS = 16  # The current secret and its fallbacks; never unbounded.

    def __init__(self, hash_alg: Any) -> None:
        super().__init__(hash_alg)
        self.prepared: dict[str | bytes, bytes] = {}

    def prepare_key(self, key: str | bytes) -> bytes:
        if not isinstance(key, str | bytes):
            return super().prepare_key(key)
        prepared = self.prepared.get(key)
        if prepared is None:
            prepared = super().prepare_key(key)
            if len(self.prepared) < self.MAX_SECRETS:
                self.prepared[key] = prepared
        return prepared


def build_codec() -> jwt.PyJWT:
    """Return the PyJWT instance that signs and verifies: PyJWT's own, with HMAC secrets
    checked once (:class:`ValidatedOnceHMAC`).

    PyJWT keeps an instance's algorithms on its ``_jws``, as its module-level
    functions do; without that attribute (another PyJWT) the plain instance
    is used.
    """
    codec = jwt.PyJWT()
    jws = getattr(codec, "_jws", None)
    if isinstance(jws, jwt.PyJWS):
        for name, hash_alg in (
            ("HS256", HMACAlgorithm.SHA256),
            ("HS384", HMACAlgorithm.SHA384),
            ("HS512", HMACAlgorithm.SHA512),
        ):
            jws.unregister_algorithm(name)
            jws.register_algorithm(name, ValidatedOnceHMAC(hash_alg))
    return codec


CODEC = build_codec()

# Decode options by (verify aud, verify sub, verify exp): built once, not per token.
DECODE_OPTIONS = {
    flags: {"verify_aud": flags[0], "verify_sub": flags[1], "verify_exp": flags[2]}
    for flags in [(a, b, c) for a in (True, False) for b in (True, False) for c in (True, False)]
}


def make_claims(
    *,
    identity: Any,
    token_type: str,
    identity_claim_key: str = "sub",
    fresh: bool | float | timedelta = False,
    expires_delta: timedelta | Literal[False] | None = None,
    csrf: bool = False,
    nbf: bool = True,
    audience: str | Iterable[str] | None = None,
    issuer: str | None = None,
    claims: Mapping[str, Any] | None = None,
) -> Claims:
    """Return the claims of a new token: the standard ones, then ``claims``.

    ``iat``, ``nbf`` and ``exp`` are whole seconds, as flask-jwt-extended
    emits them (verifiers such as JavaScript's jose refuse a fractional
    ``iat`` during the token's first second).

    :param fresh: ``True``/``False``, or a ``timedelta`` stored as the
        timestamp until which the token counts as fresh.
    :param expires_delta: lifetime of the token; ``False`` or ``None`` means
        no ``exp`` claim.
    :param csrf: add a random ``csrf`` claim for the double-submit check.
    :param claims: extra claims, merged last (they override the standard ones).
    """
    now = datetime.now(timezone.utc)
    if isinstance(fresh, timedelta):
        fresh = (now + fresh).timestamp()
    issued_at = whole_seconds(now)
    payload: Claims = {
        "fresh": fresh,
        "iat": issued_at,
        "jti": str(uuid.uuid4()),
        "type": token_type,
        identity_claim_key: identity,
    }
    if nbf:
        payload["nbf"] = issued_at
    if csrf:
        payload["csrf"] = str(uuid.uuid4())
    if audience:
        payload["aud"] = audience if isinstance(audience, str) else list(audience)
    if issuer:
        payload["iss"] = issuer
    if expires_delta is not None and expires_delta is not False:  # timedelta(0) is falsy
        payload["exp"] = whole_seconds(now + expires_delta)
    if claims:
        payload.update(claims)
    return payload


def whole_seconds(moment: datetime) -> int:
    """Return ``moment`` as a NumericDate in whole seconds, as PyJWT writes datetimes."""
    return calendar.timegm(moment.utctimetuple())


def sign(
    claims: Mapping[str, Any],
    *,
    key: Any,
    algorithm: str,
    headers: Mapping[str, Any] | None = None,
    json_encoder: type[json.JSONEncoder] | None = None,
) -> str:
    """Return ``claims`` signed with ``key``; ``headers`` are merged after ``alg`` and ``typ``.

    Datetimes among the claims become whole-second timestamps.
    """
    return CODEC.encode(
        dict(claims),
        key,
        algorithm=algorithm,
        headers=dict(headers) if headers else None,
        json_encoder=json_encoder,
    )


def encode_jwt(
    *,
    key: Any,
    algorithm: str,
    headers: Mapping[str, Any] | None = None,
    json_encoder: type[json.JSONEncoder] | None = None,
    **claim_options: Any,
) -> str:
    """Return a signed token; ``claim_options`` are the arguments of :func:`make_claims`."""
    return sign(
        make_claims(**claim_options),
        key=key,
        algorithm=algorithm,
        headers=headers,
        json_encoder=json_encoder,
    )


def decode_jwt(
    encoded_token: str,
    *,
    key: Any,
    algorithms: Iterable[str],
    identity_claim_key: str = "sub",
    audience: str | Iterable[str] | None = None,
    issuer: str | None = None,
    leeway: float | timedelta = 0,
    verify_sub: bool = True,
    allow_expired: bool = False,
    csrf_value: str | None = None,
) -> tuple[Header, Claims]:
    """Verify ``encoded_token`` and return its header and claims.

    Claims that tokens made elsewhere may lack get flask-jwt-extended's
    defaults: ``type`` ``"access"``, ``fresh`` ``False``, ``jti`` ``None``.

    :param csrf_value: when given, the token's ``csrf`` claim must equal it.
    :raises ExpiredSignatureError: the signature is valid but ``exp`` passed;
        the exception carries the header and claims. The CSRF value is still
        compared first, as flask-jwt-extended does.
    :raises JWTDecodeError: any other reason the token is not valid; PyJWT's
        errors keep their class too (``except jwt.InvalidAudienceError``).
    :raises CSRFError: ``csrf_value`` does not match the token.
    """
    check_encoded(encoded_token)
    if not isinstance(algorithms, list):
        algorithms = list(algorithms)  # An iterator would be spent by the first attempt.
    options = DECODE_OPTIONS[audience is not None, verify_sub, not allow_expired]
    try:
        decoded = CODEC.decode_complete(
            encoded_token,
            key,
            algorithms=algorithms,
            audience=audience,
            issuer=issuer,
            leeway=leeway,
            options=options,  # type: ignore[arg-type]
        )
    except jwt.ExpiredSignatureError:
        header, claims = decode_jwt(
            encoded_token,
            key=key,
            algorithms=algorithms,
            identity_claim_key=identity_claim_key,
            audience=audience,
            issuer=issuer,
            leeway=leeway,
            verify_sub=verify_sub,
            allow_expired=True,
            csrf_value=csrf_value,
        )
        raise ExpiredSignatureError(header, claims) from None
    except jwt.InvalidTokenError as exc:
        raise decode_error(exc) from None
    except KEY_MISMATCH_ERRORS as exc:
        raise KeyMismatchError(KEY_MISMATCH_MESSAGE) from exc

    claims = decoded["payload"]
    if identity_claim_key not in claims:
        raise JWTDecodeError(f"Missing claim: {identity_claim_key}")
    claims.setdefault("type", "access")
    claims.setdefault("fresh", False)
    claims.setdefault("jti", None)
    if csrf_value:
        if "csrf" not in claims:
            raise JWTDecodeError("Missing claim: csrf")
        if not same_secret(claims["csrf"], csrf_value):
            raise CSRFError("CSRF double submit tokens do not match")
    return decoded["header"], claims


def check_encoded(encoded_token: Any) -> None:
    """Refuse what cannot be a compact JWS before PyJWT sees it.

    PyJWT raises ``UnicodeEncodeError`` (outside its own errors) for strings
    that UTF-8 cannot encode, such as lone surrogates from a JSON body.
    Anything else is left to PyJWT, whose messages clients see (translated by
    :mod:`django_jwt_ext.reasons`, like the messages of this module).
    """
    if not isinstance(encoded_token, str):
        # PyJWT's words, which it writes as f"... must be a {bytes}".
        raise JWTDecodeError("Invalid token type. Token must be a <class 'bytes'>")
    if not encoded_token.isascii():
        try:
            encoded_token.encode("utf-8")
        except UnicodeEncodeError:
            raise JWTDecodeError("Invalid token: it is not valid UTF-8") from None


def peek(encoded_token: str) -> tuple[Header, Claims]:
    """Return a token's header and claims without verifying anything.

    For choosing a decode key before verification; never trust the result.
    """
    check_encoded(encoded_token)
    try:
        decoded = jwt.decode_complete(encoded_token, options={"verify_signature": False})
    except jwt.InvalidTokenError as exc:
        raise decode_error(exc) from None
    return decoded["header"], decoded["payload"]


def unverified_header(encoded_token: str) -> Header:
    """Return a token's JOSE header without verifying the token."""
    check_encoded(encoded_token)
    try:
        return jwt.get_unverified_header(encoded_token)
    except jwt.InvalidTokenError as exc:
        raise decode_error(exc) from None


def header_kid(encoded_token: str) -> Any:
    """Return the ``kid`` of a token's header, without verifying anything.

    Only the header segment is decoded: PyJWT's own reading validates every
    segment, the long signature included, which the verification that
    follows does again. A header PyJWT would refuse gets PyJWT's error.
    """
    segment = encoded_token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, RecursionError):  # binascii.Error is a ValueError.
        header = None
    if isinstance(header, dict) and isinstance(header.get("kid", ""), str):
        return header.get("kid")
    return unverified_header(encoded_token).get("kid")


def same_secret(expected: Any, given: Any) -> bool:
    """Compare two secret strings in constant time; anything but two strings differs.

    Encoding first lets non-ASCII input (which ``hmac.compare_digest`` refuses
    as ``str``) be compared instead of raising.
    """
    if not isinstance(expected, str) or not isinstance(given, str):
        return False
    return hmac.compare_digest(
        expected.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass")
    )
