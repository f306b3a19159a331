"""Access tokens of both libraries for one user, padded to the same length."""

from typing import Any

from django_jwt_ext import create_access_token

PAD_CLAIM = "pad"


def simplejwt_token(user: Any, pad: int = 0) -> str:
    from rest_framework_simplejwt.tokens import AccessToken

    token = AccessToken.for_user(user)
    if pad:
        token[PAD_CLAIM] = "x" * pad
    return str(token)


def ours_token(user: Any, pad: int = 0) -> str:
    return create_access_token(user, additional_claims={PAD_CLAIM: "x" * pad} if pad else None)


def same_size(user: Any) -> tuple[str, str]:
    """Return ``(ours, simplejwt's)`` access tokens for ``user``, of equal length.

    The claims differ (ours carries ``fresh``, ``type``, ``nbf`` and ``csrf``,
    simplejwt ``token_type`` and ``user_id``): the shorter gets a ``pad``
    claim that neither library reads, so that both decode as many bytes.
    Lengths can differ by a character where base64 rounding forbids more.
    """
    ours, theirs = ours_token(user), simplejwt_token(user)
    make = simplejwt_token if len(theirs) < len(ours) else ours_token
    target = max(len(ours), len(theirs))
    best = ours if make is ours_token else theirs
    for pad in range(1, 200):
        candidate = make(user, pad)
        if abs(len(candidate) - target) < abs(len(best) - target):
            best = candidate
        if len(candidate) >= target:
            break
    return (best, theirs) if make is ours_token else (ours, best)
