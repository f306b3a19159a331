"""Refusals as Django REST framework exceptions, so DRF's exception handling sees them."""

import json
from typing import Any

from django.http import HttpResponse
from rest_framework.exceptions import APIException

from .config import config
from .exceptions import JWTExtendedException
from .manager import get_jwt_manager
from .pipeline import Requirements, VerifiedJWT, verify
from .reasons import reason


class JWTAPIException(APIException):
    """A refused token, carrying the loader's response.

    DRF's default exception handler renders its status, JSON body and
    ``WWW-Authenticate`` header; :func:`exception_handler` returns the
    loader's response untouched (headers and cookies included).
    """

    def __init__(self, error: JWTExtendedException, response: HttpResponse):
        super().__init__()
        self.error = error
        self.response = response
        self.status_code = response.status_code
        # Kept as the loader built it: APIException would turn values into strings.
        self.detail = body_of(response, error)
        self.auth_header = response.get("WWW-Authenticate")


def body_of(response: HttpResponse, error: JWTExtendedException) -> Any:
    """Return the JSON body of ``response``, or its text, or the error message."""
    content = getattr(response, "content", b"")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.loads(content)
        except ValueError:
            pass
    return (
        content.decode(response.charset, "replace")
        if content
        else {config.error_msg_key: reason(error)}
    )


def api_exception(error: JWTExtendedException) -> JWTAPIException:
    """Return ``error`` as a DRF exception holding the active manager's response."""
    return JWTAPIException(error, get_jwt_manager().error_response(error))


def drf_verify(request: Any, requirements: Requirements) -> VerifiedJWT | None:
    """Run the pipeline for a Django REST framework request; refusals become DRF exceptions.

    The one place where the DRF classes turn the pipeline's errors into
    :class:`JWTAPIException`.
    """
    try:
        return verify(request, requirements)
    except JWTExtendedException as exc:
        raise api_exception(exc) from exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Any:
    """DRF's exception handler, except that refused tokens get the loader's exact response.

    Use it as ``REST_FRAMEWORK["EXCEPTION_HANDLER"]`` when a custom loader sets
    headers or cookies, or call it from your own handler.
    """
    # Imported here: authentication classes load while rest_framework.views is
    # still importing, so this module must not import it at the top.
    from rest_framework.views import exception_handler as drf_exception_handler
    from rest_framework.views import set_rollback

    if isinstance(exc, JWTAPIException):
        set_rollback()
        return exc.response
    return drf_exception_handler(exc, context)
