"""``@jwt_required``: protect any view flavour with the shared pipeline."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.http import HttpResponse

from .exceptions import JWTExtendedException
from .locations import underlying
from .manager import get_jwt_manager
from .pipeline import Requirements, verify

# The attribute that marks a protected view (read by JWTMiddleware).
REQUIREMENTS_ATTR = "jwt_requirements"


def request_of(args: tuple[Any, ...]) -> Any:
    """Return the request among a view's positional arguments.

    Function views get it first; methods of class-based views get ``self``
    first and the request second.
    """
    return args[0] if hasattr(args[0], "META") else args[1]


def refusal(request: Any, requirements: Requirements) -> HttpResponse | None:
    """Run the pipeline; return the error response, or ``None`` when the request passes.

    In a Django REST framework view the error is raised as a DRF exception
    instead, so the project's exception handler sees it.
    """
    try:
        verify(request, requirements)
    except JWTExtendedException as exc:
        if underlying(request) is not request:
            from .drf_errors import api_exception  # DRF is installed: this is its Request.

            raise api_exception(exc) from exc
        return get_jwt_manager().error_response(exc)
    return None


def jwt_required(
    optional: bool = False,
    fresh: bool = False,
    refresh: bool = False,
    locations: str | list[str] | tuple[str, ...] | None = None,
    verify_type: bool = True,
    skip_revocation_check: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse requests without a valid JWT before the view runs.

    Works on sync and ``async def`` function views, on methods of class-based
    views (directly, or with ``method_decorator(..., name="dispatch")``) and
    on Django REST framework handlers. A refused request gets the response of
    the matching loader of the active :class:`~django_jwt_ext.JWTManager`.

    The arguments are those of :func:`~django_jwt_ext.verify_jwt_in_request`.
    """
    requirements = Requirements.of(
        locations,
        optional=optional,
        fresh=fresh,
        refresh=refresh,
        verify_type=verify_type,
        skip_revocation_check=skip_revocation_check,
    )

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        if iscoroutinefunction(view):

            @wraps(view)
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                response = await sync_to_async(refusal)(request_of(args), requirements)
                if response is not None:
                    return response
                return await view(*args, **kwargs)

        else:

            @wraps(view)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                response = refusal(request_of(args), requirements)
                if response is not None:
                    return response
                return view(*args, **kwargs)

        setattr(wrapper, REQUIREMENTS_ATTR, requirements)
        return wrapper

    return decorator
