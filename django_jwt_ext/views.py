"""Ready-made endpoints: obtain, refresh, logout and the JWKS (``django_jwt_ext.urls``).

Plain Django views, so Django REST framework stays optional. Each policy is
a small method a subclass can override.
"""

import json
import math
from http import HTTPStatus
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from .config import config
from .context import get_jwt, get_jwt_header, verified_jwt
from .cookies import set_access_cookies, set_refresh_cookies, unset_jwt_cookies
from .decorators import jwt_required
from .defaults import error_response
from .exceptions import JWTExtendedException, TokenNotRevocableError
from .i18n import gettext_noop
from .keys import published_jwks
from .locations import is_json
from .manager import get_jwt_manager
from .revocation import record_refresh_token, revoke_token, wait_until_issuable
from .revocation.records import encodable, identity_key
from .token_api import (
    create_access_token,
    create_refresh_token,
    decode_token,
    issue_successor,
    rotate_refresh_token,
)

BAD_CREDENTIALS = gettext_noop("Bad username or password")
NO_PUBLIC_KEYS = gettext_noop("No public keys are published here")


class BadBody(ValueError):
    """The request body cannot be read as the view expects."""


def body_data(request: HttpRequest) -> Any:
    """Return the JSON object or the form of the body.

    :raises BadBody: a JSON body that does not parse or is not an object.
    """
    if not is_json(request):
        return request.POST
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):
        raise BadBody(gettext("The body is not valid JSON")) from None
    if not isinstance(data, dict):
        raise BadBody(gettext("The JSON body must be an object"))
    return data


def storable(value: str) -> bool:
    """Tell whether a database can take ``value`` (UTF-8 encodable, no NUL)."""
    return "\x00" not in value and encodable(value)


class TokenView(View):
    """Shared policy of the token endpoints: POST only, tokens in JSON (and cookies)."""

    http_method_names = ["post", "options"]

    def token_response(self, request: HttpRequest, tokens: dict[str, str]) -> HttpResponse:
        """Answer with ``tokens`` as JSON, and as cookies when cookies are a token location."""
        response = JsonResponse(tokens)
        if "cookies" in config.token_location:
            if "access_token" in tokens:
                set_access_cookies(response, tokens["access_token"])
            if "refresh_token" in tokens:
                set_refresh_cookies(response, tokens["refresh_token"])
        return response


@method_decorator(csrf_exempt, name="dispatch")  # No credential to forge before login.
class ObtainTokensView(TokenView):
    """Exchange a username and password (JSON or form) for an access and a refresh token."""

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            username, password = self.get_credentials(request)
        except BadBody as exc:
            return error_response(str(exc), HTTPStatus.BAD_REQUEST)
        user = self.authenticate(request, username, password)
        if user is None:
            # Never say which part was wrong.
            return error_response(gettext(BAD_CREDENTIALS), HTTPStatus.UNAUTHORIZED)
        return self.token_response(request, self.create_tokens(user))

    def get_credentials(self, request: HttpRequest) -> tuple[str, str]:
        """Return the posted username and password.

        :raises BadBody: the body is unreadable or lacks one of them.
        """
        data = body_data(request)
        username, password = data.get("username"), data.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            raise BadBody(gettext("Both username and password are required, as strings"))
        return username, password

    def authenticate(self, request: HttpRequest, username: str, password: str) -> Any:
        """Return the active user these credentials identify, or ``None``."""
        if not (storable(username) and storable(password)):
            return None  # No stored user has such a name or password.
        user = authenticate(request, username=username, password=password)
        if user is None or not getattr(user, "is_active", True):
            return None
        return user

    def get_additional_claims(self, user: Any) -> dict[str, Any]:
        """Return claims to add to both tokens (none by default).

        The refresh endpoint carries them into the tokens it issues.
        """
        return {}

    def create_tokens(self, user: Any) -> dict[str, str]:
        """Return a fresh access token and a refresh token for ``user``, the refresh
        token recorded in the store (a new session)."""
        claims = self.get_additional_claims(user)
        wait_until_issuable(user)
        refresh_token = create_refresh_token(user, additional_claims=claims)
        record_refresh_token(refresh_token, user)
        return {
            "access_token": create_access_token(user, fresh=True, additional_claims=claims),
            "refresh_token": refresh_token,
        }


