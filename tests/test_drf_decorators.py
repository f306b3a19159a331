"""``@jwt_required`` on Django REST framework handlers behaves as on Django views.

The ``drf-apiview``, ``drf-function`` and ``drf-viewset`` flavours of testproject
(APIView handler methods, ``@api_view`` functions, ViewSet actions), plus
views of this module that read ``request.data`` around verification.
"""

import json
from datetime import timedelta

import pytest
from django.urls import include, path
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    parser_classes,
    permission_classes,
)
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from django_jwt_ext import (
    create_access_token,
    create_refresh_token,
    decode_token,
    get_csrf_token,
    get_jwt_identity,
    get_jwt_request_location,
    jwt_required,
    verify_jwt_in_request,
)
from tests.helpers import call, flavour_path
from tests.test_drf_errors import REFUSALS, prepare

DECORATED = ("drf-apiview", "drf-function", "drf-viewset")
CHALLENGE = 'Bearer realm="api"'


def answer(request, data):
    return Response(
        {
            "data": data,
            "identity": get_jwt_identity(request),
            "location": get_jwt_request_location(request),
        }
    )


class StreamJSONParser(BaseParser):
    """Parse JSON straight from the stream, leaving ``request.body`` unreadable.

    DRF's own JSONParser reads ``request.body``; third-party parsers may not.
    """

    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        return json.load(stream)


class DataAfterVerification(APIView):
    """Reads request.data in the handler, after @jwt_required verified."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @jwt_required()
    def post(self, request):
        return answer(request, request.data)


class DataBeforeVerification(DataAfterVerification):
    """Reads request.data in initial(), before the decorated handler verifies."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.early_data = dict(request.data)

    @jwt_required()
    def post(self, request):
        return answer(request, self.early_data)


class RefreshDataAfterVerification(DataAfterVerification):
    @jwt_required(refresh=True)
    def post(self, request):
        return answer(request, request.data)


def data_then_manual_verification(request):
    data = dict(request.data)
    verify_jwt_in_request(request)
    return answer(request, data)


def drf_function(view, parsers):
    decorated = parser_classes(parsers)(view)
    decorated = permission_classes([AllowAny])(decorated)
    decorated = authentication_classes([])(decorated)
    return api_view(["POST"])(decorated)


PARSERS = {"drf-parser": [JSONParser], "stream-parser": [StreamJSONParser]}
DATA_VIEWS = ["data-after", "data-before", "data-then-manual"]


