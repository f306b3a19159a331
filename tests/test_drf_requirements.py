"""Django REST framework runs the pipeline once, with the view's own requirements.

The project's global ``JWTAuthentication`` honours a ``@jwt_required(...)`` on
the handler, and ``FreshJWTRequired`` makes it check freshness in
flask-jwt-extended's order (before revocation) instead of afterwards.
"""

import pytest

from django_jwt_ext import create_access_token, create_refresh_token
from django_jwt_ext.revocation import revoke_token
from tests.helpers import ALL_FLAVOURS, DRF_FLAVOURS, assert_refused, call, flavour_path

# Not collected without Django REST framework (see conftest.py).
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_freshness_is_checked_before_revocation(client, flavour, user):
    stale = create_access_token(user, fresh=False)
    revoke_token(stale)
    response = call(client, flavour_path(flavour, "fresh"), stale)
    assert_refused(response, 401, "Fresh token required")
    fresh = create_access_token(user, fresh=True)
    revoke_token(fresh)
    assert_refused(call(client, flavour_path(flavour, "fresh"), fresh), 401, "Token has been revoked")


@pytest.mark.parametrize("flavour", DRF_FLAVOURS)
def test_one_query_per_request_whatever_the_permission(
    client, flavour, user, django_assert_num_queries
):
    token = create_access_token(user, fresh=True)
    for variant in ("protected", "fresh", "optional"):
        with django_assert_num_queries(1):
            response = call(client, flavour_path(flavour, variant), token)
        assert response.status_code == 200, (variant, response.content)


@pytest.mark.parametrize("flavour", ["drf-global-apiview", "drf-global-function"])
def test_global_authentication_honours_the_handlers_decorator(client, flavour, user):
    refresh = create_refresh_token(user)
    assert call(client, flavour_path(flavour, "refresh"), refresh).status_code == 200
    assert_refused(
        call(client, flavour_path(flavour, "refresh"), create_access_token(user)),
        422,
        "Only refresh tokens are allowed",
    )
    revoked = create_access_token(user)
    revoke_token(revoked)
    assert call(client, flavour_path(flavour, "no-revocation-check"), revoked).status_code == 200
    assert_refused(call(client, flavour_path(flavour), revoked), 401, "Token has been revoked")
    assert call(client, flavour_path(flavour, "optional")).json()["location"] is None
