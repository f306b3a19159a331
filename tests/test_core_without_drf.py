"""The core of django_jwt_ext works, and imports nothing of DRF, in a project without DRF.

Each test runs a fresh interpreter: this process has DRF loaded already.
Runs whether or not DRF is installed.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# The adapters that may import Django REST framework / drf-spectacular.
DRF_MODULES = ("authentication", "permissions", "drf_errors", "schema")
# The adapters of the other optional extras (Django Ninja, Channels): not core.
OPTIONAL_MODULES = (*DRF_MODULES, "ninja", "channels")

SCRIPT = textwrap.dedent(
    """
    import importlib
    import json
    import pkgutil
    import sys

    hide_drf = sys.argv[1] == "hidden"
    if hide_drf:
        # As if not installed: imports fail and importlib.util.find_spec() gives None.
        for name in ("rest_framework", "drf_spectacular"):
            sys.modules[name] = None

    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="django-secret-0123456789abcdef0123456789abcdef0123456789abcdef",
        JWT_SECRET_KEY="jwt-secret-0123456789abcdef0123456789abcdef0123456789abcdef0123",
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django_jwt_ext",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        USE_TZ=True,
    )
    django.setup()

    import django_jwt_ext

    drf_modules = {"django_jwt_ext." + name for name in %(drf_modules)r}
    optional_modules = {"django_jwt_ext." + name for name in %(optional_modules)r}
    imported = []
    for module in pkgutil.walk_packages(django_jwt_ext.__path__, "django_jwt_ext."):
        if module.name in optional_modules:
            continue
        importlib.import_module(module.name)
        imported.append(module.name)

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.http import JsonResponse
    from django.test import RequestFactory

    from django_jwt_ext import (
        create_access_token,
        decode_token,
        get_current_user,
        get_jwt_identity,
        jwt_required,
    )

    token = create_access_token("alice", additional_claims={"role": "reader"})
    claims = decode_token(token)
    assert (claims["sub"], claims["type"], claims["role"]) == ("alice", "access", "reader"), claims

    # The whole pipeline: user lookup and the revocation store in the database.
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("alice")

    @jwt_required()
    def view(request):
        user = get_current_user(request)
        return JsonResponse({"identity": get_jwt_identity(request), "user": user.username})

    request = RequestFactory().get("/", HTTP_AUTHORIZATION="Bearer " + create_access_token(user))
    response = view(request)
    expected = {"identity": str(user.pk), "user": "alice"}
    assert (response.status_code, json.loads(response.content)) == (200, expected), response.content
    refused = view(RequestFactory().get("/"))
    expected = {"msg": "Missing Authorization Header"}
    assert (refused.status_code, json.loads(refused.content)) == (401, expected), refused.content

    loaded = sorted(
        name for name, module in sys.modules.items()
        if name.split(".")[0] in ("rest_framework", "drf_spectacular") and module is not None
    )
    adapters = sorted(name for name in drf_modules if name in sys.modules)
    report = ("DRF adapters imported:", adapters, loaded)
    assert "rest_framework" not in sys.modules or hide_drf, report
    assert loaded == [], report
    print("core modules:", len(imported))
    """
) % {"drf_modules": DRF_MODULES, "optional_modules": OPTIONAL_MODULES}


def run(mode):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=120,
    )


@pytest.mark.parametrize(
    "mode",
    [
        # DRF not installed at all.
        "hidden",
        # DRF (and drf-spectacular) installed in the environment, but not in INSTALLED_APPS.
        "not-in-installed-apps",
    ],
)
def test_core_imports_and_works_without_drf(mode):
    result = run(mode)
    assert result.returncode == 0, result.stderr
    count = int(result.stdout.strip().rsplit(" ", 1)[-1])
    # Every module but the DRF adapters: at least the top-level core modules.
    assert count >= 15, result.stdout
