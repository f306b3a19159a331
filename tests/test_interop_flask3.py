"""Tokens are shared both ways with a flask-jwt-extended 3.25.1 (seed era) API.

The 3.x side is the real release, run by ``tests/interop/flask3_peer.py`` in
its own virtualenv (``make flask3-venv``: Flask 1.1 and PyJWT 1.7 on Python
3.9): one peer process serves the whole module, one JSON exchange per test.

Each scenario sends the same token (minted by 3.x, or minted here) and the
same request to a 3.x endpoint and to the matching Django view; both must
answer the same status code and JSON body, and the 3.x loaders and their
aliases here must have received the same arguments. The Django side runs
with the 3.x settings a migrating project copies from its Flask
configuration (DESIGN 9), set explicitly: ``JWT_IDENTITY_CLAIM="identity"``,
``JWT_USER_CLAIMS``, ``JWT_CLAIMS_IN_REFRESH_TOKEN``, ``JWT_BLACKLIST_*``.

Without ``.venv-flask3`` the module is skipped, except under CI (``CI`` set),
where it fails: CI must run it.
"""

import base64
import json
import os
import select
import subprocess
import tempfile
import types
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse, JsonResponse
from django.test import Client
from django.urls import path

import django_jwt_ext
from django_jwt_ext import (
    create_access_token,
    create_refresh_token,
    get_jwt,
    get_jwt_identity,
    jwt_required,
    set_access_cookies,
    set_refresh_cookies,
)
from django_jwt_ext.revocation import revoke_token
from tests.conftest import SECRET
from tests.helpers import rsa_pem_pair

ROOT = Path(__file__).resolve().parent.parent
FLASK3_VENV = ROOT / ".venv-flask3"
PEER = ROOT / "tests" / "interop" / "flask3_peer.py"
PEER_TIMEOUT = 60  # seconds for one exchange; a healthy one takes milliseconds

if not (FLASK3_VENV / ".installed").exists():
    MISSING = f"{FLASK3_VENV} (flask-jwt-extended 3.25.1) is missing: run `make flask3-venv`"
    if os.environ.get("CI"):
        pytest.fail(f"{MISSING}. CI must run the seed-era interop tests.", pytrace=False)
    pytest.skip(MISSING, allow_module_level=True)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# flask-jwt-extended 3.25.1's defaults, which a migrating project copies into
# its Django settings (3.x sets them in JWTManager._set_default_configuration_options).
SEED_SETTINGS: dict[str, Any] = {
    "JWT_IDENTITY_CLAIM": "identity",
    "JWT_USER_CLAIMS": "user_claims",
    "JWT_CLAIMS_IN_REFRESH_TOKEN": False,
    "JWT_BLACKLIST_ENABLED": False,
    "JWT_BLACKLIST_TOKEN_CHECKS": ["access", "refresh"],
    "JWT_TOKEN_LOCATION": ["headers"],
}
# What the 3.x loaders record, per call, in both implementations.
RECORDED = ("claims_verification", "token_in_blacklist", "user_loader")


# The Django half: the same four endpoints, each with the same two bodies.

REQUIREMENTS = {
    "protected": {},
    "optional": {"optional": True},
    "fresh": {"fresh": True},
    "refresh": {"refresh": True},
}


def identity_body(request):
    claims = get_jwt(request)
    return JsonResponse(
        {
            "identity": get_jwt_identity(request),
            "type": claims.get("type"),
            "jti": claims.get("jti"),
        }
    )


def claims_body(request):
    # django_jwt_ext.get_jwt_claims is the 3.x helper DESIGN 9 promises.
    return JsonResponse(
        {
            "identity": get_jwt_identity(request),
            "claims": django_jwt_ext.get_jwt_claims(request),
        }
    )


urlpatterns = [
    path(f"interop3/{endpoint}/{name}", jwt_required(**requirements)(body))
    for endpoint, requirements in REQUIREMENTS.items()
    for name, body in {"identity": identity_body, "claims": claims_body}.items()
]


# The 3.x half: one peer process for the module.


