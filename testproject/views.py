"""The demo's views: how a project issues tokens and protects views."""

import json
from datetime import timedelta

from django.contrib.auth import authenticate
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from django_jwt_ext import (
    create_access_token,
    create_refresh_token,
    get_current_user,
    get_jwt,
    get_jwt_header,
    get_jwt_request_location,
    jwt_required,
    rotate_refresh_token,
)
from django_jwt_ext.config import config
from django_jwt_ext.revocation import (
    record_refresh_token,
    revoke_token,
    revoke_user_tokens,
    wait_until_issuable,
)


def index(request):
    """The demo page: log in, call the API with the cookies, log out."""
    return render(request, "testproject/demo.html")


@require_http_methods(["GET", "POST"])
@jwt_required()
def whoami(request):
    user = get_current_user(request)
    return JsonResponse(
        {"user": user.get_username(), "location": get_jwt_request_location(request)}
    )


def credentials(request):
    """Return the posted credentials from a JSON or form body."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except ValueError:
            data = None
        return data if isinstance(data, dict) else {}
    return request.POST


# literalinclude-start: login
@csrf_exempt  # A login form has no token yet; there is nothing to forge.
@require_POST
def login(request):
    data = credentials(request)
    user = authenticate(request, username=data.get("username"), password=data.get("password"))
    if user is None:
        return JsonResponse({"msg": "Bad username or password"}, status=401)
    lifetime = data.get("expires_in")  # Demo only: lets the walk-through show expiry.
    wait_until_issuable(user)  # A logout everywhere may have just happened.
    access_token = create_access_token(
        user,
        fresh=True,
        expires_delta=timedelta(seconds=int(lifetime)) if str(lifetime).isdigit() else None,
    )
    refresh_token = create_refresh_token(user)
    record_refresh_token(refresh_token, user)  # The issuing step: a new session.
    return JsonResponse({"access_token": access_token, "refresh_token": refresh_token})


@require_http_methods(["GET", "POST"])
@jwt_required()
def protected(request):
    user = get_current_user(request)
    return JsonResponse({"logged_in_as": user.get_username(), "claims": get_jwt(request)})


@jwt_required(refresh=True)
def refresh(request):
    user = get_current_user(request)
    tokens = {"access_token": create_access_token(user, fresh=False)}
    if config.refresh_token_rotation:
        # Raises RevokedTokenError (401) when the refresh token was used before.
        tokens["refresh_token"] = rotate_refresh_token(
            get_jwt_header(request), get_jwt(request), user
        )
    return JsonResponse(tokens)


# literalinclude-end: login


# literalinclude-start: logout
@jwt_required()
def logout(request):
    revoke_token(get_jwt(request), reason="logout")
    return JsonResponse({"msg": "Logged out"})


@jwt_required(fresh=True)
def logout_everywhere(request):
    revoke_user_tokens(get_current_user(request), reason="logout everywhere")
    return JsonResponse({"msg": "Every session of this user is logged out"})


# literalinclude-end: logout
