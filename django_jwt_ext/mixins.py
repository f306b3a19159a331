"""``JWTRequiredMixin``: protect a class-based view, sync or async."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from .decorators import REQUIREMENTS_ATTR, arefusal, refusal
from .pipeline import Requirements


class JWTRequiredMixin:
    """Refuse requests without a valid JWT before any handler of the view runs.

    Put it first among the bases; the class attributes are
    :func:`~django_jwt_ext.jwt_required`'s arguments::

        class ProfileView(JWTRequiredMixin, View):
            fresh = True

            async def post(self, request):
                ...

    Works for sync and async views (every handler ``async def``).
    """

    optional = False
    fresh = False
    refresh = False
    locations: str | Sequence[str] | None = None
    verify_type = True
    skip_revocation_check = False

    #: Built from the attributes above when the class is created.
    jwt_requirements = Requirements()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        requirements = Requirements.of(
            cls.locations,  # type: ignore[arg-type]
            optional=cls.optional,
            fresh=cls.fresh,
            refresh=cls.refresh,
            verify_type=cls.verify_type,
            skip_revocation_check=cls.skip_revocation_check,
        )
        setattr(cls, REQUIREMENTS_ATTR, requirements)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        requirements = getattr(type(self), REQUIREMENTS_ATTR)
        if getattr(type(self), "view_is_async", False):
            return self.adispatch(requirements, request, *args, **kwargs)
        response = refusal(request, requirements)
        if response is not None:
            return response
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    async def adispatch(
        self, requirements: Requirements, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> Any:
        response = await arefusal(request, requirements)
        if response is not None:
            return response
        return await super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
