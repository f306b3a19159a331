"""A Django Ninja API protected by JWTAuth, sync and async (needs the ``ninja`` extra).

Mounted at ``/ninja/`` by testproject's URLs when Django Ninja is installed.
"""

from ninja import NinjaAPI, Router

from django_jwt_ext import get_jwt, get_jwt_identity
from django_jwt_ext.ninja import JWTAuth, add_error_handler

from .flavours import VARIANTS, adescribe, describe

# literalinclude-start: ninja-api
api = NinjaAPI(auth=JWTAuth(), urls_namespace="ninja-demo")
add_error_handler(api)  # refusals get the loaders' responses


@api.get("/whoami")
def whoami(request):
    return {"user": request.auth.get_username(), "identity": get_jwt_identity(request)}


@api.get("/async/whoami")
async def async_whoami(request):
    return {"user": request.auth.get_username(), "identity": get_jwt_identity(request)}


@api.post("/fresh", auth=JWTAuth(fresh=True))
def fresh_only(request):
    return {"fresh": get_jwt(request)["fresh"]}


@api.post("/refresh", auth=JWTAuth(refresh=True))
async def refresh(request):
    return {"type": get_jwt(request)["type"]}


# A router whose operations accept requests without a token too.
public = Router(auth=JWTAuth(optional=True))


@public.get("/hello")
def hello(request):
    return {"authenticated": request.auth.is_authenticated}


api.add_router("/public", public)
# literalinclude-end: ninja-api


# The flavour views of flavours.py, as Ninja operations: /flavours/ninja-sync/<variant>
# and /flavours/ninja-async/<variant>, so the tests run every behaviour on them.
flavours_api = NinjaAPI(urls_namespace="ninja-flavours", docs_url=None)
add_error_handler(flavours_api)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def add_flavours(variant, requirements):
    auth = JWTAuth(**requirements)

    def sync_view(request):
        return describe(request)

    async def async_view(request):
        return await adescribe(request)

    for flavour, view in (("ninja-sync", sync_view), ("ninja-async", async_view)):
        flavours_api.api_operation(
            METHODS,
            f"/{flavour}/{variant}",
            auth=auth,
            operation_id=f"{flavour}_{variant}".replace("-", "_"),
        )(view)


for variant, requirements in VARIANTS.items():
    add_flavours(variant, requirements)
