"""docs/tutorial.rst, executed: the packaging smoke test and the tutorial in one.

Every code block of the tutorial is a step, in page order:

* ``console`` blocks: each ``$`` line (with its ``\\`` continuations) runs in
  bash, in a temporary directory; variables, ``cd`` and the virtualenv
  activation carry over from one command to the next, as in a terminal.
  The lines after a command are its expected output (combined stdout and
  stderr, ``...`` matching anything); a command shown without output may
  print anything. Every command must exit with 0. A block of class
  ``tutorial-background`` starts its command in the background (the
  ``runserver``) and waits until it answers HTTP.
* ``python`` blocks of class ``tutorial-write`` replace the file named by
  their caption; class ``tutorial-append`` adds to its end.

Any other block fails the test: nothing on the page escapes execution. Two
things are rewritten before running: the checkout's ``dist/`` directory
replaces ``path/to/django-jwt-ext/dist``, and a free port replaces 8000.

So the tutorial's ``pip install`` installs the wheel that ``make dist``
built (not the checkout, not in editable mode) into a clean virtualenv,
with its dependencies from PyPI, and the project made by ``django-admin
startproject`` runs with the documented settings and URL include under a
real ``runserver``: missing package data or an undeclared dependency fails
here. Run with ``make test-tutorial``, which builds the wheel first.
"""

import http.cookiejar
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import jwt
import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "tutorial.rst"
DIST = ROOT / "dist"
DOC_DIST = "path/to/django-jwt-ext/dist"
DOC_ADDRESS = "127.0.0.1:8000"

# Seconds a command may take: installing from PyPI is the slow one.
TIMEOUT = 60
SLOW = {"pip install": 300}
SERVER_START = 60


# Reading the page.


class CodeBlock(Directive):
    """Sphinx's ``code-block``, as far as the test needs it: language, caption, class."""

    required_arguments = 1
    has_content = True
    option_spec = {
        "caption": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self):
        text = "\n".join(self.content)
        node = nodes.literal_block(text, text)
        node["language"] = self.arguments[0]
        node["caption"] = self.options.get("caption", "")
        node["classes"] += self.options.get("class", [])
        node.line = self.lineno
        return [node]


def sphinx_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """Stand in for Sphinx's cross-reference roles (``:doc:``, ``:func:``...)."""
    return [nodes.literal(rawtext, text)], []


def literal_blocks():
    directives.register_directive("code-block", CodeBlock)
    for role in ("doc", "ref", "func", "class", "confval", "meth", "exc", "check"):
        roles.register_local_role(role, sphinx_role)
    doctree = publish_doctree(
        TUTORIAL.read_text(),
        source_path=str(TUTORIAL),
        settings_overrides={"report_level": 2, "halt_level": 2},
    )
    return list(doctree.findall(nodes.literal_block))


@dataclass
class Step:
    kind: str  # "run", "background", "write" or "append"
    text: str  # the command, or the file's content
    expected: str | None = None  # the output shown after a command
    path: str = ""  # the file a write or append changes
    line: int = 0  # where the block is, for failure messages


def commands(block_text):
    """Split a console block into (command, expected output or None) pairs."""
    pairs = []
    lines = block_text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        assert line.startswith("$ "), f"output before any command: {line!r}"
        command = [line[2:]]
        while command[-1].endswith("\\"):
            index += 1
            command.append(lines[index])
        index += 1
        output = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index])
            index += 1
        pairs.append(("\n".join(command), "\n".join(output) if output else None))
    return pairs


def steps():
    found = []
    for block in literal_blocks():
        language, classes, line = block.get("language"), block["classes"], block.line
        if language == "console":
            kind = "background" if "tutorial-background" in classes else "run"
            for command, expected in commands(block.astext()):
                found.append(Step(kind, command, expected, line=line))
        elif language == "python" and {"tutorial-write", "tutorial-append"} & set(classes):
            kind = "write" if "tutorial-write" in classes else "append"
            path = block["caption"].split()[0]
            found.append(Step(kind, block.astext() + "\n", path=path, line=line))
        else:
            pytest.fail(
                f"docs/tutorial.rst, line {line}: a {language or 'plain'} block that no step "
                "runs; use a console block, or a python block of class tutorial-write or "
                "tutorial-append with the file's path as caption"
            )
    return found


def test_the_page_is_read_whole():
    """The parser sees the blocks the page has: none is lost to a markup error."""
    found = steps()
    source = TUTORIAL.read_text()
    assert len([s for s in found if s.kind in ("write", "append")]) == source.count(
        ":class: tutorial-"
    ) - source.count(":class: tutorial-background")
    assert sum(s.kind in ("run", "background") for s in found) == len(
        re.findall(r"^ {4}\$ ", source, re.MULTILINE)
    )
    assert [s.kind for s in found].count("background") == 1


