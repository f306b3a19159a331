"""The keys that verify tokens: the current one, the fallbacks, their ``kid``, their JWKs.

The rules, in one place:

* the current key (``JWT_PUBLIC_KEY``, or the HMAC secret) verifies, then the
  fallbacks (``JWT_PUBLIC_KEY_FALLBACKS`` / ``JWT_SECRET_KEY_FALLBACKS``) in
  their order; only the current key signs;
* a key's ``kid`` is the one given (``JWT_KEY_ID``, a fallback's ``"kid"``),
  else the RFC 7638 thumbprint of a public key; HMAC secrets have none unless
  given one;
* a token's ``kid`` chooses its key among the current one, the fallbacks and
  the ``JWT_JWKS_URL`` set, and a ``kid`` none of them has is refused without
  trying any key; a token without ``kid`` tries the current key, then the
  fallbacks. While no key has a ``kid`` and no JWKS is used (an HMAC secret
  without ``JWT_KEY_ID``), a token's ``kid`` chooses nothing, as in
  flask-jwt-extended;
* a key verifies only the accepted algorithms (``JWT_DECODE_ALGORITHMS``)
  that fit it: PyJWT refuses a key of another kind, and a JWKS key verifies
  only its own public-key algorithm.

Keys are loaded once and kept until a setting changes.
"""

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from django.core.signals import setting_changed
from django.utils.translation import gettext
from jwt.algorithms import get_default_algorithms, requires_cryptography

from . import jwks
from .config import KeyEntry, config, mirrors_django_fallbacks
from .exceptions import ConfigurationError, UnknownKeyIdError, decode_error
from .i18n import gettext_noop
from .tokens import header_kid

UNKNOWN_KID = gettext_noop("No verification key matches the token's kid")
NO_KID = gettext_noop("The token has no kid to choose a JWKS key with")

# RFC 7638, section 3.2: the members of each key type that a thumbprint hashes.
THUMBPRINT_MEMBERS = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
}


@dataclass(frozen=True)
class Key:
    """A key that verifies tokens, loaded for PyJWT.

    ``key`` is bytes for an HMAC secret and a public key object otherwise;
    ``algorithms`` are those PyJWT may verify with it; ``alg`` is the one it
    signed with (the one its JWK names); ``source`` names the setting it comes
    from, for messages.
    """

    key: Any
    algorithms: tuple[str, ...]
    alg: str
    kid: str | None
    source: str

    @property
    def is_public(self) -> bool:
        return not isinstance(self.key, bytes)

    def jwk(self) -> dict[str, Any]:
        """Return the public JWK of the key, with ``kid``, ``alg`` and ``use``."""
        members = public_jwk(self.key, self.alg)
        members.update(kid=self.kid, alg=self.alg, use="sig")
        return members


@dataclass(frozen=True)
class KeySet:
    """The current key (first, when this app has one) and the fallbacks, in order."""

    keys: tuple[Key, ...]
    by_kid: dict[str, Key] = field(init=False)

    def __post_init__(self) -> None:
        by_kid: dict[str, Key] = {}
        for key in self.keys:
            if key.kid is not None:
                by_kid.setdefault(key.kid, key)  # The current key wins a clash (E020).
        object.__setattr__(self, "by_kid", by_kid)


def public_jwk(key: Any, algorithm: str) -> dict[str, Any]:
    """Return the JWK members of public ``key`` (PyJWT's export, without ``key_ops``)."""
    members = dict(get_default_algorithms()[algorithm].to_jwk(key, as_dict=True))
    members.pop("key_ops", None)  # RFC 7517 4.3: "use" says it, and both should not be used.
    return members


def thumbprint(members: dict[str, Any]) -> str:
    """Return the RFC 7638 SHA-256 thumbprint of a public JWK, base64url without padding."""
    required = {name: members[name] for name in THUMBPRINT_MEMBERS[members["kty"]]}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def pem_thumbprint(public_pem: str, algorithm: str) -> str:
    """Return the RFC 7638 thumbprint of a public key in PEM, loaded for ``algorithm``."""
    return thumbprint(
        public_jwk(get_default_algorithms()[algorithm].prepare_key(public_pem), algorithm)
    )


