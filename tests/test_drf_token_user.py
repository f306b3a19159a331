"""TokenUser: the request.user of JWTAuthentication when JWT_USER_LOOKUP = None."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import path
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from django_jwt_ext import create_access_token
from django_jwt_ext.authentication import JWTAuthentication
from django_jwt_ext.token_user import TokenUser


def test_identity_is_pk_and_id():
    user = TokenUser({"sub": "42", "type": "access"})
    assert (user.pk, user.id) == ("42", "42")
    assert user.claims == {"sub": "42", "type": "access"}


def test_identity_claim_setting_is_honoured(settings):
    settings.JWT_IDENTITY_CLAIM = "identity"
    assert TokenUser({"identity": 7, "sub": "ignored"}).pk == 7


def test_missing_identity_gives_none():
    assert TokenUser({}).pk is None


def test_authenticated_active_and_unprivileged():
    user = TokenUser({"sub": "42"})
    assert user.is_authenticated is True
    assert user.is_anonymous is False
    assert user.is_active is True
    assert user.is_staff is False
    assert user.is_superuser is False


@pytest.mark.parametrize(
    "claims", [{"sub": "42"}, {"sub": "42", "role": "admin", "is_staff": True}]
)
def test_has_no_permissions(claims):
    user = TokenUser(claims)
    assert user.has_perm("auth.view_user") is False
    assert user.has_perm("auth.view_user", obj=object()) is False
    assert user.has_perms(["auth.view_user"]) is False
    assert user.has_module_perms("auth") is False
    assert user.is_staff is False


@pytest.mark.parametrize(
    "identity, username", [("42", "42"), (42, "42"), ("alice@example.com", "alice@example.com")]
)
def test_get_username_is_the_identity_as_text(identity, username):
    assert TokenUser({"sub": identity}).get_username() == username
    assert str(TokenUser({"sub": identity})) == f"TokenUser {username}"


def test_equal_by_identity():
    assert TokenUser({"sub": "42", "jti": "a"}) == TokenUser({"sub": "42", "jti": "b"})
    assert TokenUser({"sub": "42"}) != TokenUser({"sub": "43"})
    assert len({TokenUser({"sub": "42", "jti": "a"}), TokenUser({"sub": "42", "jti": "b"})}) == 1


def test_not_equal_to_other_user_kinds(django_user_model):
    user = django_user_model(pk=42, username="alice")
    token_user = TokenUser({"sub": 42})
    assert token_user != user
    assert token_user != AnonymousUser()
    assert token_user != 42
    assert token_user != SimpleObject(pk=42)


class SimpleObject:
    def __init__(self, pk):
        self.pk = pk


# DRF's permissions see what a TokenUser is.


class AdminView(APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAdminUser]

    def get(self, request):
        return Response({})


class AuthenticatedView(AdminView):
    permission_classes = [IsAuthenticated]


urlpatterns = [
    path("admin-only", AdminView.as_view()),
    path("authenticated", AuthenticatedView.as_view()),
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_drf_permissions_with_a_token_user(settings, django_assert_num_queries):
    settings.JWT_USER_LOOKUP = None
    settings.JWT_REVOCATION_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"
    token = create_access_token("42", additional_claims={"is_staff": True})
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    with django_assert_num_queries(0):
        assert client.get("/authenticated").status_code == 200
        assert client.get("/admin-only").status_code == 403