class Peer:
    """The flask-jwt-extended 3.25.1 peer process, one JSON line per exchange."""

    def __init__(self, stderr: Any) -> None:
        self.stderr = stderr
        self.process = subprocess.Popen(
            [str(FLASK3_VENV / "bin" / "python"), str(PEER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            cwd=ROOT,
        )

    def failure(self, what: str) -> str:
        self.stderr.seek(0)
        return f"flask3 peer: {what}\n{self.stderr.read()}"

    def exchange(self, config: dict, loaders: dict, actions: list[dict]) -> list[dict]:
        """Run ``actions`` in a new 3.x app with ``config`` and ``loaders``; return the results."""
        assert self.process.stdin
        assert self.process.stdout
        message = {"config": config, "loaders": loaders, "actions": actions}
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], PEER_TIMEOUT)
        if not ready:
            raise RuntimeError(self.failure(f"no answer within {PEER_TIMEOUT} s"))
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(self.failure(f"exited with {self.process.wait()}"))
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(self.failure(answer["error"]))
        return answer["results"]

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def peer():
    with tempfile.TemporaryFile(mode="w+") as stderr:
        process = Peer(stderr)
        yield process
        process.close()


@pytest.fixture(scope="module")
def rsa_keys():
    return rsa_pem_pair()


@pytest.fixture
def seed_config(settings, request):
    """Apply the 3.x settings plus ``options`` here; return the same config for 3.x."""

    def apply(options: dict) -> dict:
        config = {**SEED_SETTINGS, **options}
        if config.get("JWT_ALGORITHM") == "RS256":
            private_pem, public_pem = request.getfixturevalue("rsa_keys")
            config.update(JWT_PRIVATE_KEY=private_pem, JWT_PUBLIC_KEY=public_pem)
        for name, value in config.items():
            setattr(settings, name, list(value) if isinstance(value, list) else value)
        settings.JWT_USER_LOOKUP = None  # flask-jwt-extended loads no user by default
        return {"JWT_SECRET_KEY": SECRET, **config}

    return apply


# The Django counterparts of the peer's loaders (tests/interop/flask3_peer.py,
# register_loaders), registered under their 3.x names.


def error(status: int, message: str) -> HttpResponse:
    return JsonResponse({"msg": message}, status=status)


def fill(template: dict, identity: Any) -> dict:
    return {key: identity if value == "$identity" else value for key, value in template.items()}


def register_alias(manager, name: str, callback) -> None:
    """Register ``callback`` with the deprecated 3.x loader ``name`` (DESIGN 3.1)."""
    with pytest.deprecated_call():
        getattr(manager, name)(callback)


def register_loaders(manager, specs: dict, settings) -> dict[str, list]:
    """Register the 3.x aliases ``specs`` describes; return the lists their calls fill."""
    calls: dict[str, list] = {name: [] for name in RECORDED}
    if "user_identity" in specs:
        field_name = specs["user_identity"]["field"]
        manager.user_identity_loader(lambda identity: identity[field_name])
    if "user_claims" in specs:
        template = specs["user_claims"]
        register_alias(manager, "user_claims_loader", lambda identity: fill(template, identity))
    if "claims_verification" in specs:
        required = specs["claims_verification"]["require"]

        def claims_verification(user_claims):
            calls["claims_verification"].append(user_claims)
            return all(user_claims.get(key) == value for key, value in required.items())

        register_alias(manager, "claims_verification_loader", claims_verification)
    if "claims_verification_failed" in specs:
        spec = specs["claims_verification_failed"]
        register_alias(
            manager,
            "claims_verification_failed_loader",
            lambda: error(spec["status"], spec["msg"]),
        )
    if "token_in_blacklist" in specs:
        revoked = specs["token_in_blacklist"]["identities"]

        def token_in_blacklist(decoded_token):
            identity = decoded_token.get(settings.JWT_IDENTITY_CLAIM)
            calls["token_in_blacklist"].append(
                {
                    "identity": identity,
                    "type": decoded_token.get("type"),
                    "jti": decoded_token.get("jti"),
                }
            )
            return identity in revoked

        register_alias(manager, "token_in_blacklist_loader", token_in_blacklist)
    if "user_loader" in specs:
        unknown = specs["user_loader"]["unknown"]

        def user_loader(identity):
            calls["user_loader"].append(identity)
            return None if identity in unknown else types.SimpleNamespace(name=identity)

        register_alias(manager, "user_loader_callback_loader", user_loader)
    if "user_loader_error" in specs:
        spec = specs["user_loader_error"]
        register_alias(
            manager,
            "user_loader_error_loader",
            lambda identity: error(spec["status"], spec["prefix"] + str(identity)),
        )
    return calls


