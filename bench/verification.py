"""P1, P2, P3: what verifying one token costs, next to PyJWT, simplejwt and flask-jwt-extended."""

from collections.abc import Callable
from typing import Any

import jwt
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from django_jwt_ext import create_access_token, verify_jwt_in_request
from django_jwt_ext.locations import underlying
from django_jwt_ext.pipeline import FOUND_ATTR, VERIFIED_ATTR, Requirements, verify

from . import timing
from .profiling import profile
from .report import Section
from .settings import ALGORITHM, SECRET_KEY

STATELESS = {"JWT_USER_LOOKUP": None}
# flask-jwt-extended's defaults: no user lookup, a blocklist callback answering False.
FLASK_EQUIVALENT = {"JWT_USER_LOOKUP": None, "JWT_MANAGER": "bench.managers.flask_defaults"}


def as_new_request(request: Any) -> None:
    """Forget what the pipeline stored on ``request``, as for a new request."""
    state = underlying(request).__dict__
    state.pop(FOUND_ATTR, None)
    state.pop(VERIFIED_ATTR, None)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def queries_of(func: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


def p1(user: Any, profiling: bool = False) -> Section:
    section = Section("P1  header token, no user lookup, no revocation check / PyJWT jwt.decode")
    with override_settings(**STATELESS):
        token = create_access_token(user)
        request = RequestFactory().get("/", **bearer(token))
        requirements = Requirements(skip_revocation_check=True)

        def ours() -> None:
            as_new_request(request)
            verify(request, requirements)

        def pyjwt() -> None:
            jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])

        assert verify(request, requirements).claims == jwt.decode(
            token, SECRET_KEY, algorithms=[ALGORITHM]
        )
        timings = timing.compare({"pyjwt": pyjwt, "ours": ours})
        section.timing("PyJWT jwt.decode(token, key, algorithms=['HS256'])", timings["pyjwt"])
        section.timing("django-jwt-ext pipeline verify(), stateless, no check", timings["ours"])
        section.figure(
            "P1", "ratio ours / PyJWT", timings["ours"].median / timings["pyjwt"].median, 1.3
        )
        if profiling:
            section.note(profile(ours))
    return section


def p2(user: Any, profiling: bool = False) -> Section:
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory
    from rest_framework_simplejwt.authentication import (
        JWTAuthentication as SimpleJWTAuthentication,
    )
    from rest_framework_simplejwt.tokens import AccessToken

    from django_jwt_ext.authentication import JWTAuthentication

    class UserLookupOnly(JWTAuthentication):
        skip_revocation_check = True

    section = Section(
        "P2  DRF authenticate(): ours (user lookup + database revocation check)"
        " / simplejwt 5.5 (user lookup), SQLite"
    )
    factory = APIRequestFactory()
    ours_request = Request(factory.get("/", **bearer(create_access_token(user))))
    simple_request = Request(factory.get("/", **bearer(str(AccessToken.for_user(user)))))
    ours_auth, lookup_only_auth = JWTAuthentication(), UserLookupOnly()
    simple_auth = SimpleJWTAuthentication()

    def ours() -> Any:
        as_new_request(ours_request)
        return ours_auth.authenticate(ours_request)

    def lookup_only() -> Any:
        as_new_request(ours_request)
        return lookup_only_auth.authenticate(ours_request)

    def simplejwt() -> Any:
        return simple_auth.authenticate(simple_request)

    for func in (ours, lookup_only, simplejwt):
        assert func()[0].pk == user.pk
    counts = {name: queries_of(func) for name, func in [("ours", ours), ("simplejwt", simplejwt)]}
    timings = timing.compare({"simplejwt": simplejwt, "ours": ours, "lookup_only": lookup_only})
    section.timing("simplejwt JWTAuthentication.authenticate()", timings["simplejwt"])
    section.timing("django-jwt-ext JWTAuthentication.authenticate()", timings["ours"])
    section.timing("  (info) ours with skip_revocation_check (lookup only)", timings["lookup_only"])
    section.value("queries per call: ours / simplejwt", f"{counts['ours']} / {counts['simplejwt']}")
    section.figure(
        "P2",
        "ratio ours / simplejwt",
        timings["ours"].median / timings["simplejwt"].median,
        1.0,
    )
    if profiling:
        section.note("profile of ours:\n" + profile(ours))
        section.note("profile of simplejwt:\n" + profile(simplejwt))
    return section


def p3(user: Any, profiling: bool = False) -> Section:
    import flask_jwt_extended
    from flask import Flask

    section = Section(
        "P3  verify_jwt_in_request: ours (Django request) / flask-jwt-extended 4.7 (Flask)"
    )
    token = create_access_token(user)
    app = Flask("bench")
    app.config.update(
        JWT_SECRET_KEY=SECRET_KEY, JWT_ALGORITHM=ALGORITHM, JWT_TOKEN_LOCATION=["headers"]
    )
    flask_jwt_extended.JWTManager(app)
    flask_verify = flask_jwt_extended.verify_jwt_in_request
    context = app.test_request_context("/", headers={"Authorization": f"Bearer {token}"})
    request = RequestFactory().get("/", **bearer(token))

    def ours() -> Any:
        as_new_request(request)
        return verify_jwt_in_request(request)

    context.push()
    try:
        with override_settings(**FLASK_EQUIVALENT):
            assert ours() == flask_verify()  # the same (header, claims) on both sides
            timings = timing.compare({"flask": flask_verify, "ours": ours})
            if profiling:
                profiles = [("ours", profile(ours)), ("flask-jwt-extended", profile(flask_verify))]
        # Outside the override: this app's defaults.
        default_settings = timing.compare({"ours_default": ours})["ours_default"]
    finally:
        context.pop()

    section.timing("flask-jwt-extended verify_jwt_in_request()", timings["flask"])
    section.timing("django-jwt-ext verify_jwt_in_request(request)", timings["ours"])
    section.note(
        "both with flask-jwt-extended's defaults: no user lookup, a blocklist callback"
        " answering False"
    )
    section.timing("  (info) ours, default settings (user + revocation: 1 query)", default_settings)
    section.figure(
        "P3",
        "ratio ours / flask-jwt-extended",
        timings["ours"].median / timings["flask"].median,
        1.0,
    )
    if profiling:
        for name, text in profiles:
            section.note(f"profile of {name}:\n{text}")
    return section
