"""The view both servers protect: it answers the user's primary key."""

from rest_framework.response import Response
from rest_framework.views import APIView


class Me(APIView):
    """Return ``{"id": pk}`` of the authenticated user."""

    def get(self, request):
        return Response({"id": request.user.pk})