# Minting and sending here, as the peer does there.


def as_delta(value: Any) -> Any:
    """``{"seconds": n}`` (the peer's JSON form) as a timedelta; other values unchanged."""
    return timedelta(seconds=value["seconds"]) if isinstance(value, dict) else value


def mint_here(mint: dict, cookies: bool = False) -> tuple[str, dict[str, str] | None]:
    """Create a token as ``mint`` says; with ``cookies``, also the cookies set for it."""
    kind = mint.get("kind", "access")
    identity = mint.get("identity", "alice")
    expires = as_delta(mint.get("expires"))
    if kind == "access":
        token = create_access_token(
            identity,
            fresh=as_delta(mint.get("fresh", False)),
            expires_delta=expires,
            additional_claims=mint.get("claims"),
        )
    else:
        token = create_refresh_token(
            identity, expires_delta=expires, additional_claims=mint.get("claims")
        )
    if not cookies:
        return token, None
    response = HttpResponse()
    (set_access_cookies if kind == "access" else set_refresh_cookies)(response, token)
    return token, {name: morsel.value for name, morsel in response.cookies.items()}


def ask_here(request: dict, token: str | None, jar: dict | None) -> tuple[int, Any]:
    """Send ``request`` with ``token`` to the Django view; return status and JSON body."""
    client = Client()
    refresh = request["endpoint"] == "refresh"
    url = f"/interop3/{request['endpoint']}/{request.get('body', 'identity')}"
    location = request.get("location", "headers")
    extra: dict[str, Any] = {}
    if token is not None:
        if location == "headers":
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        elif location == "cookies":
            default_name = "refresh_token_cookie" if refresh else "access_token_cookie"
            for name, value in (jar or {default_name: token}).items():
                client.cookies[name] = value
        elif location == "query_string":
            url = f"{url}?jwt={token}"
        elif location == "json":
            key = "refresh_token" if refresh else "access_token"
            extra.update(data=json.dumps({key: token}), content_type="application/json")
        else:
            raise ValueError(location)
    if request.get("csrf_header"):
        value = request.get("csrf_value", "cookie")
        if value == "cookie":
            assert jar is not None
            value = jar["csrf_refresh_token" if refresh else "csrf_access_token"]
        extra["HTTP_" + request["csrf_header"].upper().replace("-", "_")] = value
    response = getattr(client, request.get("method", "GET").lower())(url, **extra)
    return response.status_code, response.json()


# The scenarios.


@dataclass(frozen=True)
class Scenario:
    """One request both sides must answer alike, for a token either side mints."""

    # What create_*_token gets: kind, identity, fresh, expires, claims; None: no token.
    mint: dict | None = field(default_factory=dict)
    # endpoint, body ("identity" or "claims"), location, method, csrf_header, csrf_value.
    request: dict = field(default_factory=lambda: {"endpoint": "protected"})
    config: dict = field(default_factory=dict)
    loaders: dict = field(default_factory=dict)
    # The 3.x answer, pinned so that a scenario cannot pass by testing nothing.
    status: int = 200
    msg: str | None = None
    # Revoke the token in this app's built-in store (3.x has none) before asking.
    revoke_here: bool = False


def ask(endpoint: str, body: str = "identity", **more: Any) -> dict:
    return {"endpoint": endpoint, "body": body, **more}


