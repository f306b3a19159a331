"""Find the encoded token in a request: headers, cookies, query string or JSON body.

Each locator returns ``(encoded_token, csrf_value)`` or raises
:class:`~django_jwt_ext.exceptions.NoAuthorizationError` when its location
holds no token; any other error means a token was there and is refused.
The rules and messages are flask-jwt-extended 4.x's; messages are in the
active language (in English, flask's words byte for byte).
"""

import json
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from django.http import HttpRequest
from django.http.request import RawPostDataException
from django.utils.translation import gettext

from .config import config
from .csrf import meta_key, needs_double_submit, submitted_value
from .exceptions import InvalidHeaderError, InvalidQueryParamError, NoAuthorizationError

COMMA_SEPARATED = re.compile(r",\s*")


class Found(NamedTuple):
    """A token found in a request."""

    location: str
    encoded_token: Any
    csrf_value: str | None


def underlying(request: Any) -> HttpRequest:
    """Return the Django request behind ``request`` (DRF wraps it in its own)."""
    return getattr(request, "_request", request)


def from_headers(request: HttpRequest, refresh: bool) -> tuple[str, None]:
    name, kind = config.header_name, config.header_type
    value = request.META.get(meta_key(name), "").strip(" \t,")
    if not value:
        raise NoAuthorizationError(gettext("Missing %(header)s Header") % {"header": name})
    if not kind:
        parts = value.split()
        if len(parts) != 1:
            raise bad_header(name, kind)
        return parts[0], None
    if "," not in value:
        # The common case, one credential: the same rules, without the split.
        parts = value.split()
        if parts[0] == kind:
            if len(parts) != 2:
                raise bad_header(name, kind)
            return parts[1], None
    # The header may hold several comma-separated credentials; exactly one
    # must be of our type.
    candidates = [field for field in COMMA_SEPARATED.split(value) if field.split()[:1] == [kind]]
    if len(candidates) != 1:
        raise NoAuthorizationError(
            gettext(
                "Missing '%(type)s' type in '%(header)s' header. "
                "Expected '%(header)s: %(type)s <JWT>'"
            )
            % {"header": name, "type": kind}
        )
    parts = candidates[0].split()
    if len(parts) != 2:
        raise bad_header(name, kind)
    return parts[1], None


def bad_header(name: str, kind: str) -> InvalidHeaderError:
    """Return the error of a header whose token is not written as ``<type> <JWT>``."""
    if kind:
        message = gettext("Bad %(header)s header. Expected '%(header)s: %(type)s <JWT>'")
    else:
        message = gettext("Bad %(header)s header. Expected '%(header)s: <JWT>'")
    return InvalidHeaderError(message % {"header": name, "type": kind})


def from_cookies(request: HttpRequest, refresh: bool) -> tuple[str, str | None]:
    kind = config.token_kind(refresh)
    encoded_token = request.COOKIES.get(kind.cookie_name)
    if not encoded_token:
        raise NoAuthorizationError(
            gettext('Missing cookie "%(cookie)s"') % {"cookie": kind.cookie_name}
        )
    if not needs_double_submit(request):
        return encoded_token, None
    return encoded_token, submitted_value(request, kind.csrf_header_name, kind.csrf_field_name)


def from_query_string(request: HttpRequest, refresh: bool) -> tuple[str, None]:
    name, prefix = config.query_string_name, config.query_string_value_prefix
    value = request.GET.get(name)
    if not value:
        # "paramater" is flask-jwt-extended's spelling; clients match on it.
        # Translators: "paramater" is a misspelling kept in English only.
        raise NoAuthorizationError(gettext("Missing '%(name)s' query paramater") % {"name": name})
    if not value.startswith(prefix):
        raise InvalidQueryParamError(
            gettext(
                "Invalid value for query parameter '%(name)s'. "
                "Expected the value to start with '%(prefix)s'"
            )
            % {"name": name, "prefix": prefix}
        )
    return value[len(prefix) :], None


def is_json(request: HttpRequest) -> bool:
    """Tell whether the body is declared as JSON (``application/json`` or ``+json``)."""
    mimetype = request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def json_body(request: Any) -> Any:
    """Return the parsed JSON body, or ``None`` when it is not valid JSON."""
    try:
        raw = request.body
    except RawPostDataException:
        # Django REST framework has consumed the stream; use what it parsed.
        return getattr(request, "data", None)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def from_json(request: HttpRequest, refresh: bool) -> tuple[Any, None]:
    if not is_json(request):
        raise NoAuthorizationError(gettext("Invalid content-type. Must be application/json."))
    key = config.token_kind(refresh).json_key
    data = json_body(request)
    encoded_token = data.get(key) if isinstance(data, dict) else None
    if not encoded_token:
        raise NoAuthorizationError(gettext('Missing "%(key)s" key in json data.') % {"key": key})
    return encoded_token, None


LOCATORS: dict[str, Callable[[HttpRequest, bool], tuple[Any, str | None]]] = {
    "headers": from_headers,
    "cookies": from_cookies,
    "query_string": from_query_string,
    "json": from_json,
}


def locate(request: HttpRequest, locations: Sequence[str], refresh: bool) -> Found:
    """Return the token from the first of ``locations`` that holds one.

    :raises NoAuthorizationError: no location holds a token; with several
        locations the message lists each one's reason.
    """
    reasons = []
    for location in locations:
        try:
            encoded_token, csrf_value = LOCATORS[location](request, refresh)
        except NoAuthorizationError as exc:
            reasons.append(str(exc))
        else:
            return Found(location, encoded_token, csrf_value)
    if len(locations) > 1:
        raise NoAuthorizationError(
            # Translators: the locations are names (headers, cookies, query_string,
            # json) and stay as they are; the reasons are the locations' messages.
            gettext("Missing JWT in %(locations)s or %(last)s (%(reasons)s)")
            % {
                "locations": ", ".join(locations[:-1]),
                "last": locations[-1],
                "reasons": "; ".join(reasons),
            }
        )
    raise NoAuthorizationError(reasons[0])
