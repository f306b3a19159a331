"""The parsing rules of DESIGN 5: where a token is found and how it must look."""

import json
from urllib.parse import quote

import pytest

from django_jwt_ext import create_access_token, create_refresh_token, decode_token, get_csrf_token
from tests.helpers import assert_refused, call, flavour_path

pytestmark = pytest.mark.django_db

MISSING_BEARER = (
    "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"
)
BAD_BEARER = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"


def assert_passed(response, token, location):
    """The view ran with ``token``, found in ``location``."""
    assert response.status_code == 200
    body = response.json()
    assert body["location"] == location
    assert body["claims"]["jti"] == decode_token(token)["jti"]


def get(client, flavour, variant="protected", **extra):
    return client.get(flavour_path(flavour, variant), **extra)


def post_json(client, flavour, data, variant="protected", content_type="application/json"):
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post(flavour_path(flavour, variant), data=body, content_type=content_type)


# Headers.


@pytest.mark.parametrize(
    "template",
    [
        "Bearer {}",
        "  Bearer {}  ",
        "\tBearer {}\t",
        ",Bearer {},",
        ", , Bearer {} , ,",
        "Bearer   {}",
        "Bearer\t{}",
    ],
)
def test_header_value_is_stripped_of_spaces_and_commas(client, flavour, access_token, template):
    response = get(client, flavour, HTTP_AUTHORIZATION=template.format(access_token))
    assert_passed(response, access_token, "headers")


@pytest.mark.parametrize(
    "template",
    [
        "Basic dXNlcjpwYXNz, Bearer {}",
        "Bearer {}, Basic dXNlcjpwYXNz",
        'Digest username="u",Bearer {}',
        "Basic abc,   Bearer {}, Negotiate xyz",
    ],
)
def test_one_bearer_among_comma_separated_credentials(client, flavour, access_token, template):
    response = get(client, flavour, HTTP_AUTHORIZATION=template.format(access_token))
    assert_passed(response, access_token, "headers")


@pytest.mark.parametrize(
    "template",
    ["bearer {}", "BEARER {}", "Bearer{}", "Basic {}", "Token {}", "JWT {}"],
)
def test_header_type_is_case_sensitive_and_exact(client, flavour, access_token, template):
    response = get(client, flavour, HTTP_AUTHORIZATION=template.format(access_token))
    assert_refused(response, 401, MISSING_BEARER)


@pytest.mark.parametrize("template", ["Bearer {0}, Bearer {0}", "Bearer {0},Bearer x, Basic y"])
def test_several_bearer_credentials_are_refused(client, flavour, access_token, template):
    response = get(client, flavour, HTTP_AUTHORIZATION=template.format(access_token))
    assert_refused(response, 401, MISSING_BEARER)


@pytest.mark.parametrize("template", ["Bearer", "Bearer {} extra", "Basic abc, Bearer {} {}"])
def test_bearer_credential_needs_exactly_two_pieces(client, flavour, access_token, template):
    response = get(client, flavour, HTTP_AUTHORIZATION=template.format(access_token, access_token))
    assert_refused(response, 422, BAD_BEARER)


@pytest.mark.parametrize("value", ["", "   ", ",", " , ,, "])
def test_empty_header_is_missing(client, flavour, value):
    response = get(client, flavour, HTTP_AUTHORIZATION=value)
    assert_refused(response, 401, "Missing Authorization Header")


@pytest.mark.parametrize("template", ["{}", "  {}  ", ",{},"])
def test_empty_header_type_takes_a_bare_token(client, flavour, settings, access_token, template):
    settings.JWT_HEADER_TYPE = ""
    response = get(client, flavour, HTTP_AUTHORIZATION=template.format(access_token))
    assert_passed(response, access_token, "headers")


@pytest.mark.parametrize("template", ["Bearer {}", "{} {}", "Basic abc, {}"])
def test_empty_header_type_refuses_more_than_one_piece(
    client, flavour, settings, access_token, template
):
    settings.JWT_HEADER_TYPE = ""
    response = get(client, flavour, HTTP_AUTHORIZATION=template.format(access_token, access_token))
    assert_refused(response, 422, "Bad Authorization header. Expected 'Authorization: <JWT>'")