REFRESH = {"kind": "refresh"}
USER_CLAIMS = {"role": "admin", "level": 3}
BLACKLIST = {"token_in_blacklist": {"identities": ["mallory"]}}
VERIFY = {"claims_verification": {"require": {"role": "admin"}}}
CSRF_COOKIES = {"JWT_TOKEN_LOCATION": ["cookies"], "JWT_CSRF_HEADER_NAME": "X-XSRF-TOKEN"}


def blacklist(checks: Any) -> dict:
    return {"JWT_BLACKLIST_ENABLED": True, "JWT_BLACKLIST_TOKEN_CHECKS": checks}


def cookie_post(endpoint: str, header: str = "X-XSRF-TOKEN", value: str = "cookie") -> dict:
    return ask(endpoint, location="cookies", method="POST", csrf_header=header, csrf_value=value)


SCENARIOS = {
    # The default 3.x layout, identities, algorithms and locations.
    "default-access": Scenario(),
    "default-refresh": Scenario(REFRESH, ask("refresh")),
    "dict-identity": Scenario({"identity": {"id": 7, "name": "alice"}}),
    "user-identity-loader": Scenario(
        {"identity": {"id": 7, "name": "alice"}}, loaders={"user_identity": {"field": "name"}}
    ),
    "rs256": Scenario(config={"JWT_ALGORITHM": "RS256"}),
    "query-string": Scenario(
        request=ask("protected", location="query_string"),
        config={"JWT_TOKEN_LOCATION": ["query_string"]},
    ),
    "json-refresh": Scenario(
        REFRESH, ask("refresh", location="json", method="POST"), {"JWT_TOKEN_LOCATION": ["json"]}
    ),
    # User claims nested under JWT_USER_CLAIMS, read with get_jwt_claims.
    "user-claims": Scenario({"claims": USER_CLAIMS}, ask("protected", "claims")),
    "user-claims-custom-key": Scenario(
        {"claims": USER_CLAIMS}, ask("protected", "claims"), {"JWT_USER_CLAIMS": "private"}
    ),
    "user-claims-none": Scenario(request=ask("protected", "claims")),
    "user-claims-loader": Scenario(
        request=ask("protected", "claims"), loaders={"user_claims": {"hello": "$identity"}}
    ),
    "claims-in-refresh-token": Scenario(
        REFRESH,
        ask("refresh", "claims"),
        {"JWT_CLAIMS_IN_REFRESH_TOKEN": True},
        {"user_claims": {"hello": "$identity"}},
    ),
    "claims-not-in-refresh-token": Scenario(
        REFRESH, ask("refresh", "claims"), loaders={"user_claims": {"hello": "$identity"}}
    ),
    "explicit-claims-in-refresh-token": Scenario(
        {"kind": "refresh", "claims": USER_CLAIMS}, ask("refresh", "claims")
    ),
    "optional-without-token": Scenario(None, ask("optional", "claims")),
    "optional-with-claims": Scenario({"claims": USER_CLAIMS}, ask("optional", "claims")),
    # JWT_BLACKLIST_ENABLED and JWT_BLACKLIST_TOKEN_CHECKS with token_in_blacklist_loader.
    "blacklist-disabled": Scenario({"identity": "mallory"}, loaders=BLACKLIST),
    "blacklist-access-checks-access": Scenario(
        {"identity": "mallory"},
        config=blacklist(["access"]),
        loaders=BLACKLIST,
        status=401,
        msg="Token has been revoked",
    ),
    "blacklist-access-skips-refresh": Scenario(
        {"kind": "refresh", "identity": "mallory"},
        ask("refresh"),
        blacklist(["access"]),
        BLACKLIST,
    ),
    "blacklist-refresh-checks-refresh": Scenario(
        {"kind": "refresh", "identity": "mallory"},
        ask("refresh"),
        blacklist(["refresh"]),
        BLACKLIST,
        status=401,
        msg="Token has been revoked",
    ),
    "blacklist-refresh-skips-access": Scenario(
        {"identity": "mallory"}, config=blacklist(["refresh"]), loaders=BLACKLIST
    ),
    "blacklist-both-check-access": Scenario(
        {"identity": "mallory"},
        config=blacklist(["access", "refresh"]),
        loaders=BLACKLIST,
        status=401,
        msg="Token has been revoked",
    ),
    "blacklist-both-check-refresh": Scenario(
        {"kind": "refresh", "identity": "mallory"},
        ask("refresh"),
        blacklist(["access", "refresh"]),
        BLACKLIST,
        status=401,
        msg="Token has been revoked",
    ),
    "blacklist-not-revoked": Scenario(config=blacklist(["access", "refresh"]), loaders=BLACKLIST),
    "blacklist-checks-as-string": Scenario(
        {"identity": "mallory"}, config=blacklist("refresh"), loaders=BLACKLIST
    ),
    "blacklist-checked-before-freshness": Scenario(
        {"identity": "mallory"},
        ask("fresh"),
        blacklist(["access"]),
        BLACKLIST,
        status=401,
        msg="Token has been revoked",
    ),
    "blacklist-disabled-ignores-the-store": Scenario(revoke_here=True),
    # claims_verification_loader gets the user claims; never run for refresh tokens.
    "verification-passes": Scenario({"claims": {"role": "admin"}}, loaders=VERIFY),
    "verification-fails": Scenario(
        {"claims": {"role": "user"}},
        loaders=VERIFY,
        status=400,
        msg="User claims verification failed",
    ),
    "verification-without-claims": Scenario(
        loaders=VERIFY, status=400, msg="User claims verification failed"
    ),
    "verification-skipped-for-refresh": Scenario(REFRESH, ask("refresh"), loaders=VERIFY),
    "verification-failed-loader": Scenario(
        {"claims": {"role": "user"}},
        loaders={**VERIFY, "claims_verification_failed": {"status": 403, "msg": "Refused"}},
        status=403,
        msg="Refused",
    ),
    "verification-on-optional": Scenario(
        {"claims": {"role": "admin"}}, ask("optional"), {}, VERIFY
    ),
    # user_loader_callback_loader and user_loader_error_loader get the identity.
    "user-loader-known": Scenario(loaders={"user_loader": {"unknown": ["ghost"]}}),
    "user-loader-unknown": Scenario(
        {"identity": "ghost"},
        loaders={"user_loader": {"unknown": ["ghost"]}},
        status=401,
        msg="Error loading the user ghost",
    ),
    "user-loader-error-loader": Scenario(
        {"kind": "refresh", "identity": "ghost"},
        ask("refresh"),
        loaders={
            "user_loader": {"unknown": ["ghost"]},
            "user_loader_error": {"status": 404, "prefix": "No such user: "},
        },
        status=404,
        msg="No such user: ghost",
    ),
    # JWT_CSRF_HEADER_NAME with cookie tokens.
    "csrf-header-name": Scenario(request=cookie_post("protected"), config=CSRF_COOKIES),
    "csrf-header-name-refresh": Scenario(REFRESH, cookie_post("refresh"), CSRF_COOKIES),
    "csrf-header-name-replaces-default": Scenario(
        request=cookie_post("protected", header="X-CSRF-TOKEN"),
        config=CSRF_COOKIES,
        status=401,
        msg="Missing CSRF token",
    ),
    "csrf-header-name-wins-over-access-name": Scenario(
        request=cookie_post("protected"),
        config={**CSRF_COOKIES, "JWT_ACCESS_CSRF_HEADER_NAME": "X-ACCESS-CSRF"},
    ),
    "csrf-header-name-mismatch": Scenario(
        request=cookie_post("protected", value="not-the-token-value"),
        config=CSRF_COOKIES,
        status=401,
        msg="CSRF double submit tokens do not match",
    ),
    "csrf-not-checked-on-get": Scenario(
        request=ask("protected", location="cookies"), config=CSRF_COOKIES
    ),
    # Freshness.
    "fresh": Scenario({"fresh": True}, ask("fresh")),
    "not-fresh": Scenario(request=ask("fresh"), status=401, msg="Fresh token required"),
    "fresh-for-a-while": Scenario({"fresh": {"seconds": 300}}, ask("fresh")),
    "freshness-lapsed": Scenario(
        {"fresh": {"seconds": -60}}, ask("fresh"), status=401, msg="Fresh token required"
    ),
    # Expiry.
    "expired-access": Scenario({"expires": {"seconds": -10}}, status=401, msg="Token has expired"),
    "expired-refresh": Scenario(
        {"kind": "refresh", "expires": {"seconds": -10}},
        ask("refresh"),
        status=401,
        msg="Token has expired",
    ),
    # Token types.
    "refresh-at-access-endpoint": Scenario(
        REFRESH, status=422, msg="Only access tokens are allowed"
    ),
    "access-at-refresh-endpoint": Scenario(
        request=ask("refresh"), status=422, msg="Only refresh tokens are allowed"
    ),
}

