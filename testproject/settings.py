"""Settings of the demo project, also used by the test suite.

``DATABASE_URL`` (``postgres://user@host:port/name``) and ``REDIS_URL``
(``redis://host:port/db``) switch the database and the cache from SQLite and
the local-memory cache to real servers; CI sets both.
"""

import os
from importlib.util import find_spec
from pathlib import Path

from testproject.database_url import database_from_url
from testproject.demo import allowed_hosts

BASE_DIR = Path(__file__).resolve().parent.parent

# Demo-only key; a real project reads its key from the environment.
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-demo-key-0f3c9a7e51b24d8e9c6a2b7d4e1f0a93"
)
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
# `make demo HOST=name:port` serves on that address (DEMO_HOST), so the name
# is allowed; DJANGO_ALLOWED_HOSTS adds more, comma-separated (for HOST=0.0.0.0:port,
# the names under which other machines reach this one).
ALLOWED_HOSTS = [
    "127.0.0.1",
    "localhost",
    "testserver",
    *allowed_hosts(os.environ.get("DEMO_HOST", "")),
    *(
        name.strip()
        for name in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")
        if name.strip()
    ),
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_jwt_ext",
    "testproject",
]

# Django REST framework and drf-spectacular are optional: the demo and the core
# tests run without them.
HAS_DRF = find_spec("rest_framework") is not None
HAS_SPECTACULAR = HAS_DRF and find_spec("drf_spectacular") is not None
if HAS_DRF:
    INSTALLED_APPS.append("rest_framework")
if HAS_SPECTACULAR:
    INSTALLED_APPS.append("drf_spectacular")

# Django Ninja and Channels are optional too (extras "ninja" and "channels").
HAS_NINJA = find_spec("ninja") is not None
HAS_CHANNELS = find_spec("channels") is not None
if HAS_NINJA:
    INSTALLED_APPS.append("ninja")  # the templates of its interactive docs
# With daphne installed, runserver (make demo) serves ASGI: HTTP and WebSockets.
if find_spec("daphne") is not None:
    INSTALLED_APPS.insert(0, "daphne")
ASGI_APPLICATION = "testproject.asgi.application"

# literalinclude-start: rest-framework
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["django_jwt_ext.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["django_jwt_ext.permissions.JWTRequired"],
    "EXCEPTION_HANDLER": "django_jwt_ext.drf_errors.exception_handler",
}
# literalinclude-end: rest-framework
if HAS_SPECTACULAR:
    REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "drf_spectacular.openapi.AutoSchema"

# literalinclude-start: middleware
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # optional: messages in the client's language
    "django.middleware.common.CommonMiddleware",
    "django_jwt_ext.middleware.JWTMiddleware",  # before CsrfViewMiddleware
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_jwt_ext.middleware.ImplicitRefreshMiddleware",
]
# literalinclude-end: middleware

ROOT_URLCONF = "testproject.urls"
WSGI_APPLICATION = "testproject.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


DATABASES = {
    "default": (
        database_from_url(os.environ["DATABASE_URL"])
        if os.environ.get("DATABASE_URL")
        else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    )
}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS: list = []
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# literalinclude-start: jwt-settings
JWT_MANAGER = "testproject.auth.jwt"
JWT_TOKEN_LOCATION = ["headers", "cookies", "query_string", "json"]
JWT_ACCESS_TOKEN_EXPIRES = 15 * 60  # seconds, or a timedelta
JWT_REFRESH_TOKEN_ROTATION = True
JWT_COOKIE_SAMESITE = "Lax"
# literalinclude-end: jwt-settings