# Running it.


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment():
    """The caller's environment without this checkout's virtualenv or Django settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "DJANGO_SETTINGS_MODULE")
        and not key.startswith(("PYTEST_", "COV_"))
    }
    venvs = [str(path) for path in ROOT.glob(".venv*/bin")]
    env["PATH"] = os.pathsep.join(
        entry for entry in env["PATH"].split(os.pathsep) if entry not in venvs
    )
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def matches(expected, actual):
    """Tell whether ``actual`` is ``expected``, where ``...`` matches anything."""

    def tidy(text):
        return "\n".join(line.rstrip() for line in text.strip().splitlines())

    pattern = ".*?".join(re.escape(part) for part in tidy(expected).split("..."))
    return re.fullmatch(pattern, tidy(actual), re.DOTALL) is not None


class Terminal:
    """A bash session whose variables and directory persist across commands."""

    def __init__(self, home, transcript):
        self.state = home / ".tutorial-state"
        self.cwd = home / ".tutorial-cwd"
        self.state.write_text("")
        self.cwd.write_text(str(home))
        self.env = clean_environment()
        self.transcript = transcript
        self.background = []

    def prelude(self):
        return (
            f"set -a\n. {shlex.quote(str(self.state))}\n"
            f'cd "$(cat {shlex.quote(str(self.cwd))})"\nset -o pipefail\n'
        )

    def log(self, text):
        with self.transcript.open("a") as transcript:
            transcript.write(text)

    def run(self, command, timeout=TIMEOUT):
        """Run ``command``; return (exit status, output)."""
        script = (
            self.prelude()
            + command
            + "\nstatus=$?\n"
            + f"export -p > {shlex.quote(str(self.state))}\n"
            + f"pwd > {shlex.quote(str(self.cwd))}\nexit $status\n"
        )
        result = subprocess.run(
            ["bash", "-c", script],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
        self.log(f"$ {command}\n{result.stdout}[exit {result.returncode}]\n")
        return result.returncode, result.stdout

    def start(self, command, log_path):
        """Start ``command`` in the background, in its own process group."""
        self.log(f"$ {command} &   (output in {log_path})\n")
        log = log_path.open("w")
        process = subprocess.Popen(
            ["bash", "-c", self.prelude() + "exec " + command],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.background.append((process, log))
        return process

    def stop(self):
        for process, log in self.background:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
            log.close()


def wait_until_serving(process, base, log_path):
    deadline = time.monotonic() + SERVER_START
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited:\n{log_path.read_text()}"
        try:
            with urllib.request.urlopen(base + "/admin/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except (TimeoutError, urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.25)
    pytest.fail(f"no answer from {base} after {SERVER_START} s:\n{log_path.read_text()}")


def version():
    source = (ROOT / "django_jwt_ext" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"$', source, re.MULTILINE).group(1)


def admin_page(base, path, username, password):
    """Log in to the admin as a browser would, and return the HTML of ``path``."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = base + "/admin/login/"
    form = opener.open(login, timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": path}
    ).encode()
    request = urllib.request.Request(login, data=data, headers={"Referer": login})
    with opener.open(request, timeout=10) as response:
        assert response.url == base + path, "the admin login did not succeed"
        return response.read().decode()


@pytest.fixture
def wheel():
    found = list(DIST.glob(f"django_jwt_ext-{version()}-py3-none-any.whl"))
    assert found, f"no wheel of version {version()} in {DIST}: run make dist first"
    return found[0]


@pytest.fixture
def terminal(tmp_path):
    assert shutil.which("curl"), "the tutorial needs curl"
    terminal = Terminal(tmp_path, tmp_path / "transcript.txt")
    yield terminal
    terminal.stop()


def test_the_tutorial_runs_as_written(wheel, terminal, tmp_path):
    port = free_port()
    address = f"127.0.0.1:{port}"
    base = f"http://{address}"
    started = time.monotonic()

    def local(text):
        return text.replace(DOC_DIST, str(DIST)).replace(DOC_ADDRESS, address)

    for step in steps():
        where = f"docs/tutorial.rst, block at line {step.line}"
        if step.kind in ("write", "append"):
            _, cwd = terminal.run("pwd")
            target = Path(cwd.strip()) / step.path
            assert step.kind == "write" or target.exists(), f"{where}: no {step.path} to add to"
            with target.open("w" if step.kind == "write" else "a") as file:
                file.write(("\n\n" if step.kind == "append" else "") + step.text)
            terminal.log(f"[{step.kind} {step.path}]\n{step.text}")
        elif step.kind == "background":
            log_path = tmp_path / "server.log"
            wait_until_serving(terminal.start(local(step.text), log_path), base, log_path)
        else:
            command = local(step.text)
            timeout = next((t for k, t in SLOW.items() if k in command), TIMEOUT)
            status, output = terminal.run(command, timeout=timeout)
            assert status == 0, f"{where}: `{command}` exited with {status}:\n{output}"
            if step.expected is not None:
                expected = local(step.expected)
                assert matches(expected, output), (
                    f"{where}: `{command}` printed\n{output}\ninstead of\n{expected}"
                )

    # The package came from the wheel, installed into the tutorial's own
    # virtualenv: neither the checkout nor an editable install.
    status, output = terminal.run(
        'python -c "import django_jwt_ext as p; print(p.__version__, p.__file__)"; '
        'echo "$VIRTUAL_ENV"'
    )
    assert status == 0, output
    (installed, location), venv = output.split("\n")[0].split(), output.split("\n")[1]
    assert installed == version()
    assert venv.startswith(str(tmp_path))
    assert location.startswith(venv + "/lib/")
    assert not location.startswith(str(ROOT))

    # The admin lists the revoked access token by its jti.
    status, cwd = terminal.run("pwd")
    tokens = (Path(cwd.strip()) / "tokens.json").read_text()
    access = re.search(r'"access_token": "([^"]+)"', tokens).group(1)
    jti = jwt.decode(access, options={"verify_signature": False})["jti"]
    page = admin_page(base, "/admin/django_jwt_ext/revokedtoken/", "alice", "alice-password")
    assert jti in page
    assert access not in page

    # Bounded: the whole tutorial, installation included, in a few minutes.
    assert time.monotonic() - started < 240