# Who mints the token: flask-jwt-extended 3.25.1 ("seed") or this app ("here").
SCENARIO_PARAMS = [
    pytest.param(name, maker, id=f"{name}-{maker}-made")
    for name, scenario in SCENARIOS.items()
    for maker in (("seed", "here") if scenario.mint is not None else ("nobody",))
]


def needs_cookies(scenario: Scenario) -> bool:
    return scenario.request.get("location") == "cookies"


@pytest.mark.parametrize(("name", "maker"), SCENARIO_PARAMS)
def test_same_answer_as_the_seed(peer, seed_config, manager, settings, name, maker):
    scenario = SCENARIOS[name]
    config = seed_config(scenario.config)
    calls = register_loaders(manager, scenario.loaders, settings)
    request = {"op": "request", **scenario.request}
    actions = []
    token, jar = None, None
    if maker == "seed":
        actions.append({"op": "mint", **(scenario.mint or {}), "cookies": needs_cookies(scenario)})
        request["token_from"] = 0
    elif maker == "here":
        token, jar = mint_here(scenario.mint or {}, needs_cookies(scenario))
        request.update(token=token, cookies=jar)
    *minted, theirs = peer.exchange(config, scenario.loaders, [*actions, request])
    if minted:
        token, jar = minted[0]["token"], minted[0].get("cookies")

    # 3.x answers as the scenario says: it exercises what its name says, and
    # a token made here is understood there.
    assert theirs["status"] == scenario.status, (
        f"3.25.1 answered {theirs} to the {maker}-made token"
    )
    if scenario.msg is not None:
        assert theirs["json"] == {"msg": scenario.msg}
    if scenario.revoke_here:
        assert token is not None
        revoke_token(token)
    for recorded in calls.values():
        recorded.clear()  # What the user claims loader saw while minting is not compared.

    ours = ask_here(scenario.request, token, jar)
    assert ours == (theirs["status"], theirs["json"])
    assert calls == {name: theirs["calls"][name] for name in RECORDED}


