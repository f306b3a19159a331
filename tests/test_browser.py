"""The demo page in a real browser: headless Chromium driven by Selenium.

Only a browser shows whether HttpOnly, SameSite and the double-submit header
behave as the threat model says, and what a person sees on the page. The
test reads the page's visible text at each step (who is logged in, the
status and JSON of each call, never a token) and saves a screenshot of each
step in ``test-artifacts/screenshots/`` (or ``$SCREENSHOT_DIR``). Run with
``make test-browser`` (``.ci/run`` installs Debian's chromium and
chromium-driver first); ``make test`` leaves it out because it needs those
system packages.
"""

import json
from io import StringIO
from urllib.parse import urlsplit

import jwt
import pytest
from django.core.management import call_command
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from testproject.demo import PASSWORD, USERNAME
from tests.chromium import SAVED, SCREENSHOTS, start_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOKEN_COOKIES = ("access_token_cookie", "refresh_token_cookie")
CSRF_COOKIES = ("csrf_access_token", "csrf_refresh_token")
COOKIES_SET = {"msg": "Tokens set in HttpOnly cookies"}


@pytest.fixture
def browser(tmp_path):
    driver = start_chromium(tmp_path / "chromium-profile", 1100, 1500)
    yield driver
    driver.quit()


@pytest.fixture
def screenshots():
    """Save a numbered screenshot of each step; return the function that does it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("demo-*.png"):
        old.unlink()
    taken = []

    def shoot(browser, name):
        path = SCREENSHOTS / f"demo-{len(taken) + 1:02d}-{name}.png"
        assert browser.save_screenshot(str(path)), f"no screenshot saved at {path}"
        taken.append(path)
        SAVED.append(path)

    return shoot


@pytest.fixture
def demo_user(live_server):
    """The user ``make demo`` creates, by the command it runs."""
    call_command("demo_setup", host=urlsplit(live_server.url).netloc, stdout=StringIO())


def text(browser, element_id):
    return browser.find_element(By.ID, element_id).text


def visible(browser):
    """The page's text as a person sees it (Selenium skips what is not displayed)."""
    return browser.find_element(By.TAG_NAME, "body").text


def session_text(browser):
    """Wait until the page knows who is logged in; return what it says."""
    WebDriverWait(browser, 10).until(lambda driver: "Checking" not in text(driver, "session"))
    return text(browser, "session")


def call(browser, button_id):
    """Click a demo button; once the page shows the answer, return (status, JSON or text)."""
    last = browser.find_element(By.ID, "last-call")
    before = int(last.get_attribute("data-calls"))
    browser.find_element(By.ID, button_id).click()
    WebDriverWait(browser, 10).until(
        lambda driver: int(last.get_attribute("data-calls")) == before + 1
    )
    output = text(browser, "output")
    try:
        body = json.loads(output)
    except ValueError:
        body = output
    return int(text(browser, "status")), body


def assert_no_token_shown(browser, *tokens):
    """Neither the visible text nor the page's HTML holds a token: cookie mode keeps them out."""
    page = visible(browser) + browser.page_source
    for token in tokens:
        assert token not in page
    assert "eyJ" not in page  # the start of any JWT


