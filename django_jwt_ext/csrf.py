"""The client's half of the double-submit CSRF check for cookie-carried tokens.

The token's ``csrf`` claim is the server's half; :func:`~django_jwt_ext.tokens.decode_jwt`
compares the two in constant time.
"""

from functools import lru_cache

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext

from .config import config
from .exceptions import CSRFError


@lru_cache(maxsize=64)
def meta_key(header_name: str) -> str:
    """Return the ``request.META`` key under which Django stores ``header_name``."""
    return "HTTP_" + header_name.upper().replace("-", "_")


def needs_double_submit(request: HttpRequest) -> bool:
    """Tell whether a cookie-carried token must come with the CSRF value."""
    return config.cookie_csrf_protect and request.method in config.csrf_methods


def submitted_value(request: HttpRequest, header_name: str, field_name: str) -> str:
    """Return the CSRF value from the header, or from the form when ``JWT_CSRF_CHECK_FORM``.

    :raises CSRFError: neither carries a value.
    """
    value = request.META.get(meta_key(header_name))
    if not value and config.csrf_check_form:
        try:
            value = request.POST.get(field_name)
        except MultiPartParserError:
            value = None
    if not value:
        raise CSRFError(gettext("Missing CSRF token"))
    return value
