"""Messages in the language of the request (``LocaleMiddleware``) and the shipped catalogues.

English stays flask-jwt-extended's words byte for byte: the rest of the suite
asserts them. The other shipped languages get their own words for every
kind of message: the error table (PyJWT's messages included), the
endpoints, system checks, management commands and the admin. The
catalogues are checked against the code: ``makemessages`` leaves nothing
untranslated, the compiled ``.mo`` files match the ``.po`` files, and no
message reaches a person without being marked for translation.
"""

import ast
import gettext as gnu_gettext
import io
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from django.core import checks
from django.core.management import call_command
from django.http import JsonResponse
from django.utils import translation

import django_jwt_ext
from django_jwt_ext import create_access_token, decode_token
from django_jwt_ext.exceptions import JWTDecodeError
from django_jwt_ext.management.commands.jwt_ext_purge import Command as PurgeCommand
from django_jwt_ext.models import RevokedToken
from django_jwt_ext.reasons import FIXED, PATTERNS, reason, translated
from tests.conftest import SECRET
from tests.helpers import ALL_FLAVOURS, assert_refused, call, flavour_path

PACKAGE = Path(django_jwt_ext.__file__).resolve().parent
# The shipped languages, as locale directory names.
LANGUAGES = ("de", "es", "fr", "ja", "pt_BR", "zh_Hans")
GETTEXT_TOOLS = ("xgettext", "msgmerge", "msguniq", "msgattrib", "msgfmt")


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """LocaleMiddleware leaves the request's language active in the thread: undo it."""
    yield
    translation.deactivate()


def require_gettext():
    """Skip without GNU gettext; under CI (``CI`` set) fail instead: CI must check."""
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"GNU gettext is missing ({', '.join(missing)}): apt-get install gettext"
        if os.environ.get("CI"):
            pytest.fail(f"{message}. CI must check the translation catalogues.", pytrace=False)
        pytest.skip(message)


def test_the_package_imports_before_settings_are_configured():
    """Message ids marked at import time must not need the settings (Django's own
    gettext_noop reads them): a project imports the package in its settings module."""
    modules = ["django_jwt_ext", "django_jwt_ext.views", "django_jwt_ext.checks"]
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", "; ".join(f"import {module}" for module in modules)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=PACKAGE.parent,
    )
    assert done.returncode == 0, done.stderr


# Responses follow the request's language.

MISSING_HEADER = {
    "de": "Authorization-Header fehlt",
    "es": "Falta el encabezado Authorization",
    "fr": "En-tête Authorization manquant",
    "ja": "Authorization ヘッダーがありません",
    "pt-br": "Cabeçalho Authorization ausente",
    "zh-hans": "缺少 Authorization 请求头",
}


def test_every_shipped_language_has_a_catalogue():
    shipped = sorted(path.name for path in (PACKAGE / "locale").iterdir())
    assert shipped == sorted(LANGUAGES)
    for language in LANGUAGES:
        assert (PACKAGE / "locale" / language / "LC_MESSAGES" / "django.mo").is_file()


@pytest.mark.parametrize("language", MISSING_HEADER)
def test_a_request_without_a_token_is_refused_in_its_language(client, language):
    response = client.get(flavour_path("sync"), HTTP_ACCEPT_LANGUAGE=language)
    assert_refused(response, 401, MISSING_HEADER[language])
    assert response["Content-Language"] == language


@pytest.mark.parametrize("flavour", ALL_FLAVOURS)
def test_every_flavour_answers_in_the_request_s_language(client, flavour):
    response = client.get(flavour_path(flavour), HTTP_ACCEPT_LANGUAGE="de")
    assert_refused(response, 401, "Authorization-Header fehlt")


@pytest.mark.parametrize("accept_language", [None, "en", "en-us", "en-gb", "xx", "de;q=0, en"])
def test_english_keeps_flask_jwt_extended_s_words(client, accept_language):
    headers = {} if accept_language is None else {"HTTP_ACCEPT_LANGUAGE": accept_language}
    response = client.get(flavour_path("sync"), **headers)
    assert_refused(response, 401, "Missing Authorization Header")


