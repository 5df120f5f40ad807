"""The dashboard in a real headless Chromium against the real system.

Loads the small demo province through the public API, waits until reporting has caught
up, signs in through the page, picks a node and periods, and checks that every figure
the page shows is the figure GET /api/reports gives for the same node and period, and
that the CSV the export button downloads has Vietnamese headings and the same figures.
A screenshot is saved in artifacts/: dashboard.png, or dashboard-failure.png on failure.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason="Debian's chromium and chromium-driver are not installed "
    "(apt-get install chromium chromium-driver)",
)
sys.path.insert(0, str(ROOT / "ops"))
from demo import DEMO_PASSWORD  # noqa: E402
from demo_world import build_province  # noqa: E402

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

ARTIFACTS = ROOT / "artifacts"
TODAY = date.today()
PROVINCE, CALENDAR = build_province(87, True, TODAY)
YEAR = CALENDAR.year


class Api:
    def __init__(self, url: str, username: str, password: str) -> None:
        self.url = url
        answer = requests.post(
            f"{url}/api/auth/token", json={"username": username, "password": password}, timeout=10
        )
        assert answer.status_code == 200, answer.text
        self.headers = {"Authorization": f"Bearer {answer.json()['token']}"}

    def get(self, path: str, **params: str) -> dict:
        answer = requests.get(f"{self.url}{path}", params=params, headers=self.headers, timeout=30)
        assert answer.status_code == 200, f"{path} {params}: {answer.status_code} {answer.text}"
        return answer.json()

    def report(self, org_id: str, period: str) -> dict:
        return self.get(f"/api/reports/{org_id}", period=period)


@pytest.fixture
def demo_loaded(running_system) -> Api:
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "ops/demo.py"),
            "--gateway",
            running_system.url,
            "--small",
            "--today",
            TODAY.isoformat(),
            "--patience",
            "90",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, f"demo failed:\n{run.stdout}\n{run.stderr}\n{running_system.tails()}"
    api = Api(running_system.url, "tinhuy", DEMO_PASSWORD)
    wait_for_reporting(api)
    return api


def wait_for_reporting(api: Api) -> None:
    """Reporting has caught up when the last things the demo wrote (the ratings) are
    counted and two reports a few seconds apart agree."""
    members = sum(len(cell.members) for cell in PROVINCE.cells)
    deadline = time.monotonic() + 120
    previous = None
    while time.monotonic() < deadline:
        figures = api.report(PROVINCE.org_id, f"year:{YEAR}")["figures"]
        done = figures.get("ratings.member.rated") == members and figures.get("sessions.held", 0) >= 3
        if done and figures == previous:
            return
        previous = figures if done else None
        time.sleep(2)
    raise AssertionError(f"reporting did not catch up: {previous or figures}")


@pytest.fixture
def downloads(tmp_path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture
def browser(tmp_path, downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chromium'}",
        "--window-size=1440,1800",
        "--lang=vi",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # Headless Chromium drops downloads unless told where to put them.
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver
    finally:
        driver.quit()


@contextmanager
def screenshot(driver) -> Iterator[None]:
    """The whole page in artifacts/: dashboard.png after a pass, dashboard-failure.png after a failure."""
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        yield
    except BaseException:
        full_page(driver)
        driver.save_screenshot(str(ARTIFACTS / "dashboard-failure.png"))
        raise
    full_page(driver)
    assert driver.save_screenshot(str(ARTIFACTS / "dashboard.png"))
    (ARTIFACTS / "dashboard-failure.png").unlink(missing_ok=True)  # from an earlier run


def full_page(driver) -> None:
    try:
        driver.set_window_size(1440, driver.execute_script("return document.body.scrollHeight") + 40)
    except Exception:  # a page that broke still gets its screenshot at the window's size
        pass


def downloaded(folder: Path, suffix: str, timeout: float = 30) -> Path:
    """The one file Chromium finished downloading into `folder`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done and not any(p.suffix == ".crdownload" for p in folder.iterdir()):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} file was downloaded: {sorted(p.name for p in folder.iterdir())}")


def assert_csv_matches(path: Path, report: dict) -> None:
    """Vietnamese headings, and each metric's total is the report's figure."""
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:4] == ["Chỉ tiêu", "Mã chỉ tiêu", "Tổng", "Trực tiếp"], rows[0]
    totals = {row[1]: float(row[2]) for row in rows[1:]}
    assert totals == {m: float(v) for m, v in report["figures"].items()}
    label = {row[1]: row[0] for row in rows[1:]}
    assert label["sessions.held"] == "Buổi sinh hoạt chuyên đề đã tổ chức"
    assert totals["sessions.held"] == report["figures"]["sessions.held"] >= 3


def by_testid(driver, testid: str):
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def wait_loaded(driver, org_id: str, period: str) -> None:
    WebDriverWait(driver, 30).until(
        lambda d: d.find_element(By.ID, "dash-view").get_attribute("data-loaded") == f"{org_id}|{period}",
        f"the dashboard did not show {org_id} for {period}: {driver.find_element(By.ID, 'status').text}",
    )


