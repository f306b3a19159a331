"""The store's admin at 1280x900 in headless Chromium: every changelist fits, revoking works.

With realistic rows (long usernames, ``sha256:`` digests, reasons of 255
characters) no changelist may scroll sideways and every reason stays on
screen, with Django's navigation sidebar open as it is by default. Each
changelist, a change view and the result page of each revoke action are
saved as ``admin-*.png`` in ``test-artifacts/screenshots/`` (or
``$SCREENSHOT_DIR``); the run's summary says where. Look at them after
changing the admin. Run with ``make test-browser``.
"""

import base64
import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from django_jwt_ext import create_access_token, create_refresh_token, decode_token
from django_jwt_ext.exceptions import RevokedTokenError
from django_jwt_ext.models import IssuedRefreshToken, RevokedFamily, RevokedIdentity, RevokedToken
from django_jwt_ext.revocation import (
    exchange_refresh_token,
    record_refresh_token,
    revoke_token,
    revoke_user_tokens,
)
from tests.chromium import SAVED, SCREENSHOTS, start_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "operator-password"
WIDTH, HEIGHT = 1280, 900

ALEXANDRA = "alexandra.konstantinopoulou-vanderberghe@research-institute.example.org"
JEAN = "jean-baptiste.de-la-fontaine-montmorency"
BOB = "bob"
# An identity provider's subject too long for the store: kept as a digest, no user.
PARTNER_SUBJECT = "https://login.partner.example.com/tenants/4f1c2d3e/subjects/" + "a1b2c3" * 40
# A service account's identity: readable, no user, longer than the 24 characters shown.
SERVICE = "svc:billing-reconciliation-worker-eu-west-1"

STOLEN = (
    "Laptop reported stolen at the airport on Friday evening; support ticket "
    "#48213 asks to end every session the device held until the user has reset "
    "their password and enrolled a new second factor."
)
FULL_LENGTH = (
    "Security review 2025-Q3: the partner tenant's signing key was exposed in a "
    "public repository for eleven minutes; every session started through that "
    "tenant is ended as a precaution, see incident INC-20931 and the postmortem "
    "linked from the security channel for the timeline of events"
)[:255]

HEADERS = {
    "issuedrefreshtoken": [
        "JWT ID",
        "user",
        "issued at",
        "expires at",
        "rotated at",
        "revoked",
        "family",
    ],
    "revokedtoken": ["JWT ID", "type", "user", "revoked at", "expires at", "reason"],
    "revokedidentity": ["identity", "user", "tokens issued up to", "reason"],
    "revokedfamily": ["family", "replayed JWT ID", "user", "revoked at", "reason"],
}
REASONS = {
    "revokedtoken": [STOLEN, FULL_LENGTH],
    "revokedidentity": [STOLEN, FULL_LENGTH],
    "revokedfamily": [FULL_LENGTH, "Refresh token reused"],
}


def short(value, length=8):
    """The changelist's form of a long value: its first characters and an ellipsis.

    A ``sha256:`` digest shows 8 hex digits after its prefix.
    """
    keep = len("sha256:") + 8 if value.startswith("sha256:") else length
    return value[:keep] + "\N{HORIZONTAL ELLIPSIS}"


