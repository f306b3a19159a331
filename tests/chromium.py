"""Headless Chromium for the browser tests (marker ``browser``, run by ``make test-browser``).

They need Debian's ``chromium`` and ``chromium-driver``; ``.ci/run`` installs them.
"""

import os
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parent.parent
# Where the browser tests save screenshots (SCREENSHOT_DIR puts them elsewhere),
# and what they saved in this run, which the terminal summary reports.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "test-artifacts" / "screenshots"))
SAVED: list[Path] = []


def start_chromium(profile: Path, width: int, height: int) -> webdriver.Chrome:
    """Start headless Chromium in a ``width`` x ``height`` window with a fresh ``profile``."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        # English pages whatever the machine's locale: testproject's
        # LocaleMiddleware answers in the browser's Accept-Language.
        "--lang=en-US",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver
