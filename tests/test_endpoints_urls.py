"""The endpoints' URLs: with and without the trailing slash, names in one namespace.

A POST to ``auth/obtain`` must not meet ``APPEND_SLASH``: Django cannot
redirect a POST without losing its body, and under ``DEBUG`` its
``CommonMiddleware`` raises instead (a 500 for the client).
"""

import pytest
from django.http import JsonResponse
from django.urls import include, path, re_path, resolve, reverse

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.revocation import is_token_revoked
from django_jwt_ext.views import ObtainTokensView
from tests.revocation_support import bearer


class CookieOnlyObtainView(ObtainTokensView):
    """A replacement routed as docs/endpoints.rst says: both forms, before the include."""

    def token_response(self, request, tokens):
        return JsonResponse({"msg": "replaced"})


# pytest.mark.urls("tests.test_endpoints_urls") mounts this urlconf.
urlpatterns = [
    re_path(r"^auth/obtain/?$", CookieOnlyObtainView.as_view()),
    path("auth/", include("django_jwt_ext.urls")),
]

pytestmark = pytest.mark.django_db

ALICE = {"username": "alice", "password": "alice-password"}
SLASHES = pytest.mark.parametrize("slash", ["", "/"], ids=["no-slash", "slash"])


@pytest.fixture(autouse=True)
def debug_and_append_slash(settings):
    """The development setting in which the slashless POST used to be a 500."""
    settings.DEBUG = True
    settings.APPEND_SLASH = True
    assert "django.middleware.common.CommonMiddleware" in settings.MIDDLEWARE


@SLASHES
def test_obtain_answers_with_and_without_the_slash(client, user, slash):
    response = client.post(f"/auth/obtain{slash}", ALICE, content_type="application/json")
    assert response.status_code == 200
    assert decode_token(response.json()["access_token"])["sub"] == str(user.pk)


@SLASHES
def test_refresh_answers_with_and_without_the_slash(client, user, slash):
    response = client.post(f"/auth/refresh{slash}", **bearer(create_refresh_token(user)))
    assert response.status_code == 200
    assert decode_token(response.json()["access_token"])["type"] == "access"


@SLASHES
def test_logout_answers_with_and_without_the_slash(client, user, slash):
    access_token = create_access_token(user)
    response = client.post(f"/auth/logout{slash}", **bearer(access_token))
    assert (response.status_code, response.json()) == (200, {"msg": "Logged out"})
    assert is_token_revoked(decode_token(access_token))


@pytest.mark.parametrize("name", ["obtain", "refresh", "logout"])
def test_both_forms_resolve_to_the_same_named_view(name):
    with_slash, without = resolve(f"/auth/{name}/"), resolve(f"/auth/{name}")
    assert with_slash.view_name == without.view_name == f"django_jwt_ext:{name}"
    assert with_slash.func is without.func


@pytest.mark.parametrize("name", ["obtain", "refresh", "logout"])
def test_reverse_gives_the_canonical_url_with_the_slash(name):
    assert reverse(f"django_jwt_ext:{name}") == f"/auth/{name}/"


@SLASHES
def test_other_methods_still_get_405_on_both_forms(client, slash):
    response = client.get(f"/auth/obtain{slash}")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"


@SLASHES
@pytest.mark.urls("tests.test_endpoints_urls")
def test_a_replacement_routed_in_both_forms_answers_both(client, user, slash):
    response = client.post(f"/auth/obtain{slash}", ALICE, content_type="application/json")
    assert (response.status_code, response.json()) == (200, {"msg": "replaced"})
    assert reverse("django_jwt_ext:obtain") == "/auth/obtain/"
