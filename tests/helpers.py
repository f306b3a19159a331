"""Send a token the way each location expects it."""

import base64
import hashlib
import json
from importlib.util import find_spec
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from django.test import Client

from django_jwt_ext.config import config
from testproject.flavours import FLAVOURS

LOCATIONS = ("headers", "cookies", "query_string", "json")
# The flavours JWTMiddleware sees as protected (not the hand-called ones).
DECORATED = tuple(flavour for flavour in FLAVOURS if "manual" not in flavour)


def call(
    client: Client,
    path: str,
    token: str | None = None,
    location: str = "headers",
    *,
    method: str = "get",
    refresh: bool = False,
    csrf: str | None = None,
    **extra: Any,
) -> Any:
    """Request ``path`` with ``token`` in ``location`` and return the response.

    ``csrf`` is sent in the CSRF header of the matching token type.
    """
    kwargs: dict[str, Any] = dict(extra)
    kind = config.token_kind(refresh)
    if csrf is not None:
        kwargs["HTTP_" + kind.csrf_header_name.upper().replace("-", "_")] = csrf
    if token is not None:
        if location == "headers":
            kwargs["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        elif location == "cookies":
            client.cookies[kind.cookie_name] = token
        elif location == "query_string":
            separator = "&" if "?" in path else "?"
            path = f"{path}{separator}{config.query_string_name}={token}"
        elif location == "json":
            kwargs["data"] = json.dumps({kind.json_key: token})
            kwargs["content_type"] = "application/json"
        else:
            raise ValueError(location)
    return getattr(client, method)(path, **kwargs)


def flavour_path(flavour: str, variant: str = "protected") -> str:
    return f"/flavours/{flavour}/{variant}"


# The challenge every default 401 carries.
CHALLENGE = 'Bearer realm="api"'


def assert_refused(response: Any, status: int, message: str, key: str = "msg") -> None:
    """The request got the default error response: status, JSON body, challenge."""
    assert response.status_code == status
    assert response.json() == {key: message}
    if status == 401:
        assert response["WWW-Authenticate"] == CHALLENGE


def pem_pair(private_key: Any) -> tuple[str, str]:
    """Return (private PEM, public PEM) of a cryptography private key, as strings,
    as they sit in settings."""
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private_pem, public_pem


def rsa_pem_pair() -> tuple[str, str]:
    """Return a new 2048-bit RSA key pair as PEM strings: (private, public)."""
    return pem_pair(rsa.generate_private_key(public_exponent=65537, key_size=2048))


HAS_DRF = find_spec("rest_framework") is not None
if HAS_DRF:
    from testproject.drf_flavours import DRF_FLAVOURS
else:
    DRF_FLAVOURS = ()
HAS_NINJA = find_spec("ninja") is not None
# Ninja operations with JWTAuth (testproject/ninja_api.py), sync and async.
NINJA_FLAVOURS = ("ninja-sync", "ninja-async") if HAS_NINJA else ()
# Every flavour of testproject, Django REST framework's included when installed.
ALL_FLAVOURS = FLAVOURS + NINJA_FLAVOURS + DRF_FLAVOURS


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def rfc7638_thumbprint(public_pem: str | bytes) -> str:
    """Compute the RFC 7638 thumbprint of a public key straight from its numbers.

    Written apart from the app's code (which goes through PyJWT's JWK export),
    so each checks the other.
    """
    data = public_pem.encode() if isinstance(public_pem, str) else public_pem
    key = serialization.load_pem_public_key(data)
    if isinstance(key, rsa.RSAPublicKey):
        numbers = key.public_numbers()

        def unsigned(value: int) -> str:
            return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))

        members = f'{{"e":"{unsigned(numbers.e)}","kty":"RSA","n":"{unsigned(numbers.n)}"}}'
    elif isinstance(key, ec.EllipticCurvePublicKey):
        size = (key.curve.key_size + 7) // 8
        point = key.public_numbers()
        names = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        curve = names.get(key.curve.name, key.curve.name)  # secp256k1 keeps its name
        x, y = (b64url(value.to_bytes(size, "big")) for value in (point.x, point.y))
        members = f'{{"crv":"{curve}","kty":"EC","x":"{x}","y":"{y}"}}'
    else:
        curve = "Ed25519" if isinstance(key, ed25519.Ed25519PublicKey) else "Ed448"
        assert isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey)
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        members = f'{{"crv":"{curve}","kty":"OKP","x":"{b64url(raw)}"}}'
    return b64url(hashlib.sha256(members.encode()).digest())