def accepted_algorithms() -> list[str]:
    """Return the accepted algorithms, ``JWT_ALGORITHM`` first."""
    algorithms = config.decode_algorithms
    return sorted(algorithms, key=lambda name: name != config.algorithm)


def load_key(raw: Any, kid: str | None, source: str) -> Key:
    """Load ``raw`` (from setting ``source``) for the accepted algorithms that fit it.

    A private key verifies with its public half (and never publishes the rest).

    :raises ConfigurationError: no accepted algorithm can use the key.
    """
    algorithms = accepted_algorithms()
    fitting: list[str] = []
    loaded: Any = None
    reasons: list[str] = []
    for name in algorithms:
        try:
            candidate = get_default_algorithms()[name].prepare_key(raw)
        except Exception as exc:  # PyJWT raises several unrelated types here.
            reasons.append(str(exc) or type(exc).__name__)
            continue
        fitting.append(name)
        if loaded is None:
            loaded = candidate
    if loaded is None:
        raise ConfigurationError(
            gettext("%(setting)s cannot be used with %(algorithms)s: %(reason)s")
            % {"setting": source, "algorithms": ", ".join(algorithms), "reason": reasons[0]}
        )
    if hasattr(loaded, "public_key"):
        loaded = loaded.public_key()
    if kid is None and not isinstance(loaded, bytes):
        kid = thumbprint(public_jwk(loaded, fitting[0]))
    # PyJWT gets every accepted algorithm: it refuses those that do not fit
    # the key itself, which the manager reports as a key mismatch.
    return Key(loaded, tuple(algorithms), fitting[0], kid, source)


def current_setting() -> str:
    return "JWT_PUBLIC_KEY" if config.is_asymmetric else "JWT_SECRET_KEY"


def fallbacks_setting() -> str:
    """Name the setting the fallbacks in use come from."""
    if config.is_asymmetric:
        return "JWT_PUBLIC_KEY_FALLBACKS"
    return "SECRET_KEY_FALLBACKS" if mirrors_django_fallbacks() else "JWT_SECRET_KEY_FALLBACKS"


@cache
def current_key() -> Key | None:
    """Return the current verification key; ``None`` for an app that only verifies the
    tokens of a ``JWT_JWKS_URL`` and has no public key of its own.

    :raises ConfigurationError: the key is missing or unusable.
    """
    if config.is_asymmetric and config.jwks_url is not None and not config.is_set("public_key"):
        return None
    return load_key(config.decode_key, config.key_id, current_setting())


@cache
def fallback_keys() -> tuple[Key, ...]:
    """Return the fallback keys of the kind ``JWT_ALGORITHM`` uses, in their order.

    :raises ConfigurationError: a fallback is unusable.
    """
    setting = fallbacks_setting()
    entries: tuple[KeyEntry, ...] = config.decode_key_fallbacks
    return tuple(
        load_key(entry.key, entry.kid, f"{setting}[{position}]")
        for position, entry in enumerate(entries)
    )


@cache
def local_keys() -> KeySet:
    """Return the current key and the fallbacks."""
    current = current_key()
    return KeySet(((current,) if current else ()) + fallback_keys())


@cache
def signing_kid(default_key: bool) -> str | None:
    """Return the ``kid`` of new tokens: ``JWT_KEY_ID``, else the current public key's.

    HMAC secrets have none, and neither has the key of an ``encode_key_loader``
    (``default_key`` false), which this app does not know.
    """
    if config.key_id is not None or not default_key or not config.is_asymmetric:
        return config.key_id
    current = current_key()
    if current is not None:
        return current.kid
    # No public key of our own (a JWKS-verifying app): the private key's public half.
    return load_key(config.encode_key, None, "JWT_PRIVATE_KEY").kid


