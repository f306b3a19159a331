"""Fresh request objects, one per call, built as Django builds them for a request."""

from typing import Any

from django.test import RequestFactory

FACTORY = RequestFactory()


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def django_request(token: str) -> Any:
    """Return a new ``WSGIRequest`` for ``GET /api/me`` with ``token`` in the header.

    RequestFactory builds the WSGI environ a server would pass and wraps it
    in a ``WSGIRequest``, as Django's WSGI handler does for every request.
    """
    return FACTORY.get("/api/me", **bearer(token))


def drf_request(token: str) -> Any:
    """Return a new DRF ``Request`` around a new ``WSGIRequest``, as ``APIView`` makes one."""
    from rest_framework.request import Request

    return Request(django_request(token))