def figures_on_page(driver) -> dict[str, float]:
    cells = driver.find_elements(By.CSS_SELECTOR, '[data-testid^="figure-"]')
    return {c.get_attribute("data-metric"): float(c.get_attribute("data-value")) for c in cells}


def assert_page_matches(driver, api: Api, org_id: str, period: str) -> dict:
    report = api.report(org_id, period)
    shown = figures_on_page(driver)
    assert shown == {m: float(v) for m, v in report["figures"].items()}
    figures = report["figures"]
    coverage = f"{figures['sessions.units_held']}/{figures['sessions.units_required']}"
    assert by_testid(driver, "tile-coverage").get_attribute("data-value") == coverage
    for child in report["children"]:
        f = child["figures"]
        bar = by_testid(driver, f"coverage-{child['org_id']}")
        assert bar.get_attribute("data-value") == f"{f['sessions.units_held']}/{f['sessions.units_required']}"
    return report


def test_the_dashboard_shows_what_the_api_reports(running_system, demo_loaded, browser, downloads):
    with screenshot(browser):
        walk_the_dashboard(running_system, demo_loaded, browser, downloads)


def walk_the_dashboard(running_system, api: Api, driver, downloads: Path) -> None:
    year = f"year:{YEAR}"
    district = PROVINCE.districts[0]
    commune = district.communes[0]

    driver.get(f"{running_system.url}/")
    by_testid(driver, "username").send_keys("tinhuy")
    by_testid(driver, "password").send_keys(DEMO_PASSWORD)
    by_testid(driver, "login-submit").click()
    WebDriverWait(driver, 20).until(lambda d: by_testid(d, "node-name").text == PROVINCE.name)
    Select(by_testid(driver, "period-year")).select_by_value(str(YEAR))
    wait_loaded(driver, PROVINCE.org_id, year)
    province = assert_page_matches(driver, api, PROVINCE.org_id, year)
    assert province["figures"]["sessions.held"] >= 3
    assert province["figures"]["ratings.member.rated"] == sum(len(c.members) for c in PROVINCE.cells)
    assert driver.execute_script("return sessionStorage.getItem('dashboard.token')")

    # The export button downloads the same figures as CSV, with Vietnamese headings.
    by_testid(driver, "export-csv").click()
    assert_csv_matches(downloaded(downloads, ".csv"), province)

    # Down the tree: the district, then a commune; the breadcrumb leads back up.
    by_testid(driver, f"child-{district.org_id}").click()
    wait_loaded(driver, district.org_id, year)
    assert_page_matches(driver, api, district.org_id, year)
    by_testid(driver, f"child-{commune.org_id}").click()
    wait_loaded(driver, commune.org_id, year)
    commune_report = assert_page_matches(driver, api, commune.org_id, year)
    crumbs = [c.text for c in by_testid(driver, "breadcrumb").find_elements(By.TAG_NAME, "li")]
    assert crumbs == [PROVINCE.name, district.name, commune.name]

    # A figure opens the records behind it.
    held = commune_report["figures"]["sessions.held"]
    by_testid(driver, "figure-sessions.held").find_element(By.TAG_NAME, "button").click()
    try:
        WebDriverWait(driver, 20).until(
            lambda d: by_testid(d, "drilldown").get_attribute("data-loaded") == "true"
        )
    except TimeoutException:
        pytest.fail(f"the drill-down did not load: {by_testid(driver, 'drilldown-total').text}")
    rows = driver.find_elements(By.CSS_SELECTOR, '[data-testid="drilldown-row"]')
    behind = api.get(f"/api/reports/{commune.org_id}/drill-down", metric="sessions.held", period=year)
    assert len(rows) == len(behind["items"]) == held
    by_testid(driver, "drilldown-close").click()

    # Another period: the quarter of the pilot session.
    by_testid(driver, f"crumb-{PROVINCE.org_id}").click()
    wait_loaded(driver, PROVINCE.org_id, year)
    quarter = (CALENDAR.at(0.22).month - 1) // 3 + 1
    Select(by_testid(driver, "period-kind")).select_by_value("quarter")
    Select(by_testid(driver, "period-part")).select_by_value(str(quarter))
    wait_loaded(driver, PROVINCE.org_id, f"quarter:{YEAR}-{quarter}")
    assert_page_matches(driver, api, PROVINCE.org_id, f"quarter:{YEAR}-{quarter}")

    # Back to the year, in English.
    Select(by_testid(driver, "period-kind")).select_by_value("year")
    wait_loaded(driver, PROVINCE.org_id, year)
    by_testid(driver, "lang-switch").click()
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Themed sessions held" in by_testid(driver, "figures-table").text
    assert_page_matches(driver, api, PROVINCE.org_id, year)
    by_testid(driver, "lang-switch").click()
    assert "Buổi sinh hoạt chuyên đề đã tổ chức" in by_testid(driver, "figures-table").text