def remote_keys() -> jwks.RemoteKeys | None:
    """Return the client of ``JWT_JWKS_URL``'s key set, or ``None`` without one."""
    if config.jwks_url is None:
        return None
    return jwks.remote_keys(config.jwks_url, config.jwks_cache_seconds, config.jwks_timeout)


def remote_key(kid: str) -> Key | None:
    """Return the ``JWT_JWKS_URL`` key named ``kid``, verifying its own algorithm only.

    :raises KeySetUnavailableError: the key set cannot be fetched.
    :raises JWTDecodeError: the key's algorithm is not accepted here (HMAC
        keys never are: a published secret is no secret).
    """
    remote = remote_keys()
    found = None if remote is None else remote.key(kid)
    if found is None:
        return None
    algorithm = found.algorithm_name
    if algorithm not in config.decode_algorithms or algorithm not in requires_cryptography:
        raise decode_error(jwt.InvalidAlgorithmError("The specified alg value is not allowed"))
    return Key(found.key, (algorithm,), algorithm, kid, "JWT_JWKS_URL")


def verification_keys(encoded_token: str) -> tuple[Key, ...]:
    """Return the keys to try on ``encoded_token``, in order (never none).

    :raises UnknownKeyIdError: the token's ``kid`` names no key, or the token
        has none and only a JWKS could verify it.
    :raises KeySetUnavailableError: the ``JWT_JWKS_URL`` set cannot be fetched.
    :raises JWTDecodeError: the token's header cannot be read.
    """
    local = local_keys()
    if not local.by_kid and config.jwks_url is None:
        return local.keys  # No key has a kid: the token's kid chooses nothing.
    kid = header_kid(encoded_token)
    if kid is None:
        if local.keys:
            return local.keys
        raise UnknownKeyIdError(gettext(NO_KID))
    key = local.by_kid.get(kid) or remote_key(kid)
    if key is None:
        raise UnknownKeyIdError(gettext(UNKNOWN_KID))
    return (key,)


def published_jwks() -> dict[str, list[dict[str, Any]]] | None:
    """Return ``{"keys": [...]}`` for the current and fallback public keys, or ``None``
    when there is none to publish (HMAC secrets are never published)."""
    published: dict[str | None, dict[str, Any]] = {}
    for key in local_keys().keys:
        if key.is_public and key.kid not in published:  # A key listed twice is published once.
            published[key.kid] = key.jwk()
    return {"keys": list(published.values())} if published else None


# New keys: RSA sizes by hash length (NIST SP 800-57), the curve of each ES*
# algorithm, Ed25519 for EdDSA, and 64 random bytes for HMAC secrets (enough
# for HS512, RFC 7518 3.2).
RSA_BITS = {"256": 2048, "384": 3072, "512": 4096}
EC_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "ES256": ec.SECP256R1,
    "ES256K": ec.SECP256K1,
    "ES384": ec.SECP384R1,
    "ES512": ec.SECP521R1,
}
SECRET_BYTES = 64
GENERATED_ALGORITHMS = (
    *(f"{family}{bits}" for family in ("HS", "RS", "PS") for bits in RSA_BITS),
    *EC_CURVES,
    "EdDSA",
)


def new_key(algorithm: str) -> tuple[str, str | None]:
    """Return a new key for ``algorithm`` (one of ``GENERATED_ALGORITHMS``):
    ``(private PEM, public PEM)``, or ``(secret, None)`` for an HMAC algorithm."""
    if algorithm.startswith("HS"):
        return secrets.token_urlsafe(SECRET_BYTES), None
    private: Any
    if algorithm in EC_CURVES:
        private = ec.generate_private_key(EC_CURVES[algorithm]())
    elif algorithm == "EdDSA":
        private = ed25519.Ed25519PrivateKey.generate()
    else:
        private = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS[algorithm[2:]])
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem.decode("ascii"), public_pem.decode("ascii")


def forget_keys(**kwargs: Any) -> None:
    """Load the keys again after a settings change."""
    for cached in (current_key, fallback_keys, local_keys, signing_kid):
        cached.cache_clear()


setting_changed.connect(forget_keys, dispatch_uid="django_jwt_ext.keys")
