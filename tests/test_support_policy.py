"""What setup.cfg claims is what the version matrix tests (docs/installation.rst).

Every Django and Python version named by a classifier has a tox environment,
every tox environment is claimed, and the lower bounds of ``install_requires``
and ``python_requires`` are the oldest versions tested.
"""

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_cfg():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "setup.cfg")
    return parser


def lines(value):
    return [line.strip() for line in value.strip().splitlines() if line.strip()]


def classified(prefix):
    """Return the versions of the classifiers that start with ``prefix``."""
    return {
        classifier.removeprefix(prefix)
        for classifier in lines(setup_cfg()["metadata"]["classifiers"])
        if classifier.startswith(prefix) and classifier != prefix.rstrip(": ")
    }


def tox_pairs():
    """Return the (Python, Django) versions of each tox environment, e.g. ("3.12", "6.0")."""
    pairs = set()
    for env in setup_cfg()["tox:tox"]["envlist"].split(","):
        match = re.fullmatch(r"py3(\d+)-django(\d)(\d)", env.strip())
        assert match, f"unexpected tox environment {env!r}"
        python, major, minor = match.groups()
        pairs.add((f"3.{python}", f"{major}.{minor}"))
    return pairs


def version_key(version):
    return tuple(int(part) for part in version.split("."))


def test_every_claimed_django_version_is_tested_and_every_tested_one_claimed():
    assert classified("Framework :: Django :: ") == {django for _, django in tox_pairs()}


def test_every_claimed_python_version_is_tested_and_every_tested_one_claimed():
    claimed = classified("Programming Language :: Python :: ") - {"3"}
    assert claimed == {python for python, _ in tox_pairs()}


def test_each_tox_environment_pins_its_django_release():
    deps = lines(setup_cfg()["testenv"]["deps"])
    for _, django in tox_pairs():
        factor = "django" + django.replace(".", "")
        major, minor = version_key(django)
        pin = f"{factor}: Django>={major}.{minor},<"
        assert any(dep.startswith(pin) for dep in deps), f"no Django pin for {factor}"


def test_the_lower_bounds_are_the_oldest_tested_versions():
    options = setup_cfg()["options"]
    pythons = sorted((python for python, _ in tox_pairs()), key=version_key)
    djangos = sorted((django for _, django in tox_pairs()), key=version_key)
    assert options["python_requires"] == f">={pythons[0]}"
    assert f"Django>={djangos[0]}" in lines(options["install_requires"])


def test_the_docs_state_each_tested_pair():
    installation = (ROOT / "docs" / "installation.rst").read_text()
    for python, django in tox_pairs():
        assert re.search(
            rf"Django {re.escape(django)}\b.*Python {re.escape(python)}\b", installation
        ), f"docs/installation.rst does not list Django {django} on Python {python}"
