"""Set and unset the token cookies and their CSRF cookies on any Django response."""

from datetime import timedelta

from django.http import HttpResponseBase

from .config import TokenKind, config
from .token_api import get_csrf_token

EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT"


def set_token_cookie(
    response: HttpResponseBase,
    name: str,
    value: str,
    *,
    path: str,
    httponly: bool,
    max_age: int | timedelta | None,
    domain: str | None,
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age or config.cookie_max_age,
        path=path,
        domain=domain or config.cookie_domain,
        secure=config.cookie_secure,
        httponly=httponly,
        samesite=config.cookie_samesite,
    )


def expire_token_cookie(
    response: HttpResponseBase, name: str, *, path: str, httponly: bool, domain: str | None
) -> None:
    response.set_cookie(
        name,
        "",
        max_age=0,
        expires=EPOCH,
        path=path,
        domain=domain or config.cookie_domain,
        secure=config.cookie_secure,
        httponly=httponly,
        samesite=config.cookie_samesite,
    )


def csrf_cookies_enabled() -> bool:
    return config.cookie_csrf_protect and config.csrf_in_cookies


def set_kind_cookies(
    response: HttpResponseBase,
    kind: TokenKind,
    encoded_token: str,
    max_age: int | timedelta | None,
    domain: str | None,
) -> None:
    set_token_cookie(
        response,
        kind.cookie_name,
        encoded_token,
        path=kind.cookie_path,
        httponly=True,
        max_age=max_age,
        domain=domain,
    )
    if csrf_cookies_enabled():
        set_token_cookie(
            response,
            kind.csrf_cookie_name,
            get_csrf_token(encoded_token),
            path=kind.csrf_cookie_path,
            httponly=False,  # The client's script reads it for the double submit.
            max_age=max_age,
            domain=domain,
        )


def unset_kind_cookies(response: HttpResponseBase, kind: TokenKind, domain: str | None) -> None:
    expire_token_cookie(
        response, kind.cookie_name, path=kind.cookie_path, httponly=True, domain=domain
    )
    if csrf_cookies_enabled():
        expire_token_cookie(
            response,
            kind.csrf_cookie_name,
            path=kind.csrf_cookie_path,
            httponly=False,
            domain=domain,
        )


def set_access_cookies(
    response: HttpResponseBase,
    encoded_access_token: str,
    max_age: int | timedelta | None = None,
    domain: str | None = None,
) -> None:
    """Set the HttpOnly access-token cookie and, with CSRF on, the readable CSRF cookie.

    :param max_age: cookie lifetime; default per ``JWT_SESSION_COOKIE``.
    :param domain: cookie domain; default ``JWT_COOKIE_DOMAIN``.
    """
    set_kind_cookies(response, config.access_kind, encoded_access_token, max_age, domain)


def set_refresh_cookies(
    response: HttpResponseBase,
    encoded_refresh_token: str,
    max_age: int | timedelta | None = None,
    domain: str | None = None,
) -> None:
    """Set the HttpOnly refresh-token cookie and, with CSRF on, the readable CSRF cookie.

    :param max_age: cookie lifetime; default per ``JWT_SESSION_COOKIE``.
    :param domain: cookie domain; default ``JWT_COOKIE_DOMAIN``.
    """
    set_kind_cookies(response, config.refresh_kind, encoded_refresh_token, max_age, domain)


def unset_access_cookies(response: HttpResponseBase, domain: str | None = None) -> None:
    """Expire the access-token cookie and its CSRF cookie."""
    unset_kind_cookies(response, config.access_kind, domain)


def unset_refresh_cookies(response: HttpResponseBase, domain: str | None = None) -> None:
    """Expire the refresh-token cookie and its CSRF cookie."""
    unset_kind_cookies(response, config.refresh_kind, domain)


def unset_jwt_cookies(response: HttpResponseBase, domain: str | None = None) -> None:
    """Expire every token cookie and CSRF cookie."""
    unset_access_cookies(response, domain)
    unset_refresh_cookies(response, domain)