# The claims of new tokens look alike.


def raw_claims(token: str) -> dict:
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


# Claims that differ between two tokens minted alike: compared by type only.
VARYING = {"iat", "nbf", "exp", "jti", "csrf"}


def shape(claims: dict) -> dict[str, tuple[str, Any]]:
    """Each claim's JSON type and, unless it varies from token to token, its value.

    ``iat`` and a timestamp ``fresh`` are numbers on both sides;
    test_numeric_dates_are_whole_seconds compares ``iat`` strictly.
    """
    result = {}
    for name, value in claims.items():
        timestamp = name == "iat" or (name == "fresh" and not isinstance(value, bool))
        kind = "number" if timestamp else type(value).__name__
        result[name] = (kind, "..." if name in VARYING or timestamp else value)
    return result


def tolerated_extras(config: dict, kind: str) -> set[str]:
    """Claims this app may add that 3.x leaves out, with no effect on sharing.

    4.x (DESIGN 5) adds ``csrf`` whenever JWT_COOKIE_CSRF_PROTECT is on and
    ``fresh: false`` to refresh tokens; 3.x adds ``csrf`` only when cookies
    are a token location and ``fresh`` only to access tokens. Neither claim
    is read where the other side would miss it.
    """
    extras = set()
    if "cookies" not in config["JWT_TOKEN_LOCATION"]:
        extras.add("csrf")
    if kind == "refresh":
        extras.add("fresh")
    return extras