class RefreshTokensView(TokenView):
    """Exchange a refresh token for a new access token (and, with rotation, a new refresh token)."""

    @jwt_required(refresh=True)
    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            tokens = self.create_tokens(request)
        except JWTExtendedException as exc:  # A reused refresh token under rotation.
            return get_jwt_manager().error_response(exc)
        return self.token_response(request, tokens)

    def get_identity(self, request: HttpRequest) -> Any:
        """Return what the new tokens are issued to: the current user when a user lookup
        is configured (so ``user_identity_loader`` gets a user, as at login), else the
        refresh token's identity."""
        return verified_jwt(request).identity

    def get_additional_claims(self, request: HttpRequest, identity: Any) -> dict[str, Any]:
        """Return claims to add to the new tokens (none by default).

        They already carry the claims of the refresh token beyond the standard
        ones (what the obtain view added), and the ``additional_claims_loader``'s
        claims anew.
        """
        return {}

    def create_tokens(self, request: HttpRequest) -> dict[str, str]:
        """Return a new, non-fresh access token, plus its refresh successor under rotation."""
        identity = self.get_identity(request)
        claims = self.get_additional_claims(request, identity) or None
        jwt_header, jwt_data = get_jwt_header(request), get_jwt(request)
        access_token, _ = issue_successor(identity, "access", jwt_data, claims)
        tokens = {"access_token": access_token}
        if config.refresh_token_rotation:
            tokens["refresh_token"] = rotate_refresh_token(jwt_header, jwt_data, identity, claims)
        return tokens


class LogoutView(TokenView):
    """Revoke the access token, and the refresh token given in the body or cookie; unset cookies."""

    @jwt_required()
    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            data = body_data(request)
        except BadBody as exc:
            return error_response(str(exc), HTTPStatus.BAD_REQUEST)
        refresh_claims = self.refresh_token_claims(request, data)
        try:
            revoke_token(get_jwt(request), reason="logout")
            if refresh_claims is not None:
                revoke_token(refresh_claims, reason="logout")
        except TokenNotRevocableError as exc:
            # Say so rather than claim a logout that did not happen; the
            # cookies go all the same.
            response = get_jwt_manager().error_response(exc)
        else:
            response = JsonResponse({config.error_msg_key: gettext("Logged out")})
        unset_jwt_cookies(response)
        return response

    def refresh_token_claims(self, request: HttpRequest, data: Any) -> dict[str, Any] | None:
        """Return the claims of the caller's refresh token, if one came along.

        A token that does not verify, is not a refresh token or belongs to
        another identity is ignored: nothing of someone else's is revoked.
        """
        encoded = data.get(config.refresh_json_key) or request.COOKIES.get(
            config.refresh_cookie_name
        )
        if not isinstance(encoded, str) or not encoded:
            return None
        try:
            claims = decode_token(encoded)
        except JWTExtendedException:
            return None  # Expired or invalid: nothing anyone can use.
        key = config.identity_claim_key
        same_identity = identity_key(claims.get(key)) == identity_key(get_jwt(request).get(key))
        return claims if same_identity and claims["type"] == "refresh" else None


class JWKSView(View):
    """Publish the current and fallback public keys as a JWK Set, ``{"keys": [...]}``.

    Cacheable for ``JWT_JWKS_CACHE_SECONDS``. HMAC secrets are never
    published: with no public key the answer is a 404.
    """

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest) -> HttpResponse:
        key_set = published_jwks()
        if key_set is None:
            return error_response(gettext(NO_PUBLIC_KEYS), HTTPStatus.NOT_FOUND)
        response = JsonResponse(key_set)
        patch_cache_control(response, public=True, max_age=math.ceil(config.jwks_cache_seconds))
        return response
