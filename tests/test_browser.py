"""The cookie flow in a real browser: headless Chromium driven by Selenium.

Only a browser shows whether HttpOnly, SameSite and the double-submit header
behave as the threat model says. Run with ``make test-browser`` (``.ci/run``
installs Debian's chromium and chromium-driver first); ``make test`` leaves
it out because it needs those system packages.
"""

import jwt
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PASSWORD = "browser-password"


@pytest.fixture
def demo_settings(settings):
    """The demo project's own token settings: cookies, CSRF double submit."""
    settings.JWT_TOKEN_LOCATION = ["headers", "cookies", "query_string", "json"]
    settings.JWT_MANAGER = "testproject.auth.jwt"
    settings.JWT_COOKIE_SAMESITE = "Lax"
    settings.JWT_REFRESH_TOKEN_ROTATION = True
    return settings


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def demo_user(django_user_model):
    return django_user_model.objects.create_superuser("demo", password=PASSWORD)


def status_after(browser, button_id):
    """Click a demo button and return (status, body) once the answer is shown."""
    browser.execute_script("document.getElementById('status').textContent = '-'")
    browser.find_element(By.ID, button_id).click()
    WebDriverWait(browser, 10).until(
        lambda driver: driver.find_element(By.ID, "status").text != "-"
    )
    return (
        int(browser.find_element(By.ID, "status").text),
        browser.find_element(By.ID, "output").text,
    )


def test_cookie_flow_in_a_real_browser(live_server, demo_settings, demo_user, browser):
    browser.get(live_server.url + "/")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    assert status_after(browser, "login-button")[0] == 200

    # The token cookie is HttpOnly: scripts see only the CSRF cookie.
    script_cookies = browser.execute_script("return document.cookie")
    assert "csrf_access_token=" in script_cookies
    assert "access_token_cookie" not in script_cookies
    assert "refresh_token_cookie" not in script_cookies
    access_cookie = browser.get_cookie("access_token_cookie")
    assert access_cookie["httpOnly"] is True
    assert access_cookie["sameSite"] == "Lax"
    jti = jwt.decode(access_cookie["value"], options={"verify_signature": False})["jti"]

    status, body = status_after(browser, "call-api")
    assert status == 200
    assert '"user": "demo"' in body and '"location": "cookies"' in body

    status, body = status_after(browser, "call-api-without-csrf")
    assert (status, body) == (401, '{"msg": "Missing CSRF token"}')

    csrf_cookie = browser.get_cookie("csrf_access_token")
    assert status_after(browser, "logout")[0] == 200
    assert browser.get_cookie("access_token_cookie") is None
    assert browser.get_cookie("csrf_access_token") is None
    # Without a token, a view that requires one answers the JWT's 401, never
    # Django's CSRF 403 page (DESIGN 3.3, the one CSRF rule).
    status, body = status_after(browser, "call-api")
    assert status == 401
    assert body.startswith('{"msg": "Missing ')

    # The old cookies, put back by someone who copied them, carry a revoked token.
    for cookie in (access_cookie, csrf_cookie):
        browser.add_cookie({"name": cookie["name"], "value": cookie["value"]})
    status, body = status_after(browser, "call-api")
    assert (status, body) == (401, '{"msg": "Token has been revoked"}')

    # The admin lists the revoked token by its jti.
    browser.find_element(By.ID, "admin-link").click()
    browser.find_element(By.NAME, "username").send_keys("demo")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: "revokedtoken" in driver.current_url)
    assert jti in browser.page_source
    assert access_cookie["value"] not in browser.page_source
