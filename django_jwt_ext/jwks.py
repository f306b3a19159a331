"""The signing keys of another issuer (an identity provider), read from its JWKS endpoint.

PyJWT's ``PyJWKClient`` fetches, parses and caches the key set; this module
adds what a server verifying every request needs on top of it:

* one client per process and URL, kept until a setting changes;
* one fetch at a time: requests that need the set while it is being fetched
  wait for that fetch and share its outcome (an expired cache under load
  costs one request to the identity provider, and a failed fetch fails the
  waiting requests at once instead of one timeout after another);
* a ``kid`` missing from the cached set refetches it at most once per cache
  period, however many unknown kids arrive (forged ones cannot make this
  server hammer the identity provider);
* every way a fetch can fail (refused, timed out, an HTTP error, a body that
  is not a key set) is one :class:`~django_jwt_ext.exceptions.KeySetUnavailableError`,
  which the manager answers with a 503.
"""

import http.client
import logging
import threading
import time
from functools import cache
from typing import Any

import jwt
from django.core.signals import setting_changed
from django.utils.translation import gettext
from jwt import PyJWK, PyJWKClient

from .exceptions import KeySetUnavailableError
from .i18n import gettext_noop

logger = logging.getLogger("django_jwt_ext.jwks")

UNAVAILABLE = gettext_noop("The key set (JWKS) that verifies this token cannot be fetched")
REQUEST_HEADERS = {"Accept": "application/json", "User-Agent": "django-jwt-ext"}

# What a fetch raises besides PyJWT's own errors: a connection reset while the
# body is read (OSError), a body that is not JSON (ValueError) or is too deeply
# nested to parse (RecursionError), a malformed HTTP response.
FETCH_ERRORS = (jwt.PyJWTError, OSError, ValueError, RecursionError, http.client.HTTPException)


class RemoteKeys:
    """The signing keys published at ``url``, cached for ``cache_seconds``.

    :param timeout: seconds a fetch may take before the request fails closed.
    """

    def __init__(self, url: str, cache_seconds: float, timeout: float) -> None:
        self.client = PyJWKClient(
            url,
            cache_jwk_set=True,
            lifespan=cache_seconds,
            timeout=timeout,
            headers=dict(REQUEST_HEADERS),
        )
        self.cache_seconds = cache_seconds
        self.fetch_lock = threading.Lock()
        self.refetch_lock = threading.Lock()
        # time.monotonic() of the last refetch an unknown kid caused, and of the
        # last failed fetch.
        self.refetched_at: float | None = None
        self.failed_at: float | None = None

    def key(self, kid: str) -> PyJWK | None:
        """Return the signing key named ``kid``, or ``None`` when the issuer has none.

        A kid missing from the cached set refetches it, unless an unknown kid
        already did within the cache period.

        :raises KeySetUnavailableError: the set cannot be fetched.
        """
        found = PyJWKClient.match_kid(self.signing_keys(refresh=False), kid)
        if found is None and self.may_refetch():
            found = PyJWKClient.match_kid(self.signing_keys(refresh=True), kid)
        return found

    def may_refetch(self) -> bool:
        """Take the one refetch an unknown kid may cause per cache period, if it is free."""
        with self.refetch_lock:
            now = time.monotonic()
            if self.refetched_at is not None and now - self.refetched_at < self.cache_seconds:
                return False
            self.refetched_at = now
            return True

    def signing_keys(self, refresh: bool) -> list[PyJWK]:
        """Return the signing keys of the set, fetched when the cache is empty, expired or
        ``refresh`` is true.

        :raises KeySetUnavailableError: the fetch failed, or one did while this
            request waited for it.
        """
        asked = time.monotonic()
        with self.fetch_lock:
            if self.failed_at is not None and self.failed_at >= asked:
                raise KeySetUnavailableError(gettext(UNAVAILABLE))
            try:
                return self.client.get_signing_keys(refresh=refresh)
            except FETCH_ERRORS as exc:
                self.failed_at = time.monotonic()
                logger.warning("JWKS %s cannot be fetched: %s", self.client.uri, exc)
                raise KeySetUnavailableError(gettext(UNAVAILABLE)) from exc


@cache
def remote_keys(url: str, cache_seconds: float, timeout: float) -> RemoteKeys:
    """Return this process's client of the key set at ``url``."""
    return RemoteKeys(url, cache_seconds, timeout)


def forget_remote_keys(**kwargs: Any) -> None:
    """Start from an empty cache after a settings change (tests switch issuers)."""
    remote_keys.cache_clear()


setting_changed.connect(forget_remote_keys, dispatch_uid="django_jwt_ext.jwks")
