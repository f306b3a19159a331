"""The Django project the benchmark runs in: an on-disk SQLite database in a temp dir.

Configured here rather than in ``testproject`` so that the benchmark can
install djangorestframework-simplejwt next to this app without the test
suite depending on it.
"""

from pathlib import Path

# 64 characters: long enough for HS256 without PyJWT's short-key warning.
SECRET_KEY = "bench-secret-7c1d0e9a4b2f48e6a3d5c8b1f0e2a9d7c6b5a4f3e2d1c0b9a8f7e6d5"
ALGORITHM = "HS256"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django_jwt_ext.middleware.JWTMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]


def configure(directory: Path) -> None:
    """Configure Django with a fresh SQLite database in ``directory``, migrate it."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    settings.configure(
        DEBUG=False,
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS=["testserver"],
        USE_TZ=True,
        TIME_ZONE="UTC",
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(directory / "bench.sqlite3"),
            }
        },
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django_jwt_ext",
            "rest_framework",
            "rest_framework_simplejwt",
            "rest_framework_simplejwt.token_blacklist",
        ],
        MIDDLEWARE=MIDDLEWARE,
        ROOT_URLCONF="bench.urls",
        # Creating users is not what is measured.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # simplejwt reads its settings once, at import: rotation with
        # blacklisting is on for the whole run (it does not touch access tokens).
        SIMPLE_JWT={
            "ALGORITHM": ALGORITHM,
            "SIGNING_KEY": SECRET_KEY,
            "ROTATE_REFRESH_TOKENS": True,
            "BLACKLIST_AFTER_ROTATION": True,
        },
        # This app's JWT_* settings keep their defaults; variants use override_settings.
    )
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
