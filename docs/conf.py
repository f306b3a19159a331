"""Sphinx configuration of the django-jwt-ext documentation."""

import os
import sys
from pathlib import Path

# The repository root holds both the package and testproject, whose settings
# autodoc needs: importing the package's modules requires configured Django.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")

import django  # noqa: E402

django.setup()

import django_jwt_ext  # noqa: E402

# -- Project information -----------------------------------------------------

project = "django-jwt-ext"
author = "django-jwt-ext contributors"
copyright = "django-jwt-ext contributors"
release = django_jwt_ext.__version__
version = ".".join(release.split(".")[:2])

# -- General configuration ---------------------------------------------------

extensions = ["sphinx.ext.autodoc"]

exclude_patterns = ["_build"]
root_doc = "index"
pygments_style = "friendly"

# Nitpicky mode is on (make docs passes -n) and intersphinx cannot reach the
# network here, so references into Django, PyJWT or the standard library would
# not resolve. The prose writes those names as literals; the classes the API
# reference names anyway (in docstrings, and as base classes of exceptions)
# are listed here.
nitpick_ignore = [
    ("py:class", "django.core.exceptions.ImproperlyConfigured"),
    ("py:class", "jwt.ExpiredSignatureError"),
    ("py:class", "jwt.exceptions.ExpiredSignatureError"),
    ("py:class", "jwt.exceptions.InvalidTokenError"),
    # The base class of ConfigurationError.
    ("py:class", "django.core.exceptions.ImproperlyConfigured"),
]

# -- autodoc -----------------------------------------------------------------

autodoc_member_order = "bysource"
# Signatures keep their defaults but drop annotations: the docstrings state
# each contract, and annotations would point at Django and typing objects
# that have no inventory offline.
autodoc_typehints = "none"
autodoc_default_options = {"undoc-members": False}

# -- HTML output -------------------------------------------------------------

html_theme = "alabaster"
html_title = f"django-jwt-ext {release}"
html_theme_options = {
    "description": "flask-jwt-extended 4.x semantics for Django",
    "fixed_sidebar": True,
    "show_relbars": True,
}
html_static_path: list[str] = []


def setup(app):
    """Add a ``check`` object type so system check ids can be cross-referenced."""
    app.add_object_type(
        "check",
        "check",
        objname="system check",
        indextemplate="pair: %s; system check",
    )
