"""The Django settings the benchmark runs under, in process and in its HTTP servers.

Configured here rather than in ``testproject`` so that the benchmark can
install djangorestframework-simplejwt next to this app without the test
suite depending on it. This app's ``JWT_*`` settings keep their defaults
(variants use ``override_settings``), except the access token's lifetime:
simplejwt's default of five minutes could end within a run.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from . import database

# 64 characters: long enough for HS256 without PyJWT's short-key warning.
SECRET_KEY = "bench-secret-7c1d0e9a4b2f48e6a3d5c8b1f0e2a9d7c6b5a4f3e2d1c0b9a8f7e6d5"
ALGORITHM = "HS256"
ACCESS_LIFETIME = timedelta(hours=1)

#: The cache aliases: the cache backends of P2b and P6 use ``locmem``,
#: ``redis`` exists when ``REDIS_URL`` is set.
LOCMEM_CACHE = "locmem"
REDIS_CACHE = "redis"

# Django's startproject middleware; JWTMiddleware sits before CsrfViewMiddleware
# as the README's setup puts it.
DJANGO_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
JWT_MIDDLEWARE = "django_jwt_ext.middleware.JWTMiddleware"


def with_jwt_middleware(middleware: list[str]) -> list[str]:
    position = middleware.index("django.middleware.csrf.CsrfViewMiddleware")
    return [*middleware[:position], JWT_MIDDLEWARE, *middleware[position:]]


def redis_url() -> str | None:
    return os.environ.get("REDIS_URL") or None


def caches() -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        LOCMEM_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "jwt-ext-bench",
        },
    }
    if redis_url():
        entries[REDIS_CACHE] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": "jwt-ext-bench",
        }
    return entries


def common(databases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return what the in-process run and both HTTP servers share."""
    return {
        "DEBUG": False,
        "SECRET_KEY": SECRET_KEY,
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "DATABASES": databases,
        "CACHES": caches(),
        # Creating users is not what is measured.
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "JWT_ACCESS_TOKEN_EXPIRES": ACCESS_LIFETIME,
        "REST_FRAMEWORK": {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]},
        # simplejwt reads its settings once, at import: rotation with
        # blacklisting is on for the whole run (it does not touch access tokens).
        "SIMPLE_JWT": {
            "ALGORITHM": ALGORITHM,
            "SIGNING_KEY": SECRET_KEY,
            "ACCESS_TOKEN_LIFETIME": ACCESS_LIFETIME,
            "ROTATE_REFRESH_TOKENS": True,
            "BLACKLIST_AFTER_ROTATION": True,
        },
    }


def in_process(directory: Path) -> dict[str, Any]:
    """Return the settings of ``python -m bench.run``: both libraries, three databases."""
    return {
        **common(database.databases(directory)),
        "ALLOWED_HOSTS": ["testserver"],
        "DATABASE_ROUTERS": ["bench.routing.Router"],
        "INSTALLED_APPS": [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django_jwt_ext",
            "rest_framework",
            "rest_framework_simplejwt",
            "rest_framework_simplejwt.token_blacklist",
        ],
        "MIDDLEWARE": with_jwt_middleware(DJANGO_MIDDLEWARE),
        "ROOT_URLCONF": "bench.urls",
    }


def server(side: str, default_database: dict[str, Any]) -> dict[str, Any]:
    """Return the settings of one HTTP server: ``side`` is ``ours`` or ``simplejwt``.

    Both serve the same DRF view from the same database with the same
    middleware, except this app's JWTMiddleware, which its setup requires.
    Connections persist (``CONN_MAX_AGE``) on both sides.
    """
    default_database = {**default_database, "CONN_MAX_AGE": 600}
    apps = [
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "rest_framework",
    ]
    if side == "ours":
        apps.append("django_jwt_ext")
        middleware = with_jwt_middleware(DJANGO_MIDDLEWARE)
    elif side == "simplejwt":
        apps.append("rest_framework_simplejwt")
        middleware = list(DJANGO_MIDDLEWARE)
    else:
        raise ValueError(f"unknown side {side!r}")
    return {
        **common({"default": default_database}),
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
        "INSTALLED_APPS": apps,
        "MIDDLEWARE": middleware,
        "ROOT_URLCONF": f"bench.webapp.{side}",
        "WSGI_APPLICATION": "bench.webapp.wsgi.application",
    }


def configure(directory: Path) -> dict[str, dict[str, Any]]:
    """Configure Django in this process, create and migrate the databases; return them."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    values = in_process(directory)
    database.create_schemas(values["DATABASES"])
    settings.configure(**values)
    django.setup()
    for alias in database.ALIASES:
        call_command("migrate", database=alias, verbosity=0, interactive=False)
    return values["DATABASES"]