def test_a_message_with_parameters_keeps_them_in_place(client, settings):
    settings.JWT_HEADER_NAME = "X-Token"
    response = call(
        client, flavour_path("sync"), HTTP_X_TOKEN="Bearer a b", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert_refused(response, 422, "Ungültiger X-Token-Header. Erwartet: 'X-Token: Bearer <JWT>'")


def test_the_reasons_of_several_locations_are_translated_each(client, settings):
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies"]
    response = client.get(flavour_path("sync"), HTTP_ACCEPT_LANGUAGE="fr")
    assert_refused(
        response,
        401,
        "JWT manquant dans headers ou cookies "
        '(En-tête Authorization manquant; Cookie "access_token_cookie" manquant)',
    )


def other_key_token():
    return jwt.encode({"sub": "1", "type": "access"}, SECRET[::-1], algorithm="HS256")


# Tokens PyJWT (or the pure token functions) refuse, with the German reason.
PYJWT_REFUSALS = {
    "bad signature": (other_key_token, {}, "Signaturprüfung fehlgeschlagen"),
    "one segment": (lambda: "abc", {}, "Nicht genügend Segmente"),
    "no aud": (
        lambda: create_access_token("1"),
        {"JWT_DECODE_AUDIENCE": "api"},
        'Dem Token fehlt der Claim "aud"',
    ),
    "no sub": (
        lambda: jwt.encode({"type": "access"}, SECRET, algorithm="HS256"),
        {},
        "Fehlender Claim: sub",
    ),
}


@pytest.mark.parametrize("case", PYJWT_REFUSALS)
def test_pyjwt_s_messages_are_translated(client, settings, case):
    make_token, overrides, german = PYJWT_REFUSALS[case]
    for name, value in overrides.items():
        setattr(settings, name, value)
    response = call(client, flavour_path("sync"), make_token(), HTTP_ACCEPT_LANGUAGE="de")
    assert_refused(response, 422, german)


def test_pyjwt_s_message_stays_english_in_the_exception_and_is_translated_as_a_reason():
    with translation.override("de"), pytest.raises(jwt.InvalidSignatureError) as caught:
        decode_token(other_key_token())
    assert str(caught.value) == "Signature verification failed"
    with translation.override("de"):
        assert reason(caught.value) == "Signaturprüfung fehlgeschlagen"


def test_this_app_s_messages_are_translated_when_raised():
    with translation.override("fr"), pytest.raises(JWTDecodeError) as caught:
        decode_token("x" * 10_000)
    assert str(caught.value) == "Le jeton dépasse le maximum de 8192 caractères"


def test_the_default_loaders_answer_in_the_request_s_language(client):
    token = create_access_token("1", expires_delta=timedelta(seconds=-1))
    response = call(client, flavour_path("sync"), token, HTTP_ACCEPT_LANGUAGE="ja")
    assert_refused(response, 401, "トークンの有効期限が切れています")


@pytest.mark.django_db
def test_a_user_lookup_error_names_the_identity_in_its_sentence(client, settings):
    settings.JWT_USER_LOOKUP = "model"
    token = create_access_token("nobody")
    response = call(client, flavour_path("sync"), token, HTTP_ACCEPT_LANGUAGE="es")
    assert_refused(response, 401, "Error al cargar el usuario nobody")


def test_a_custom_loader_receives_the_translated_reason(client, manager):
    @manager.unauthorized_loader
    def unauthorized(reason):
        return JsonResponse({"reason": reason}, status=401)

    response = client.get(flavour_path("sync"), HTTP_ACCEPT_LANGUAGE="pt-br")
    assert response.json() == {"reason": "Cabeçalho Authorization ausente"}


@pytest.mark.django_db
def test_endpoint_messages_are_translated(client):
    response = client.post(
        "/auth/obtain",
        {"username": "nobody", "password": "wrong"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert_refused(response, 401, "用户名或密码错误")


# System checks, commands and the admin.


def test_check_messages_follow_the_active_language(settings):
    settings.JWT_SECERT_KEY = "typo"
    err = io.StringIO()
    with translation.override("de"):
        call_command("check", stdout=io.StringIO(), stderr=err)
    assert "JWT_SECERT_KEY ist keine Einstellung von django_jwt_ext." in err.getvalue()
    assert "HINT: Meinten Sie JWT_SECRET_KEY?" in err.getvalue()


def test_a_setting_error_is_one_sentence_in_the_active_language(settings):
    settings.JWT_TOKEN_LOCATION = ["header"]
    with translation.override("fr"):
        errors = [m for m in checks.run_checks() if m.id == "django_jwt_ext.E001"]
    assert [error.msg for error in errors] == [
        "JWT_TOKEN_LOCATION doit être une liste non vide de 'headers', 'cookies', "
        "'query_string' et 'json' ; reçu : ['header']."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "output"),
    [
        ("de", "0 abgelaufene Einträge gelöscht.\n"),
        ("fr", "0 enregistrement expiré supprimé.\n"),
        ("ja", "期限切れのレコードを 0 件削除しました。\n"),
        ("en", "Deleted 0 expired record(s).\n"),
    ],
)
def test_command_output_follows_the_active_language(language, output):
    out = io.StringIO()
    with translation.override(language):
        call_command("jwt_ext_purge", stdout=out)
    assert out.getvalue() == output


def test_command_help_follows_the_active_language():
    with translation.override("fr"):
        text = " ".join(
            PurgeCommand().create_parser("manage.py", "jwt_ext_purge").format_help().split()
        )
    assert "Supprime par lots les enregistrements de révocation des jetons expirés." in text
    assert "Lignes supprimées par requête, au moins 1 (1000 par défaut)." in text


@pytest.mark.django_db
def test_the_admin_speaks_the_request_s_language(admin_client):
    RevokedToken.objects.create(jti="a-jti", token_type="access", identity="1")
    response = admin_client.get("/admin/django_jwt_ext/revokedtoken/", HTTP_ACCEPT_LANGUAGE="de")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Alle Tokens dieser Benutzer widerrufen" in content  # an action
    assert "JWT-Tokens" in content  # the app
    assert ">Zugriff<" in content  # a choice's label


# The catalogues against the code.


def test_makemessages_leaves_nothing_untranslated(tmp_path, monkeypatch):
    """A message marked in the code and missing from a catalogue (or changed since it
    was translated, which makes it fuzzy) fails here; so does a catalogue entry the
    code no longer has (obsolete)."""
    require_gettext()
    copy = tmp_path / "django_jwt_ext"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=list(LANGUAGES), add_location="file", verbosity=0)
    for language in LANGUAGES:
        catalogue = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        stats = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(catalogue)],
            capture_output=True,
            text=True,
        )
        assert stats.returncode == 0, stats.stderr
        assert "fuzzy" not in stats.stderr, (language, stats.stderr)
        assert "untranslated" not in stats.stderr, (language, stats.stderr)
        assert "#~" not in catalogue.read_text(encoding="utf-8"), f"{language}: obsolete entries"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogues_match_their_sources(tmp_path, language):
    require_gettext()
    directory = PACKAGE / "locale" / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(compiled), str(directory / "django.po")], check=True
    )
    with open(compiled, "rb") as fresh, open(directory / "django.mo", "rb") as shipped:
        expected, actual = gnu_gettext.GNUTranslations(fresh), gnu_gettext.GNUTranslations(shipped)
    assert actual._catalog == expected._catalog, "run compilemessages in django_jwt_ext/"
    assert actual.info() == expected.info()  # the header, plural forms included


