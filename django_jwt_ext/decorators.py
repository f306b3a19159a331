"""``@jwt_required``: protect any view flavour with the shared pipeline."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.http import HttpResponse

from .exceptions import JWTExtendedException
from .locations import underlying
from .manager import get_jwt_manager
from .pipeline import Requirements, averify, requirements_of, verify

# The attribute that marks a protected view (read by JWTMiddleware and DRF).
REQUIREMENTS_ATTR = "jwt_requirements"


def request_of(args: tuple[Any, ...]) -> Any:
    """Return the request among a view's positional arguments.

    Function views get it first; methods of class-based views get ``self``
    first and the request second.
    """
    return args[0] if hasattr(args[0], "META") else args[1]


def is_drf(request: Any) -> bool:
    """Tell whether ``request`` is Django REST framework's wrapper of a Django request."""
    return underlying(request) is not request


def refused(request: Any, error: JWTExtendedException) -> HttpResponse:
    """Return the loader's response for ``error``.

    In a Django REST framework view the error is raised as a DRF exception
    instead, so the project's exception handler sees it.
    """
    if is_drf(request):
        from .drf_errors import api_exception  # DRF is installed: this is its Request.

        raise api_exception(error) from error
    return get_jwt_manager().error_response(error)


def refusal(request: Any, requirements: Requirements) -> HttpResponse | None:
    """Run the pipeline; return the error response, or ``None`` when the request passes."""
    try:
        verify(request, requirements)
    except JWTExtendedException as exc:
        return refused(request, exc)
    return None


async def arefusal(request: Any, requirements: Requirements) -> HttpResponse | None:
    """The async twin of :func:`refusal`."""
    try:
        await averify(request, requirements)
    except JWTExtendedException as exc:
        return refused(request, exc)
    return None


def async_dispatch(view: Callable[..., Any], args: tuple[Any, ...]) -> bool:
    """Tell whether the decorated callable is ``dispatch`` of an async class-based view.

    Its ``dispatch`` is a plain method returning a coroutine, so the wrapper
    must return one too. ``method_decorator`` hands the decorator the method
    bound to the view instance (in a ``partial``); decorating ``dispatch`` in
    the class body passes the instance as the first argument.
    """
    bound = getattr(view, "func", view)
    instance = getattr(bound, "__self__", None)
    if instance is None and args and not hasattr(args[0], "META"):
        instance = args[0]
    return getattr(type(instance), "view_is_async", False) is True


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
    views (directly, or with ``method_decorator(..., name="dispatch")``, async
    class-based views included) and on Django REST framework handlers. A
    refused request gets the response of the matching loader of the active
    :class:`~django_jwt_ext.JWTManager`.

    The arguments are those of :func:`~django_jwt_ext.verify_jwt_in_request`.
    """
    requirements = requirements_of(
        optional, fresh, refresh, locations, verify_type, skip_revocation_check
    )

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        if iscoroutinefunction(view):

            @wraps(view)
            async def wrapper(*args: Any, **kwargs: Any) -> Any:
                response = await arefusal(request_of(args), requirements)
                if response is not None:
                    return response
                return await view(*args, **kwargs)

        else:

            async def guarded_dispatch(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
                response = await arefusal(request_of(args), requirements)
                if response is not None:
                    return response
                return await view(*args, **kwargs)

            @wraps(view)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                if async_dispatch(view, args):
                    return guarded_dispatch(args, kwargs)
                response = refusal(request_of(args), requirements)
                if response is not None:
                    return response
                return view(*args, **kwargs)

        setattr(wrapper, REQUIREMENTS_ATTR, requirements)
        return wrapper

    return decorator


def view_requirements(view: Any, method: str) -> Requirements | None:
    """Return what the view that handles ``method`` demands, ``None`` if it is unprotected.

    Looks at a decorated function view, then a class-based view's handler for
    the method, its ``dispatch`` and the class itself (``JWTRequiredMixin``).
    """
    requirements = getattr(view, REQUIREMENTS_ATTR, None)
    view_class = getattr(view, "view_class", None)
    if requirements is None and view_class is not None:
        for owner in (
            getattr(view_class, method.lower(), None),
            getattr(view_class, "dispatch", None),
            view_class,
        ):
            requirements = getattr(owner, REQUIREMENTS_ATTR, None)
            if isinstance(requirements, Requirements):
                return requirements
        return None
    return requirements if isinstance(requirements, Requirements) else None
