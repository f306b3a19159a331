"""The same protected view in every flavour @jwt_required supports.

The tests run each behaviour against each flavour: a sync function view, an
``async def`` view, a method of a class-based view, a class-based view
decorated on ``dispatch``, the same for async class-based views, the
``JWTRequiredMixin`` on a sync and an async class-based view, and views that
call ``verify_jwt_in_request`` or ``averify_jwt_in_request`` themselves.
"""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from django_jwt_ext import (
    averify_jwt_in_request,
    get_current_user,
    get_jwt,
    get_jwt_header,
    get_jwt_identity,
    get_jwt_request_location,
    jwt_required,
    verify_jwt_in_request,
)
from django_jwt_ext.mixins import JWTRequiredMixin

FLAVOURS = (
    "sync",
    "async",
    "cbv",
    "dispatch",
    "async-cbv",
    "async-dispatch",
    "mixin",
    "async-mixin",
    "manual",
    "async-manual",
)

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


def describe(request, request_user=None):
    """Answer with what the pipeline stored on the request.

    Async views pass the name of ``request.user``, which they must not
    evaluate on the event loop (a session user is loaded from the database).
    """
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
            "request_user": request_user or username(request),
        }
    )


def username(request):
    return getattr(request.user, "get_username", lambda: None)() or None


async def adescribe(request):
    return describe(request, await sync_to_async(username)(request))


def async_csrf_exempt(view):
    """``csrf_exempt`` for an ``async def`` view on every supported Django.

    Django 4.2's ``csrf_exempt`` wraps any view in a sync function, which
    turns an async view into one returning an unawaited coroutine; the
    attribute is all ``CsrfViewMiddleware`` reads.
    """
    view.csrf_exempt = True
    return view


def build(**requirements):
    """Return the protected view in every flavour, keyed by flavour name."""
    guard = jwt_required(**requirements)

    @guard
    def sync_view(request):
        return describe(request)

    @guard
    async def async_view(request):
        return await adescribe(request)

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

    class AsyncMethodView(View):
        @guard
        async def get(self, request):
            return await adescribe(request)

        post = put = patch = delete = get

    @method_decorator(guard, name="dispatch")
    class AsyncDispatchView(View):
        async def get(self, request):
            return await adescribe(request)

        post = put = patch = delete = get

    def sync_handler(self, request):
        return describe(request)

    async def async_handler(self, request):
        return await adescribe(request)

    def mixin_view(name, handler):
        """A JWTRequiredMixin view whose class attributes are the requirements."""
        methods = dict.fromkeys(("get", "post", "put", "patch", "delete"), handler)
        return type(name, (JWTRequiredMixin, View), {**requirements, **methods})

    # Calling verify_jwt_in_request by hand; JWTMiddleware turns its errors into
    # responses. Unlike @jwt_required it cannot tell CsrfViewMiddleware about
    # the token, so the view opts out of Django's CSRF check itself.
    @csrf_exempt
    def manual_view(request):
        verify_jwt_in_request(request, **requirements)
        return describe(request)

    @async_csrf_exempt
    async def async_manual_view(request):
        await averify_jwt_in_request(request, **requirements)
        return await adescribe(request)

    return {
        "sync": sync_view,
        "async": async_view,
        "cbv": MethodView.as_view(),
        "dispatch": DispatchView.as_view(),
        "async-cbv": AsyncMethodView.as_view(),
        "async-dispatch": AsyncDispatchView.as_view(),
        "mixin": mixin_view("MixinView", sync_handler).as_view(),
        "async-mixin": mixin_view("AsyncMixinView", async_handler).as_view(),
        "manual": manual_view,
        "async-manual": async_manual_view,
    }