# Message sinks: calls whose (positional) arguments reach a person.
EXCEPTION_SUFFIXES = ("Error", "Exception", "Required")
PROGRAMMERS_EXCEPTIONS = {  # Python's own: messages for the programmer, in English.
    "RuntimeError",
    "TypeError",
    "ValueError",
    "KeyError",
    "NotImplementedError",
    "ImportError",
}


def message_arguments(call_node):
    """Return the arguments of ``call_node`` that hold a message for a person."""
    func = call_node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    if name.endswith(EXCEPTION_SUFFIXES) and name not in PROGRAMMERS_EXCEPTIONS:
        return call_node.args[:1]
    if name == "HttpError":
        return call_node.args[1:2]
    if name == "error_response":
        return call_node.args[:1]
    if name == "JsonResponse" and call_node.args and isinstance(call_node.args[0], ast.Dict):
        return call_node.args[0].values  # {JWT_ERROR_MESSAGE_KEY: message}
    if isinstance(func, ast.Name) and name in ("error", "warning"):  # checks.py's helpers
        return call_node.args[1:] + [kw.value for kw in call_node.keywords if kw.arg == "hint"]
    if name == "write" and isinstance(func, ast.Attribute):  # self.stdout / self.stderr
        return call_node.args[:1]
    return []


