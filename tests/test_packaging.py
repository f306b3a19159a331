"""The built distributions of dist/ hold what the checkout holds (``make test-tutorial``).

A file that git tracks under ``django_jwt_ext/`` but the wheel lacks (a
template, a translation, a migration) works in the checkout and breaks for
every user who installs the wheel. ``make dist`` builds the wheel from the
sdist, as pip does, so a file the sdist drops is missing from both.
tests/test_tutorial.py then installs that wheel and uses it.
"""

import email
import re
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"


def version():
    source = (ROOT / "django_jwt_ext" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"$', source, re.MULTILINE).group(1)


def built(pattern):
    """Return the one distribution of dist/ that matches ``pattern``."""
    found = sorted(DIST.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {DIST} (make dist), found {found}"
    return found[0]


def wheel_path():
    return built(f"django_jwt_ext-{version()}-py3-none-any.whl")


def sdist_path():
    return built(f"django_jwt_ext-{version()}.tar.gz")


def tracked(*paths):
    """Return the files git tracks under ``paths``, relative to the checkout."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--", *paths],
        cwd=ROOT,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return {name for name in listing.split("\0") if name}


def wheel_names():
    with zipfile.ZipFile(wheel_path()) as wheel:
        return set(wheel.namelist())


def wheel_metadata():
    with zipfile.ZipFile(wheel_path()) as wheel:
        return email.message_from_bytes(
            wheel.read(f"django_jwt_ext-{version()}.dist-info/METADATA")
        )


def test_the_wheel_holds_every_tracked_file_of_the_package():
    package = tracked("django_jwt_ext")
    assert package, "git ls-files found nothing: not a checkout?"
    assert package - wheel_names() == set()


def test_the_wheel_holds_the_package_alone():
    tops = {name.split("/")[0] for name in wheel_names()}
    assert tops == {"django_jwt_ext", f"django_jwt_ext-{version()}.dist-info"}
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in wheel_names())


def test_the_sdist_holds_what_building_testing_and_documenting_need():
    prefix = f"django_jwt_ext-{version()}/"
    with tarfile.open(sdist_path()) as sdist:
        names = {name.removeprefix(prefix) for name in sdist.getnames()}
    needed = tracked("django_jwt_ext", "tests", "testproject", "docs") | {
        "setup.cfg",
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "manage.py",
    }
    assert needed - names == set()


def test_the_metadata_declares_the_runtime_dependencies_and_the_drf_extra():
    metadata = wheel_metadata()
    assert metadata["Name"] == "django-jwt-ext"
    assert metadata["Version"] == version()
    assert metadata["Requires-Python"] == ">=3.10"
    requires = metadata.get_all("Requires-Dist")
    for dependency in ("Django>=4.2", "PyJWT<3,>=2.14", "cryptography>=41"):
        assert dependency in requires
    assert 'djangorestframework>=3.15; extra == "drf"' in requires


def test_every_classifier_is_one_pypi_accepts():
    from trove_classifiers import classifiers

    declared = wheel_metadata().get_all("Classifier")
    assert "Framework :: Django :: 6.0" in declared
    assert [name for name in declared if name not in classifiers] == []