LAYOUT_CASES: dict[str, tuple[dict, dict, dict]] = {
    # name: (config, loaders, mint)
    "access": ({}, {}, {}),
    "refresh": ({}, {}, REFRESH),
    "access-with-cookies": ({"JWT_TOKEN_LOCATION": ["headers", "cookies"]}, {}, {}),
    "refresh-with-cookies": ({"JWT_TOKEN_LOCATION": ["headers", "cookies"]}, {}, REFRESH),
    "fresh": ({}, {}, {"fresh": True}),
    "fresh-for-a-while": ({}, {}, {"fresh": {"seconds": 300}}),
    "no-expiry": ({}, {}, {"expires": False}),
    "short-expiry": ({}, {}, {"expires": {"seconds": 30}}),
    "custom-identity": ({}, {"user_identity": {"field": "name"}}, {"identity": {"name": "al"}}),
    "issuer": ({"JWT_ENCODE_ISSUER": "https://issuer.example"}, {}, {}),
    "user-claims": ({}, {}, {"claims": USER_CLAIMS}),
    "user-claims-custom-key": ({"JWT_USER_CLAIMS": "private"}, {}, {"claims": USER_CLAIMS}),
    "user-claims-empty": ({}, {}, {"claims": {}}),
    "user-claims-loader": ({}, {"user_claims": {"hello": "$identity"}}, {}),
    "user-claims-loader-in-refresh": (
        {"JWT_CLAIMS_IN_REFRESH_TOKEN": True},
        {"user_claims": {"hello": "$identity"}},
        REFRESH,
    ),
    "user-claims-loader-not-in-refresh": ({}, {"user_claims": {"hello": "$identity"}}, REFRESH),
    "explicit-claims-in-refresh": ({}, {}, {"kind": "refresh", "claims": USER_CLAIMS}),
}


@pytest.mark.parametrize("case", LAYOUT_CASES)
def test_new_tokens_have_the_seed_layout(peer, seed_config, manager, settings, case):
    options, loaders, mint = LAYOUT_CASES[case]
    config = seed_config(options)
    register_loaders(manager, loaders, settings)
    (theirs,) = peer.exchange(config, loaders, [{"op": "mint", **mint}])
    their_claims = theirs["payload"]
    our_claims = raw_claims(mint_here(mint)[0])
    extras = tolerated_extras(config, mint.get("kind", "access"))
    ours_compared = {name: value for name, value in our_claims.items() if name not in extras}

    assert shape(ours_compared) == shape(their_claims)
    if "exp" in their_claims:
        assert (
            our_claims["exp"] - int(our_claims["iat"]) == their_claims["exp"] - their_claims["iat"]
        )
    if not isinstance(their_claims.get("fresh", False), bool):
        assert abs(our_claims["fresh"] - their_claims["fresh"]) <= 2


@pytest.mark.parametrize("kind", ["access", "refresh"])
def test_numeric_dates_are_whole_seconds(peer, seed_config, kind):
    """3.x writes iat, nbf and exp as integers; so must this app (DESIGN 5)."""
    config = seed_config({})
    (theirs,) = peer.exchange(config, {}, [{"op": "mint", "kind": kind}])
    ours = raw_claims(mint_here({"kind": kind})[0])
    dates = ("iat", "nbf", "exp")
    assert {name: type(theirs["payload"][name]) for name in dates} == dict.fromkeys(dates, int)
    assert {name: type(ours[name]) for name in dates} == dict.fromkeys(dates, int)


def test_the_peer_is_the_seed_release(peer):
    (versions,) = peer.exchange({}, {}, [{"op": "versions"}])
    assert versions["flask_jwt_extended"] == "3.25.1"
    assert versions["jwt"].startswith("1.")
    assert versions["flask"].startswith("1.")