def literal_text(node):
    """Return the text of a string literal (an f-string's fields as ``x``), else ``None``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "x" for part in node.values
        )
    return None


def test_no_message_reaches_a_person_unmarked():
    """A literal message must be marked (``gettext``...) where it is written, or be one
    of the messages :mod:`django_jwt_ext.reasons` translates (PyJWT's, the pure token
    functions')."""
    unmarked = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for argument in message_arguments(node):
                text = literal_text(argument)
                if text is None:
                    continue
                with translation.override("de"):
                    known = translated(text) != text
                if not known:
                    unmarked.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {text!r}")
    assert unmarked == []


# The catalogue of PyJWT's messages (django_jwt_ext.reasons).

PATTERN_EXAMPLES = [
    'Token is missing the "aud" claim',
    "Missing claim: sub",
    "Invalid header string: Expecting value: line 1 column 1 (char 0)",
    "Invalid payload string: Expecting value: line 1 column 1 (char 0)",
    "Unsupported critical extension: b65",
    "Critical extension 'b64' is missing from headers",
]


def test_every_pattern_has_an_example():
    assert len(PATTERN_EXAMPLES) == len(PATTERNS)
    for (pattern, _), example in zip(PATTERNS, PATTERN_EXAMPLES, strict=True):
        assert pattern.fullmatch(example)


@pytest.mark.parametrize("message", sorted(FIXED) + PATTERN_EXAMPLES)
def test_pyjwt_s_messages_are_english_byte_for_byte_and_translated_elsewhere(message):
    with translation.override("en"):
        assert translated(message) == message
    for language in LANGUAGES:
        with translation.override(translation.to_language(language)):
            assert translated(message) != message, language


def test_unknown_messages_pass_through():
    with translation.override("de"):
        assert translated("A message PyJWT may add one day") == "A message PyJWT may add one day"


# PyJWT's literal messages about a token (not about the caller's own arguments,
# which this app never gets wrong).
CALLER_MISTAKES = {
    'It is required that you pass in a value for the "algorithms" argument when calling decode().',
    'It is only valid to pass "detached_payload" when the protected header has "b64" set to false.',
    'Issuer param must be "str" or "Container[str]"',
}


def test_the_catalogue_knows_every_fixed_message_pyjwt_gives_about_a_token():
    source = Path(jwt.__file__).resolve().parent
    found = set()
    for module in ("api_jws.py", "api_jwt.py"):
        for node in ast.walk(ast.parse((source / module).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
                error_class = getattr(jwt.exceptions, name, None)
                if (
                    not (
                        isinstance(error_class, type)
                        and issubclass(error_class, jwt.InvalidTokenError)
                    )
                    or error_class is jwt.MissingRequiredClaimError
                ):  # A claim name, not a message.
                    continue
                for argument in node.exc.args[:1]:
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                        found.add(argument.value)
    assert found, "PyJWT's sources changed shape: revise this test"
    assert found - CALLER_MISTAKES - FIXED == set()
