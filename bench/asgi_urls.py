"""The two async views ``make bench-async`` compares: the same view, with and without
``@jwt_required()``."""

from django.http import JsonResponse
from django.urls import path

from django_jwt_ext import jwt_required


async def open_view(request):
    return JsonResponse({"identity": None})


@jwt_required()
async def protected_view(request):
    return JsonResponse({"identity": request.user.pk})


urlpatterns = [path("open", open_view), path("protected", protected_view)]
