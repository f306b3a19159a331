"""The same protected view in every flavour @jwt_required supports.

The tests run each behaviour against each flavour: a sync function view, an
``async def`` view, a method of a class-based view, a class-based view
decorated on ``dispatch``, and a view that calls verify_jwt_in_request itself.
"""

from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from django_jwt_ext import (
    get_current_user,
    get_jwt,
    get_jwt_header,
    get_jwt_identity,
    get_jwt_request_location,
    jwt_required,
    verify_jwt_in_request,
)

FLAVOURS = ("sync", "async", "cbv", "dispatch", "manual")

# Variant name -> jwt_required arguments.
VARIANTS = {
    "protected": {},
    "optional": {"optional": True},
    "fresh": {"fresh": True},
    "refresh": {"refresh": True},
    "any-type": {"verify_type": False},
    "no-revocation-check": {"skip_revocation_check": True},
    "query-only": {"locations": "query_string"},
    "json-or-cookies": {"locations": ["json", "cookies"]},
}


def describe(request):
    """Answer with what the pipeline stored on the request."""
    try:
        user = get_current_user(request)
    except RuntimeError:
        user = None
    return JsonResponse(
        {
            "identity": get_jwt_identity(request),
            "claims": get_jwt(request),
            "header": get_jwt_header(request),
            "location": get_jwt_request_location(request),
            "user": user.get_username() if user is not None else None,
            "request_user": getattr(request.user, "get_username", lambda: None)() or None,
        }
    )


def build(**requirements):
    """Return the protected view in every flavour, keyed by flavour name."""
    guard = jwt_required(**requirements)

    @guard
    def sync_view(request):
        return describe(request)

    @guard
    async def async_view(request):
        return describe(request)

    class MethodView(View):
        @guard
        def get(self, request):
            return describe(request)

        post = put = patch = delete = get

    @method_decorator(guard, name="dispatch")
    class DispatchView(View):
        def get(self, request):
            return describe(request)

        post = put = patch = delete = get

    # Calling verify_jwt_in_request by hand; JWTMiddleware turns its errors into
    # responses. Unlike @jwt_required it cannot tell CsrfViewMiddleware about
    # the token, so the view opts out of Django's CSRF check itself.
    @csrf_exempt
    def manual_view(request):
        verify_jwt_in_request(request, **requirements)
        return describe(request)

    return {
        "sync": sync_view,
        "async": async_view,
        "cbv": MethodView.as_view(),
        "dispatch": DispatchView.as_view(),
        "manual": manual_view,
    }
