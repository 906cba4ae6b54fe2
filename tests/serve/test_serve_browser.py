"""The form in a real browser (headless Chromium through Selenium), as a paralegal uses it:
type 5% into the royalty rate and see what to type instead, fix it and see the preview
change, pick an exclusive grant-back and see the block, add a patent family, save, and find
the saved file valid with its comments kept. Screenshots go to CLAUSESMITH_SCREENSHOTS when
it is set."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml
from click.testing import CliRunner

from clausesmith.cli.main import cli
from clausesmith.pipeline import Inputs
from clausesmith.resources import Sources
from clausesmith.serve.app import create_app
from clausesmith.serve.dealfile import DealFile
from helpers.deals import ACME

pytestmark = [pytest.mark.slow, pytest.mark.tools("chromium", "chromedriver")]
TOKEN = "browser-test-token"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    deal = tmp_path / "acme-beta.yaml"
    shutil.copy(ACME, deal)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    inputs = Inputs(Sources.resolve())
    app = create_app(DealFile(deal), inputs, TOKEN, port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}/?token={TOKEN}", deal
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1400,1000", "--disable-gpu"):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver.implicitly_wait(2)
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver: Any, name: str) -> None:
    folder = os.environ.get("CLAUSESMITH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def wait_for(driver: Any, condition: Any, seconds: float = 30) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.1).until(condition)


def field(driver: Any, path: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f"[data-path='{path}']")


def problem_of(control: Any) -> str:
    from selenium.webdriver.common.by import By

    text: str = (
        control.find_element(By.XPATH, "./ancestor::div[@class='field']")
        .find_element(By.CSS_SELECTOR, ".problem")
        .text
    )
    return text


def test_a_paralegal_drafts_in_the_form(served: tuple[str, Path], browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url, deal = served
    browser.get(url)
    wait_for(browser, lambda d: "Checked" in d.find_element(By.ID, "status").text)
    shot(browser, "1-opened")

    rate = field(browser, "royalties.rate_pct")
    rate.clear()
    rate.send_keys("5%")
    wait_for(browser, lambda d: "drop the %: 5" in problem_of(rate))
    assert rate.get_attribute("aria-invalid") == "true"
    shot(browser, "2-five-percent")

    rate.clear()
    rate.send_keys("2.5")
    preview = browser.find_element(By.ID, "preview")
    wait_for(browser, lambda d: "a balancing royalty of 2.5% of Net Sales" in preview.text)
    assert problem_of(rate) == ""
    shot(browser, "3-fixed")

    exclusivity = Select(field(browser, "grant_back.exclusivity"))
    exclusivity.select_by_visible_text("exclusive")
    findings = browser.find_element(By.ID, "findings")
    wait_for(browser, lambda d: "CL-01-EXCLUSIVE-GRANT-BACK [block]" in findings.text)
    shot(browser, "4-blocked")
    exclusivity.select_by_visible_text("non_exclusive")
    wait_for(browser, lambda d: "CL-01-EXCLUSIVE-GRANT-BACK" not in findings.text)

    families = browser.find_element(By.CSS_SELECTOR, "[data-node='array'][data-key='families']")
    families.find_element(By.CSS_SELECTOR, "button[data-add]").click()
    row = families.find_elements(By.CSS_SELECTOR, ".rows > .row")[-1]
    for key, value in (("owner", "beta"), ("ref", "EP 4 000 001 B1"), ("title", "Soft gripper")):
        row.find_element(By.CSS_SELECTOR, f"[data-key='{key}']").send_keys(value)
    Select(row.find_element(By.CSS_SELECTOR, "[data-key='status']")).select_by_visible_text(
        "granted"
    )
    # A date picker's typed form follows the browser's locale; set it as a picker would.
    browser.execute_script(
        "arguments[0].value = '2043-01-31';"
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
        row.find_element(By.CSS_SELECTOR, "[data-key='expiry']"),
    )
    wait_for(browser, lambda d: "EP 4 000 001 B1" in preview.text)
    shot(browser, "5-family-added")

    browser.find_element(By.ID, "save").click()
    wait_for(browser, lambda d: "Saved to" in d.find_element(By.ID, "status").text)
    saved = yaml.safe_load(deal.read_text(encoding="utf-8"))
    assert saved["royalties"]["rate_pct"] == 2.5
    assert saved["patents"]["families"][-1]["ref"] == "EP 4 000 001 B1"
    assert saved["grant_back"]["exclusivity"] == "non_exclusive"
    text = deal.read_text(encoding="utf-8")
    assert "  rate_pct: 2.5                         # running only" in text
    assert "# institution: ICC | WIPO | LCIA | ICDR | SIAC | JAMS | DIS" in text
    result = CliRunner().invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 0, result.output


def test_the_form_opened_through_the_launch_file_works(
    served: tuple[str, Path], browser: Any
) -> None:
    """`serve` opens the browser on a launch file (the token kept off the command line): the
    form it leads to checks the deal, so the token's cookie came with the page itself (a
    browser sends no SameSite=Strict cookie after a redirect that a file started)."""
    from selenium.webdriver.common.by import By

    from clausesmith.serve.server import launch_file

    url, _deal = served
    browser.get(launch_file(url).as_uri())
    wait_for(browser, lambda d: "Checked: no problems" in d.find_element(By.ID, "status").text)
    assert TOKEN not in browser.current_url
