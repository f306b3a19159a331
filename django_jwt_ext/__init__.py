"""flask-jwt-extended 4.x semantics for Django and Django REST framework."""

from .context import (
    get_current_user,
    get_jwt,
    get_jwt_claims,
    get_jwt_header,
    get_jwt_identity,
    get_jwt_request_location,
)
from .cookies import (
    set_access_cookies,
    set_refresh_cookies,
    unset_access_cookies,
    unset_jwt_cookies,
    unset_refresh_cookies,
)
from .decorators import jwt_required
from .manager import JWTManager, get_jwt_manager
from .pipeline import averify_jwt_in_request, verify_jwt_in_request
from .token_api import (
    create_access_token,
    create_refresh_token,
    decode_token,
    get_csrf_token,
    get_jti,
    get_unverified_jwt_headers,
    issue_successor,
    rotate_refresh_token,
)

__version__ = "0.1.0"

__all__ = [
    "JWTManager",
    "averify_jwt_in_request",
    "create_access_token",
    "create_refresh_token",
    "decode_token",
    "get_csrf_token",
    "get_current_user",
    "get_jti",
    "get_jwt",
    "get_jwt_claims",
    "get_jwt_header",
    "get_jwt_identity",
    "get_jwt_manager",
    "get_jwt_request_location",
    "get_unverified_jwt_headers",
    "issue_successor",
    "jwt_required",
    "rotate_refresh_token",
    "set_access_cookies",
    "set_refresh_cookies",
    "unset_access_cookies",
    "unset_jwt_cookies",
    "unset_refresh_cookies",
    "verify_jwt_in_request",
]
