"""Key material and settings helpers shared by the key rotation and JWKS tests."""

from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519

from tests.helpers import call, flavour_path, pem_pair, rsa_pem_pair

# HMAC secrets of 64 bytes: long enough for HS512 (RFC 7518 3.2).
SECRET_A = "secret-a-0123456789abcdef0123456789abcdef0123456789abcdef01234567"
SECRET_B = "secret-b-0123456789abcdef0123456789abcdef0123456789abcdef01234567"
SECRET_C = "secret-c-0123456789abcdef0123456789abcdef0123456789abcdef01234567"

UNKNOWN_KID = "No verification key matches the token's kid"
BAD_SIGNATURE = "Signature verification failed"
NOT_ALLOWED = "The specified alg value is not allowed"
UNAVAILABLE = "The key set (JWKS) that verifies this token cannot be fetched"


def new_pair(algorithm: str) -> tuple[str, str]:
    """Return a new PEM key pair for ``algorithm`` (or key type: Ed25519, Ed448)."""
    if algorithm in ("RS256", "PS256", "RS512"):
        return rsa_pem_pair()
    if algorithm == "ES256":
        return pem_pair(ec.generate_private_key(ec.SECP256R1()))
    if algorithm == "ES384":
        return pem_pair(ec.generate_private_key(ec.SECP384R1()))
    if algorithm == "ES512":
        return pem_pair(ec.generate_private_key(ec.SECP521R1()))
    if algorithm == "ES256K":
        return pem_pair(ec.generate_private_key(ec.SECP256K1()))
    if algorithm in ("EdDSA", "Ed25519"):
        return pem_pair(ed25519.Ed25519PrivateKey.generate())
    if algorithm == "Ed448":
        return pem_pair(ed448.Ed448PrivateKey.generate())
    raise ValueError(algorithm)


def use_pair(settings: Any, algorithm: str, pair: tuple[str, str], fallbacks=()) -> None:
    """Make ``pair`` the current key pair of ``algorithm``, with public-key ``fallbacks``."""
    settings.JWT_ALGORITHM = algorithm
    settings.JWT_PRIVATE_KEY, settings.JWT_PUBLIC_KEY = pair
    settings.JWT_PUBLIC_KEY_FALLBACKS = list(fallbacks)


def get(client: Any, token: str, flavour: str = "sync") -> Any:
    """Call the protected view of ``flavour`` with ``token``."""
    return call(client, flavour_path(flavour), token)


def opens(client: Any, token: str, flavour: str = "sync") -> Any:
    """The view of ``flavour`` accepts ``token``: return what it answered."""
    response = get(client, token, flavour)
    assert response.status_code == 200, response.content
    return response.json()