def test_custom_header_type(client, flavour, settings, access_token):
    settings.JWT_HEADER_TYPE = "JWT"
    assert_passed(
        get(client, flavour, HTTP_AUTHORIZATION=f"JWT {access_token}"), access_token, "headers"
    )
    assert_refused(
        get(client, flavour, HTTP_AUTHORIZATION=f"Bearer {access_token}"),
        401,
        "Missing 'JWT' type in 'Authorization' header. Expected 'Authorization: JWT <JWT>'",
    )


def test_custom_header_name(client, flavour, settings, access_token):
    settings.JWT_HEADER_NAME = "X-Auth-Token"
    response = get(client, flavour, HTTP_X_AUTH_TOKEN=f"Bearer {access_token}")
    assert_passed(response, access_token, "headers")
    # Authorization is not looked at any more.
    response = get(client, flavour, HTTP_AUTHORIZATION=f"Bearer {access_token}")
    assert_refused(response, 401, "Missing X-Auth-Token Header")
    response = get(client, flavour, HTTP_X_AUTH_TOKEN=f"Token {access_token}")
    assert_refused(
        response,
        401,
        "Missing 'Bearer' type in 'X-Auth-Token' header. Expected 'X-Auth-Token: Bearer <JWT>'",
    )


# Cookies.


@pytest.fixture
def cookies(settings):
    settings.JWT_TOKEN_LOCATION = ["cookies"]


@pytest.mark.usefixtures("cookies")
def test_access_token_from_the_access_cookie(client, flavour, access_token):
    client.cookies["access_token_cookie"] = access_token
    assert_passed(get(client, flavour), access_token, "cookies")


@pytest.mark.usefixtures("cookies")
def test_access_token_in_the_refresh_cookie_is_not_found(client, flavour, access_token):
    client.cookies["refresh_token_cookie"] = access_token
    assert_refused(get(client, flavour), 401, 'Missing cookie "access_token_cookie"')


@pytest.mark.usefixtures("cookies")
def test_refresh_token_from_the_refresh_cookie(client, flavour, refresh_token):
    client.cookies["refresh_token_cookie"] = refresh_token
    assert_passed(get(client, flavour, "refresh"), refresh_token, "cookies")


@pytest.mark.usefixtures("cookies")
def test_refresh_token_in_the_access_cookie_is_not_found(client, flavour, refresh_token):
    client.cookies["access_token_cookie"] = refresh_token
    assert_refused(get(client, flavour, "refresh"), 401, 'Missing cookie "refresh_token_cookie"')


@pytest.mark.usefixtures("cookies")
def test_custom_cookie_names(client, flavour, settings, access_token, refresh_token):
    settings.JWT_ACCESS_COOKIE_NAME = "a"
    settings.JWT_REFRESH_COOKIE_NAME = "r"
    client.cookies["access_token_cookie"] = access_token
    assert_refused(get(client, flavour), 401, 'Missing cookie "a"')
    client.cookies["a"] = access_token
    client.cookies["r"] = refresh_token
    assert_passed(get(client, flavour), access_token, "cookies")
    assert_passed(get(client, flavour, "refresh"), refresh_token, "cookies")


@pytest.mark.usefixtures("cookies")
def test_empty_cookie_is_missing(client, flavour):
    client.cookies["access_token_cookie"] = ""
    assert_refused(get(client, flavour), 401, 'Missing cookie "access_token_cookie"')


# Query string.


@pytest.fixture
def query_string(settings):
    settings.JWT_TOKEN_LOCATION = ["query_string"]


@pytest.mark.usefixtures("query_string")
def test_query_string_without_prefix(client, flavour, access_token):
    assert_passed(
        get(client, flavour, QUERY_STRING=f"jwt={access_token}"), access_token, "query_string"
    )


@pytest.mark.usefixtures("query_string")
def test_custom_query_string_name(client, flavour, settings, access_token):
    settings.JWT_QUERY_STRING_NAME = "token"
    assert_passed(
        get(client, flavour, QUERY_STRING=f"token={access_token}"), access_token, "query_string"
    )
    assert_refused(
        get(client, flavour, QUERY_STRING=f"jwt={access_token}"),
        401,
        "Missing 'token' query paramater",
    )


@pytest.mark.usefixtures("query_string")
@pytest.mark.parametrize("value", ["", "&jwt=", "other=1"])
def test_empty_query_string_value_is_missing(client, flavour, value):
    response = get(client, flavour, QUERY_STRING=value)
    assert_refused(response, 401, "Missing 'jwt' query paramater")


