"""Async views see the JWT user through request.auser(); bad location names fail early."""

import pytest
from asgiref.sync import async_to_sync
from django.http import JsonResponse
from django.test import AsyncClient
from django.urls import path

from django_jwt_ext import jwt_required, verify_jwt_in_request


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
def test_jwt_required_refuses_unknown_location_names_at_decoration(locations):
    with pytest.raises(ValueError, match="is not a valid location"):
        jwt_required(locations=locations)


def test_verify_jwt_in_request_refuses_unknown_location_names(rf):
    with pytest.raises(ValueError, match="'query' is not a valid location"):
        verify_jwt_in_request(rf.get("/"), locations="query")
