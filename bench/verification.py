"""P1, P6 and P3: verifying a token through the public ``verify_jwt_in_request``.

P1 and P6 are one interleaved comparison of four (five with Redis)
contenders, all stateless (``JWT_USER_LOOKUP = None``): PyJWT's decode of
the same token, ours without a revocation check, ours with the cache
backend over a local-memory cache, and ours with the database backend.
"""

from contextlib import contextmanager, nullcontext
from typing import Any

import jwt
from django.test import override_settings

from django_jwt_ext import create_access_token, verify_jwt_in_request

from . import timing
from .fresh import django_request
from .report import Section
from .settings import ALGORITHM, LOCMEM_CACHE, REDIS_CACHE, SECRET_KEY, redis_url
from .timing import Contender

CACHE_BACKEND = "django_jwt_ext.revocation.cache.CacheBackend"
DATABASE_BACKEND = "django_jwt_ext.revocation.db.DatabaseBackend"


def stateless(backend: str = DATABASE_BACKEND, cache: str = LOCMEM_CACHE):
    """Return a setup: no user lookup, revocations in ``backend`` (over ``cache``)."""
    return lambda: override_settings(
        JWT_USER_LOOKUP=None, JWT_REVOCATION_BACKEND=backend, JWT_REVOCATION_CACHE_ALIAS=cache
    )


def verification_contenders(token: str) -> list[Contender]:
    def fresh() -> Any:
        return django_request(token)

    def pyjwt(request: Any) -> None:
        # The request is built for PyJWT too, so that both sides make the same garbage.
        jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])

    def no_check(request: Any) -> None:
        verify_jwt_in_request(request, skip_revocation_check=True)

    def check(request: Any) -> None:
        verify_jwt_in_request(request)

    contenders = [
        Contender("pyjwt", pyjwt, fresh),
        Contender("no_check", no_check, fresh, stateless()),
        Contender("cache_check", check, fresh, stateless(CACHE_BACKEND)),
        Contender("db_check", check, fresh, stateless()),
    ]
    if redis_url():
        contenders.append(
            Contender("redis_check", check, fresh, stateless(CACHE_BACKEND, REDIS_CACHE))
        )
    return contenders


def p1_p6(user: Any) -> Section:
    section = Section(
        "P1, P6  verify_jwt_in_request(request), stateless (JWT_USER_LOOKUP = None),"
        " fresh WSGIRequest per call"
    )
    token = create_access_token(user)
    with stateless()():
        expected = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])
        assert (
            verify_jwt_in_request(django_request(token), skip_revocation_check=True)[1] == expected
        )
    result = timing.compare(verification_contenders(token))
    section.value("token length", f"{len(token)} characters")
    section.timing("PyJWT jwt.decode(token, key, algorithms=['HS256'])", result.seconds("pyjwt"))
    section.timing("ours, skip_revocation_check=True", result.seconds("no_check"))
    section.timing("ours, CacheBackend over a local-memory cache", result.seconds("cache_check"))
    section.timing("  (info) ours, DatabaseBackend (1 query)", result.seconds("db_check"))
    if "redis_check" in result.per_repeat:
        section.timing("  (info) ours, CacheBackend over Redis", result.seconds("redis_check"))
    section.figure(
        "P1",
        "verify_jwt_in_request, no check / jwt.decode",
        result.ratio("no_check", "pyjwt"),
        1.15,
    )
    section.figure(
        "P6",
        "cache backend (locmem) check / no check",
        result.ratio("cache_check", "no_check"),
        1.25,
    )
    section.value(
        "  (info) cache backend (locmem) check / jwt.decode",
        f"{result.ratio('cache_check', 'pyjwt').median:.2f}",
    )
    if "redis_check" in result.per_repeat:
        section.value(
            "  (info) cache backend (Redis) check / no check",
            f"{result.ratio('redis_check', 'no_check').median:.2f}",
        )
    return section


def p3(user: Any) -> Section:
    import flask_jwt_extended
    from flask import Flask

    section = Section(
        "P3  verify_jwt_in_request: ours (Django request) / flask-jwt-extended 4.7 (Flask request)"
    )
    token = create_access_token(user)
    app = Flask("bench")
    app.config.update(
        JWT_SECRET_KEY=SECRET_KEY, JWT_ALGORITHM=ALGORITHM, JWT_TOKEN_LOCATION=["headers"]
    )
    flask_jwt_extended.JWTManager(app)
    headers = {"Authorization": f"Bearer {token}"}

    def flask_context() -> Any:
        return app.test_request_context("/api/me", headers=headers)

    @contextmanager
    def pushed(context: Any):
        with context:
            yield

    def flask_verify(context: Any) -> Any:
        return flask_jwt_extended.verify_jwt_in_request()

    def ours(request: Any) -> Any:
        return verify_jwt_in_request(request)

    def flask_defaults() -> Any:
        # flask-jwt-extended's defaults on our side: no user lookup, and a
        # blocklist callback that answers False.
        return override_settings(
            JWT_USER_LOOKUP=None, JWT_MANAGER="bench.managers.custom_blocklist"
        )

    with flask_defaults(), flask_context():
        assert ours(django_request(token)) == flask_verify(None)
    result = timing.compare(
        [
            Contender("flask", flask_verify, flask_context, around=pushed),
            Contender(
                "ours",
                ours,
                lambda: django_request(token),
                flask_defaults,
                around=lambda request: nullcontext(),
            ),
        ]
    )
    section.note("timed call by call: the Flask request context is pushed and popped untimed")
    section.timing("flask-jwt-extended verify_jwt_in_request()", result.seconds("flask"))
    section.timing("django-jwt-ext verify_jwt_in_request(request)", result.seconds("ours"))
    section.figure(
        "P3", "ours / flask-jwt-extended verify_jwt_in_request", result.ratio("ours", "flask"), 1.0
    )
    return section