@api_view(["GET", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
@jwt_required()
def guarded_function(request):
    return Response({"method": request.method})


urlpatterns = [
    path("t/function", guarded_function),
    path("", include("testproject.urls")),
]
for parser_name, parsers in PARSERS.items():
    urlpatterns += [
        path(f"t/{parser_name}/data-after", DataAfterVerification.as_view(parser_classes=parsers)),
        path(
            f"t/{parser_name}/data-before", DataBeforeVerification.as_view(parser_classes=parsers)
        ),
        path(
            f"t/{parser_name}/refresh-data-after",
            RefreshDataAfterVerification.as_view(parser_classes=parsers),
        ),
        path(
            f"t/{parser_name}/data-then-manual",
            drf_function(data_then_manual_verification, parsers),
        ),
    ]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture(params=[False, True], ids=["plain-client", "enforce-csrf-client"])
def client(request):
    return APIClient(enforce_csrf_checks=request.param)


# Success in every location and method.


@pytest.mark.parametrize("location", ["headers", "cookies", "query_string", "json"])
@pytest.mark.parametrize("flavour", DECORATED)
def test_valid_token_passes_in_each_location(
    client, settings, flavour, location, user, access_token
):
    settings.JWT_TOKEN_LOCATION = [location]
    method = "post" if location == "json" else "get"
    response = call(client, flavour_path(flavour), access_token, location, method=method)
    assert response.status_code == 200
    assert response.json() == {
        "identity": str(user.pk),
        "claims": decode_token(access_token),
        "header": {"alg": "HS256", "typ": "JWT"},
        "location": location,
        "user": "alice",
        "request_user": "alice",
    }


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
@pytest.mark.parametrize("flavour", DECORATED)
def test_every_method_is_guarded(client, flavour, method, access_token):
    assert call(client, flavour_path(flavour), method=method).status_code == 401
    assert call(client, flavour_path(flavour), access_token, method=method).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("flavour", DECORATED)
def test_cookie_token_with_csrf_header_passes_unsafe_methods(
    client, settings, flavour, method, access_token
):
    settings.JWT_TOKEN_LOCATION = ["cookies"]
    csrf = get_csrf_token(access_token)
    response = call(
        client, flavour_path(flavour), access_token, "cookies", method=method, csrf=csrf
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", [flavour_path("drf-apiview"), flavour_path("drf-viewset"), "/t/function"]
)
def test_options_is_exempt(client, path):
    # testproject's drf-function answers OPTIONS itself with describe(), which
    # needs a verified request; /t/function is the same guard without that.
    assert client.options(path).status_code == 200
    assert client.get(path).status_code == 401


@pytest.mark.parametrize("flavour", DECORATED)
def test_optional_variant_without_token(client, flavour):
    body = client.get(flavour_path(flavour, "optional")).json()
    assert (body["identity"], body["claims"], body["location"], body["user"]) == (
        None,
        {},
        None,
        None,
    )


@pytest.mark.parametrize("flavour", DECORATED)
def test_fresh_variant_accepts_a_fresh_token(client, flavour, user):
    token = create_access_token(user, fresh=True)
    assert call(client, flavour_path(flavour, "fresh"), token).status_code == 200


@pytest.mark.parametrize("flavour", DECORATED)
def test_refresh_variant_accepts_a_refresh_token(client, flavour, refresh_token):
    body = call(client, flavour_path(flavour, "refresh"), refresh_token).json()
    assert body["claims"]["type"] == "refresh"


@pytest.mark.parametrize("flavour", DECORATED)
def test_no_revocation_check_variant(client, manager, flavour, access_token):
    manager.token_in_blocklist_loader(lambda jwt_header, jwt_data: True)
    assert (
        call(client, flavour_path(flavour, "no-revocation-check"), access_token).status_code == 200
    )
    assert call(client, flavour_path(flavour), access_token).status_code == 401


@pytest.mark.parametrize("flavour", DECORATED)
def test_default_settings_cost_one_query(client, flavour, access_token, django_assert_num_queries):
    with django_assert_num_queries(1):
        body = call(client, flavour_path(flavour), access_token).json()
    assert body["user"] == "alice"


@pytest.mark.parametrize("flavour", DECORATED)
def test_stateless_mode(client, settings, flavour, user, access_token, django_assert_num_queries):
    settings.JWT_USER_LOOKUP = None
    settings.JWT_REVOCATION_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"
    with django_assert_num_queries(0):
        body = call(client, flavour_path(flavour), access_token).json()
    assert (body["identity"], body["user"]) == (str(user.pk), None)


# Every failure: the same response as the plain Django view of testproject.


@pytest.mark.parametrize("kind", list(REFUSALS))
@pytest.mark.parametrize("flavour", DECORATED + ("drf-classes",))
def test_refusal_is_identical_to_the_django_view(client, settings, manager, user, flavour, kind):
    variant, status, message, _ = REFUSALS[kind]
    arguments = prepare(kind, settings, manager, user)
    reference = call(APIClient(), flavour_path("sync", variant), **arguments)
    response = call(client, flavour_path(flavour, variant), **arguments)

    expected = (status, {"msg": message.format(pk=user.pk)})
    assert (reference.status_code, reference.json()) == expected
    assert (response.status_code, response.json()) == expected
    assert response.get("WWW-Authenticate") == reference.get("WWW-Authenticate")
    assert response.get("WWW-Authenticate") == (CHALLENGE if status == 401 else None)


# The JSON body location while DRF parses the body too.


@pytest.fixture
def json_only(settings):
    settings.JWT_TOKEN_LOCATION = ["json"]


def post_json(client, path, payload):
    return client.post(path, data=json.dumps(payload), content_type="application/json")


@pytest.fixture(params=list(PARSERS))
def parser(request):
    return request.param


@pytest.mark.parametrize("view", DATA_VIEWS)
def test_json_token_with_request_data(client, json_only, parser, view, user, access_token):
    response = post_json(
        client, f"/t/{parser}/{view}", {"access_token": access_token, "note": "hi"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "data": {"access_token": access_token, "note": "hi"},
        "identity": str(user.pk),
        "location": "json",
    }


@pytest.mark.parametrize("view", DATA_VIEWS)
def test_json_without_token_key_with_request_data(client, json_only, parser, view):
    response = post_json(client, f"/t/{parser}/{view}", {"note": "hi"})
    assert (response.status_code, response.json()) == (
        401,
        {"msg": 'Missing "access_token" key in json data.'},
    )


@pytest.mark.parametrize("view", DATA_VIEWS)
def test_json_with_bad_token_with_request_data(client, json_only, parser, view):
    response = post_json(client, f"/t/{parser}/{view}", {"access_token": "not-a-jwt"})
    assert (response.status_code, response.json()) == (422, {"msg": "Not enough segments"})


def test_form_body_is_not_json(client, json_only, access_token):
    # Views that read request.data first get DRF's 415 before any verification.
    response = client.post("/t/drf-parser/data-after", {"access_token": access_token})
    assert (response.status_code, response.json()) == (
        401,
        {"msg": "Invalid content-type. Must be application/json."},
    )


def test_refresh_json_key(client, json_only, parser, user, refresh_token, access_token):
    path = f"/t/{parser}/refresh-data-after"
    response = post_json(client, path, {"refresh_token": refresh_token})
    assert (response.status_code, response.json()["identity"]) == (200, str(user.pk))
    response = post_json(client, path, {"access_token": access_token})
    assert (response.status_code, response.json()) == (
        401,
        {"msg": 'Missing "refresh_token" key in json data.'},
    )


@pytest.mark.parametrize("flavour", DECORATED + ("drf-classes",))
def test_json_location_on_flavours(client, json_only, flavour, user, access_token):
    response = post_json(client, flavour_path(flavour), {"access_token": access_token})
    assert (response.status_code, response.json()["location"]) == (200, "json")


@pytest.mark.parametrize("flavour", DECORATED + ("drf-classes",))
def test_json_or_cookies_variant_prefers_json(client, flavour, user, access_token):
    other = create_access_token("424242")
    client.cookies["access_token_cookie"] = other
    response = post_json(
        client, flavour_path(flavour, "json-or-cookies"), {"access_token": access_token}
    )
    assert (response.status_code, response.json()["identity"]) == (200, str(user.pk))


@pytest.mark.parametrize("flavour", DECORATED)
def test_expired_token_in_json_body(client, json_only, flavour, user):
    token = create_access_token(user, expires_delta=timedelta(seconds=-5))
    response = post_json(client, flavour_path(flavour), {"access_token": token})
    assert (response.status_code, response.json()) == (401, {"msg": "Token has expired"})


@pytest.mark.parametrize("flavour", DECORATED)
def test_refresh_token_in_json_refresh_key(client, json_only, flavour, user):
    token = create_refresh_token(user)
    response = post_json(client, flavour_path(flavour, "refresh"), {"refresh_token": token})
    assert (response.status_code, response.json()["claims"]["type"]) == (200, "refresh")


@pytest.mark.parametrize(
    "body, status, message",
    [
        ("{not json", 401, 'Missing "access_token" key in json data.'),
        ("[1, 2]", 401, 'Missing "access_token" key in json data.'),
        ('"text"', 401, 'Missing "access_token" key in json data.'),
        ('{"access_token": 5}', 422, "Invalid token type. Token must be a <class 'bytes'>"),
        ('{"access_token": ["x"]}', 422, "Invalid token type. Token must be a <class 'bytes'>"),
        ('{"access_token": {"a": 1}}', 422, "Invalid token type. Token must be a <class 'bytes'>"),
    ],
    ids=["invalid", "list", "string", "number", "list-token", "object-token"],
)
@pytest.mark.parametrize("flavour", DECORATED + ("drf-classes",))
def test_hostile_json_bodies(client, json_only, flavour, body, status, message):
    response = client.post(flavour_path(flavour), data=body, content_type="application/json")
    assert (response.status_code, response.json()) == (status, {"msg": message})