@pytest.fixture(scope="module", autouse=True)
def fresh_screenshots():
    """Remove the admin screenshots of an earlier run, so that none is stale."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("admin-*.png"):
        old.unlink()


@pytest.fixture
def browser(tmp_path):
    driver = start_chromium(tmp_path / "chromium-profile", WIDTH, HEIGHT)
    yield driver
    driver.quit()


@pytest.fixture
def rows(django_user_model, settings):
    """What a store holds after a few weeks: several users and every kind of revocation."""
    operator = django_user_model.objects.create_superuser("operator", password=PASSWORD)
    alexandra, jean, bob = (
        django_user_model.objects.create_user(name) for name in (ALEXANDRA, JEAN, BOB)
    )
    for user in (alexandra, jean, bob):
        record_refresh_token(create_refresh_token(user), user)
    # A jti too long for the column (a token minted elsewhere) is stored as a digest.
    record_refresh_token(
        create_refresh_token(alexandra, additional_claims={"jti": "sso-" + "0f1e2d3c" * 24}),
        alexandra,
    )
    IssuedRefreshToken.objects.filter(user=bob).update(issued_at=timezone.now() - timedelta(days=3))

    # Jean's refresh token is exchanged, then presented again: the family is revoked.
    replayed = decode_token(create_refresh_token(jean))
    record_refresh_token(replayed, jean)
    exchange_refresh_token({}, replayed, decode_token(create_refresh_token(jean)))
    with pytest.raises(RevokedTokenError):
        exchange_refresh_token({}, replayed, decode_token(create_refresh_token(jean)))
    # A family revoked by a custom backend, with a reason as long as the column allows.
    RevokedFamily.objects.create(
        family="5d0f6c4e-9a51-4f0e-8c1b-2e7d3a9b6f10",
        identity="sha256:" + hashlib.sha256(PARTNER_SUBJECT.encode()).hexdigest(),
        jti="sha256:" + hashlib.sha256(b"partner-jti").hexdigest(),
        reason=FULL_LENGTH,
    )

    revoke_token(
        create_access_token(alexandra, additional_claims={"jti": "sso-" + "9a8b7c6d" * 24}),
        reason=STOLEN,
    )
    revoke_token(create_access_token(bob), reason="logout")
    revoke_token(create_refresh_token(jean), reason=FULL_LENGTH)

    revoke_user_tokens(bob, reason=STOLEN)
    revoke_user_tokens(PARTNER_SUBJECT, reason=FULL_LENGTH)
    revoke_token(create_access_token(SERVICE), reason=STOLEN)
    revoke_user_tokens(SERVICE, reason="Service account rotated")
    return operator


@pytest.fixture
def admin_browser(browser, live_server, rows):
    """The browser, logged into the test project's admin as a superuser."""
    browser.get(live_server.url + reverse("admin:login") + "?next=" + reverse("admin:index"))
    browser.find_element(By.NAME, "username").send_keys("operator")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "user-tools"))
    browser.live_server_url = live_server.url
    return browser


def open_changelist(browser, model_name):
    url = reverse(f"admin:django_jwt_ext_{model_name}_changelist")
    browser.get(browser.live_server_url + url)
    WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "result_list"))


def screenshot(browser, name):
    """Save the whole page (not only the viewport) as ``admin-<name>.png``."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1},
        },
    )
    path = SCREENSHOTS / f"admin-{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    SAVED.append(path)


LAYOUT = """
// The table's container scrolls sideways by itself when the table is too wide:
// a cell is visible when it is inside both the viewport and that container.
const results = document.querySelector('#changelist-form .results');
const right = Math.min(window.innerWidth, results.getBoundingClientRect().right);
const inside = (cell) => {
    const box = cell.getBoundingClientRect();
    return box.width > 0 && box.left >= 0 && box.right <= right + 0.5;
};
const cells = [...document.querySelectorAll('#result_list td, #result_list th')];
return {
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    resultsScroll: results.scrollWidth - results.clientWidth,
    columns: [...document.querySelectorAll('#result_list thead th')].map(
        (th) => th.innerText + ': ' + Math.round(th.getBoundingClientRect().width)
    ),
    reasons: [...document.querySelectorAll('#result_list td.field-reason')].map(
        (cell) => ({text: cell.innerText, inside: inside(cell)})
    ),
    outside: cells.filter((cell) => !inside(cell)).map((cell) => cell.innerText),
    overflowing: cells.filter(
        (cell) => cell.scrollWidth > cell.clientWidth
    ).map((cell) => cell.innerText),
};
"""


def check_layout(browser, model_name):
    layout = browser.execute_script(LAYOUT)
    assert layout["innerWidth"] == WIDTH
    assert layout["scrollWidth"] <= layout["innerWidth"], layout
    assert layout["resultsScroll"] <= 0, " | ".join(layout["columns"])
    assert layout["outside"] == [], "cells beyond the viewport"
    assert layout["overflowing"] == [], "cells whose content overflows them"
    reasons = sorted(reason["text"] for reason in layout["reasons"])
    for reason in REASONS.get(model_name, []):
        assert reason in reasons
    assert all(reason["inside"] for reason in layout["reasons"])


def visible_text(browser, selector="body"):
    return browser.find_element(By.CSS_SELECTOR, selector).text


def headers(browser):
    return [
        th.text.casefold()
        for th in browser.find_elements(By.CSS_SELECTOR, "#result_list thead th")
        if th.text
    ]


def shortened_values(model_name):
    """The long values a changelist cuts, with how many characters it keeps of each."""
    if model_name == "issuedrefreshtoken":
        rows = IssuedRefreshToken.objects.all()
        return [(row.jti, 8) for row in rows] + [(str(row.family), 8) for row in rows]
    if model_name == "revokedtoken":
        return [(row.jti, 8) for row in RevokedToken.objects.all()] + [(SERVICE, 24)]
    if model_name == "revokedidentity":
        return [(row.identity, 24) for row in RevokedIdentity.objects.filter(user=None)]
    rows = RevokedFamily.objects.all()
    return [(str(row.family), 8) for row in rows] + [(row.jti, 8) for row in rows]


USERS = {
    "issuedrefreshtoken": [ALEXANDRA, JEAN, BOB],
    "revokedtoken": [ALEXANDRA, JEAN, BOB],
    "revokedidentity": [BOB],
    "revokedfamily": [JEAN],
}


@pytest.mark.parametrize("model_name", list(HEADERS))
def test_changelist_fits_1280_pixels(admin_browser, model_name):
    open_changelist(admin_browser, model_name)
    screenshot(admin_browser, f"changelist-{model_name}")

    check_layout(admin_browser, model_name)
    assert headers(admin_browser) == [header.casefold() for header in HEADERS[model_name]]
    table = visible_text(admin_browser, "#result_list")
    for user in USERS[model_name]:
        assert user in table
    # Each identifier shows its first characters; the whole value is one hover away.
    titles = {
        element.get_attribute("title")
        for element in admin_browser.find_elements(By.CSS_SELECTOR, "#result_list [title]")
    }
    values = shortened_values(model_name)
    assert values
    for value, length in values:
        assert short(value, length) in table
        assert value not in table
        assert value in titles


def test_change_view_shows_the_whole_digest(admin_browser):
    revoked = RevokedToken.objects.get(jti__startswith="sha256:", token_type="access")
    url = reverse("admin:django_jwt_ext_revokedtoken_change", args=[revoked.pk])
    admin_browser.get(admin_browser.live_server_url + url)
    screenshot(admin_browser, "change-revokedtoken")

    page = visible_text(admin_browser, "#content")
    assert revoked.jti in page
    assert STOLEN in page
    assert admin_browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"
    )


def select_rows(browser, usernames):
    """Tick the rows whose user column shows one of ``usernames``; return how many."""
    ticked = 0
    for row in browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr"):
        if row.find_element(By.CSS_SELECTOR, "td.field-user_display").text in usernames:
            row.find_element(By.CSS_SELECTOR, "input.action-select").click()
            ticked += 1
    return ticked


def run_action(browser, action):
    Select(browser.find_element(By.NAME, "action")).select_by_value(action)
    browser.find_element(By.CSS_SELECTOR, "button[name=index]").click()
    WebDriverWait(browser, 10).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success")
    )


ACTIONS = {
    "issued-revoke-selected": (
        "issuedrefreshtoken",
        "revoke_selected",
        [ALEXANDRA],
        "Revoked 2 tokens.",
    ),
    "issued-revoke-users": (
        "issuedrefreshtoken",
        "revoke_users",
        [ALEXANDRA, BOB],
        "Revoked every token of 2 users.",
    ),
    "revoked-revoke-users": (
        "revokedtoken",
        "revoke_users",
        [ALEXANDRA],
        "Revoked every token of 1 user.",
    ),
    "family-revoke-users": (
        "revokedfamily",
        "revoke_users",
        [JEAN],
        "Revoked every token of 1 user.",
    ),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_revoke_action(admin_browser, name):
    model_name, action, usernames, message = ACTIONS[name]
    open_changelist(admin_browser, model_name)
    ticked = select_rows(admin_browser, usernames)
    assert ticked >= len(usernames)

    run_action(admin_browser, action)
    screenshot(admin_browser, f"action-{name}")

    assert visible_text(admin_browser, "ul.messagelist li.success") == message
    check_layout(admin_browser, model_name)
    if model_name == "issuedrefreshtoken":
        # The revoked column follows: every row of the chosen users now says so.
        for row in admin_browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr"):
            user = row.find_element(By.CSS_SELECTOR, "td.field-user_display").text
            icon = row.find_element(By.CSS_SELECTOR, "td.field-revoked img")
            if user in usernames:
                assert icon.get_attribute("alt") == "True", user
    if action == "revoke_users":
        logged_out = RevokedIdentity.objects.filter(user__username__in=usernames)
        assert logged_out.count() >= len(usernames)