@pytest.mark.usefixtures("query_string")
def test_query_string_value_prefix(client, flavour, settings, access_token):
    settings.JWT_QUERY_STRING_VALUE_PREFIX = "Bearer "
    response = get(client, flavour, QUERY_STRING="jwt=" + quote(f"Bearer {access_token}"))
    assert_passed(response, access_token, "query_string")
    expected = "Invalid value for query parameter 'jwt'. Expected the value to start with 'Bearer '"
    for value in (access_token, f"bearer {access_token}", f"Bearer{access_token}"):
        response = get(client, flavour, QUERY_STRING="jwt=" + quote(value))
        assert_refused(response, 422, expected)


@pytest.mark.usefixtures("query_string")
def test_query_string_prefix_is_removed_once(client, flavour, settings, access_token):
    settings.JWT_QUERY_STRING_VALUE_PREFIX = "x"
    response = get(client, flavour, QUERY_STRING=f"jwt=xx{access_token}")
    assert_refused(response, 422, "Invalid header padding")
    assert_passed(
        get(client, flavour, QUERY_STRING=f"jwt=x{access_token}"), access_token, "query_string"
    )


# JSON body.


@pytest.fixture
def json_body(settings):
    settings.JWT_TOKEN_LOCATION = ["json"]


@pytest.mark.usefixtures("json_body")
@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "Application/JSON",
        "application/vnd.api+json",
        "application/merge-patch+json; charset=utf-8",
    ],
)
def test_json_content_types(client, flavour, access_token, content_type):
    response = post_json(client, flavour, {"access_token": access_token}, content_type=content_type)
    assert_passed(response, access_token, "json")


@pytest.mark.usefixtures("json_body")
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/json", "application/x-www-form-urlencoded", "application/jsonx", "+json"],
)
def test_json_needs_a_json_content_type(client, flavour, access_token, content_type):
    response = post_json(client, flavour, {"access_token": access_token}, content_type=content_type)
    assert_refused(response, 401, "Invalid content-type. Must be application/json.")


@pytest.mark.usefixtures("json_body")
def test_json_without_content_type(client, flavour, access_token):
    response = client.generic(
        "POST", flavour_path(flavour), json.dumps({"access_token": access_token}), content_type=""
    )
    assert_refused(response, 401, "Invalid content-type. Must be application/json.")


@pytest.mark.usefixtures("json_body")
@pytest.mark.parametrize("data", [{}, {"access_token": ""}, {"access_token": None}, {"jwt": "x"}])
def test_json_without_the_key(client, flavour, data):
    response = post_json(client, flavour, data)
    assert_refused(response, 401, 'Missing "access_token" key in json data.')


@pytest.mark.usefixtures("json_body")
def test_custom_json_key(client, flavour, settings, access_token):
    settings.JWT_JSON_KEY = "token"
    assert_passed(post_json(client, flavour, {"token": access_token}), access_token, "json")
    assert_refused(
        post_json(client, flavour, {"access_token": access_token}),
        401,
        'Missing "token" key in json data.',
    )


@pytest.mark.usefixtures("json_body")
def test_refresh_json_key(client, flavour, settings, refresh_token):
    assert_passed(
        post_json(client, flavour, {"refresh_token": refresh_token}, "refresh"),
        refresh_token,
        "json",
    )
    assert_refused(
        post_json(client, flavour, {"access_token": refresh_token}, "refresh"),
        401,
        'Missing "refresh_token" key in json data.',
    )
    settings.JWT_REFRESH_JSON_KEY = "rt"
    assert_passed(
        post_json(client, flavour, {"rt": refresh_token}, "refresh"), refresh_token, "json"
    )


@pytest.mark.usefixtures("json_body")
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_json_with_other_methods(client, flavour, access_token, method):
    response = call(client, flavour_path(flavour), access_token, "json", method=method)
    assert_passed(response, access_token, "json")


# Several locations.