def test_the_demo_page_in_a_real_browser(
    live_server, demo_settings, demo_user, browser, screenshots
):
    browser.get(live_server.url + "/")

    # Before logging in: nobody, and a hint with the demo user's password.
    assert session_text(browser) == "Not logged in."
    hint = text(browser, "password-hint")
    assert hint == (
        f"The demo user is {USERNAME} with the password {PASSWORD} (created by make demo)."
    )
    assert text(browser, "request") == "No call yet."
    screenshots(browser, "start")

    # Log in with what the hint says.
    password = browser.find_elements(By.CSS_SELECTOR, "#password-hint strong")[1].text
    browser.find_element(By.ID, "password").send_keys(password)
    assert call(browser, "login-button") == (200, COOKIES_SET)
    assert text(browser, "request") == "POST /demo/obtain → 200 OK"
    assert session_text(browser) == "Logged in as demo (access token from the cookies)."
    screenshots(browser, "logged-in")

    # The token cookies are HttpOnly: scripts see only the CSRF cookies.
    script_cookies = browser.execute_script("return document.cookie")
    for name in CSRF_COOKIES:
        assert f"{name}=" in script_cookies
    for name in TOKEN_COOKIES:
        assert name not in script_cookies
        cookie = browser.get_cookie(name)
        assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Lax")
    login_tokens = [browser.get_cookie(name)["value"] for name in TOKEN_COOKIES]
    assert_no_token_shown(browser, *login_tokens)

    status, body = call(browser, "call-api")
    assert (status, body) == (200, {"user": "demo", "location": "cookies"})
    assert text(browser, "request") == "POST /api/whoami → 200 OK"
    screenshots(browser, "api-call")

    assert call(browser, "call-api-without-csrf") == (401, {"msg": "Missing CSRF token"})
    assert text(browser, "request") == "POST /api/whoami → 401 Unauthorized"
    assert session_text(browser).startswith("Logged in as demo")
    screenshots(browser, "without-csrf")

    # Refresh: new cookies (rotation replaces the refresh token too), no token on the page.
    assert call(browser, "refresh") == (200, COOKIES_SET)
    refreshed = {name: browser.get_cookie(name) for name in TOKEN_COOKIES + CSRF_COOKIES}
    for name, old in zip(TOKEN_COOKIES, login_tokens, strict=True):
        assert refreshed[name]["value"] != old
    assert_no_token_shown(browser, *login_tokens, *(refreshed[n]["value"] for n in TOKEN_COOKIES))
    history = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#history li")]
    assert history == [
        "POST /api/whoami → 401 Unauthorized",
        "POST /api/whoami → 200 OK",
        "POST /demo/obtain → 200 OK",
    ]
    screenshots(browser, "refreshed")

    assert call(browser, "logout") == (200, {"msg": "Logged out"})
    assert session_text(browser) == "Not logged in."
    for name in TOKEN_COOKIES + CSRF_COOKIES:
        assert browser.get_cookie(name) is None
    screenshots(browser, "logged-out")

    # A POST without any token: never raw HTML in the output box. Django's
    # CSRF check refuses it (403 page, shown in brief), or the JWT check
    # does (401 JSON), depending on the CSRF rule of the installed version.
    status, body = call(browser, "call-api")
    assert status in (401, 403)
    if status == 403:
        assert body.splitlines()[:3] == [
            "Not JSON: an HTML page from Django, shown here in brief.",
            "Forbidden (403)",
            "CSRF verification failed. Request aborted.",
        ]
    else:
        assert body["msg"].startswith("Missing")
    assert "<" not in text(browser, "output")
    assert session_text(browser) == "Not logged in."
    screenshots(browser, "after-logout")

    # The refreshed cookies, put back by someone who copied them, carry a revoked token.
    access_cookie = refreshed["access_token_cookie"]
    for name in ("access_token_cookie", "csrf_access_token"):
        browser.add_cookie({"name": name, "value": refreshed[name]["value"]})
    assert call(browser, "call-api") == (401, {"msg": "Token has been revoked"})
    assert session_text(browser) == "Not logged in: Token has been revoked."
    assert_no_token_shown(browser, access_cookie["value"])
    screenshots(browser, "revoked")

    # The admin lists the revoked token by its jti: its first 8 characters,
    # the whole value in their tooltip.
    jti = jwt.decode(access_cookie["value"], options={"verify_signature": False})["jti"]
    browser.find_element(By.ID, "admin-link").click()
    browser.find_element(By.NAME, "username").send_keys(USERNAME)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: "revokedtoken" in driver.current_url)
    assert f"{jti[:8]}\N{HORIZONTAL ELLIPSIS}" in visible(browser)
    assert browser.find_elements(By.CSS_SELECTOR, f'#result_list [title="{jti}"]')
    assert access_cookie["value"] not in browser.page_source
    screenshots(browser, "admin")
