"""Async views see the JWT user through request.auser(); bad location names fail early."""

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.test import AsyncClient
from django.urls import path

from django_jwt_ext import jwt_required, verify_jwt_in_request
from django_jwt_ext.exceptions import ConfigurationError


@jwt_required()
async def async_whoami(request):
    user = await request.auser()
    return JsonResponse({"user": user.get_username(), "same": user == request.user})


urlpatterns = [path("auser", async_whoami)]


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_async_view_reads_the_jwt_user_from_auser(user, access_token):
    response = async_to_sync(AsyncClient().get)(
        "/auser", headers={"Authorization": f"Bearer {access_token}"}
    )
    assert response.status_code == 200
    assert response.json() == {"user": "alice", "same": True}


@pytest.mark.parametrize("locations", ["header", ["headers", "body"], ("cookie",)])
def test_unknown_location_names_make_every_request_a_server_error(rf, locations):
    """As in flask-jwt-extended: decorating works, each request is a 500 naming the mistake."""
    view = jwt_required(locations=locations)(lambda request: None)
    with pytest.raises(RuntimeError, match="names unknown locations") as info:
        view(rf.get("/", HTTP_AUTHORIZATION="Bearer x"))
    assert isinstance(info.value, ImproperlyConfigured)


def test_verify_jwt_in_request_refuses_unknown_location_names(rf):
    with pytest.raises(ConfigurationError, match=r"unknown locations \['query'\]"):
        verify_jwt_in_request(rf.get("/"), locations="query")