@pytest.mark.parametrize(
    "order",
    [
        ["headers", "cookies", "query_string", "json"],
        ["cookies", "headers", "query_string", "json"],
        ["query_string", "json", "cookies", "headers"],
        ["json", "query_string", "headers", "cookies"],
    ],
)
def test_several_locations_are_tried_in_configured_order(client, flavour, settings, user, order):
    settings.JWT_TOKEN_LOCATION = order
    tokens = {name: create_access_token(user) for name in order}
    client.cookies["access_token_cookie"] = tokens["cookies"]
    response = client.post(
        flavour_path(flavour) + f"?jwt={tokens['query_string']}",
        data=json.dumps({"access_token": tokens["json"]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens['headers']}",
        HTTP_X_CSRF_TOKEN=get_csrf_token(tokens["cookies"]),
    )
    assert_passed(response, tokens[order[0]], order[0])


@pytest.mark.parametrize(
    ("first", "later"),
    [
        ("headers", "cookies"),
        ("headers", "json"),
        ("cookies", "query_string"),
        ("query_string", "headers"),
        ("json", "headers"),
    ],
)
def test_a_location_without_token_passes_the_turn(
    client, flavour, settings, access_token, first, later
):
    settings.JWT_TOKEN_LOCATION = [first, later]
    response = call(
        client,
        flavour_path(flavour),
        access_token,
        later,
        method="post" if later == "json" else "get",
        HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz",  # not ours: no token in headers
    )
    assert_passed(response, access_token, later)


def test_bad_header_beats_a_good_cookie(client, flavour, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    client.cookies["access_token_cookie"] = access_token
    assert_refused(get(client, flavour, HTTP_AUTHORIZATION="Bearer"), 422, BAD_BEARER)
    assert_refused(
        get(client, flavour, HTTP_AUTHORIZATION="Bearer not-a-jwt"), 422, "Not enough segments"
    )


def test_errors_of_the_first_token_are_final(client, flavour, settings, user, access_token):
    settings.JWT_TOKEN_LOCATION = ["headers", "query_string"]
    expired = create_access_token(user, expires_delta=-10)
    path = flavour_path(flavour) + f"?jwt={access_token}"
    assert_refused(
        client.get(path, HTTP_AUTHORIZATION=f"Bearer {expired}"), 401, "Token has expired"
    )
    refresh = create_refresh_token(user)
    assert_refused(
        client.get(path, HTTP_AUTHORIZATION=f"Bearer {refresh}"),
        422,
        "Only non-refresh tokens are allowed",
    )


def test_bad_query_prefix_beats_a_good_header(client, flavour, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["query_string", "headers"]
    settings.JWT_QUERY_STRING_VALUE_PREFIX = "Bearer "
    response = call(
        client,
        flavour_path(flavour) + f"?jwt={access_token}",
        access_token,
        "headers",
    )
    assert_refused(
        response,
        422,
        "Invalid value for query parameter 'jwt'. Expected the value to start with 'Bearer '",
    )


def test_missing_csrf_of_a_cookie_beats_a_good_json_body(client, flavour, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["cookies", "json"]
    client.cookies["access_token_cookie"] = access_token
    response = post_json(client, flavour, {"access_token": access_token})
    assert_refused(response, 401, "Missing CSRF token")


# The locations= argument overrides JWT_TOKEN_LOCATION.


def test_query_only_variant(client, flavour, settings, access_token):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies", "query_string", "json"]
    response = get(client, flavour, "query-only", QUERY_STRING=f"jwt={access_token}")
    assert_passed(response, access_token, "query_string")
    response = get(client, flavour, "query-only", HTTP_AUTHORIZATION=f"Bearer {access_token}")
    assert_refused(response, 401, "Missing 'jwt' query paramater")


def test_json_or_cookies_variant(client, flavour, settings, user):
    settings.JWT_TOKEN_LOCATION = ["headers"]
    json_token, cookie_token = create_access_token(user), create_access_token(user)
    response = post_json(client, flavour, {"access_token": json_token}, "json-or-cookies")
    assert_passed(response, json_token, "json")

    client.cookies["access_token_cookie"] = cookie_token
    assert_passed(get(client, flavour, "json-or-cookies"), cookie_token, "cookies")
    # Both: json comes first.
    response = client.post(
        flavour_path(flavour, "json-or-cookies"),
        data=json.dumps({"access_token": json_token}),
        content_type="application/json",
    )
    assert_passed(response, json_token, "json")

    client.cookies.clear()
    response = get(client, flavour, "json-or-cookies", HTTP_AUTHORIZATION=f"Bearer {json_token}")
    assert_refused(
        response,
        401,
        "Missing JWT in json or cookies (Invalid content-type. Must be application/json.; "
        'Missing cookie "access_token_cookie")',
    )
