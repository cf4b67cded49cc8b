"""The web page in a real headless browser: Debian's chromium and chromedriver, driven by Selenium.

Uploads the example page and finds the numbers the reader reads on the screen, turns the pages of a PDF,
draws digits on the pad and checks the prediction, and checks the phone layout and keyboard focus.
Screenshots go to test-artifacts/. Nothing is downloaded: the browser is the system's (`make browser-deps`)
and Selenium Manager is kept offline.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from serving_live import live_server

import digitocr
from digitocr.serving import create_app

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
PAGE = Path(digitocr.__file__).parent / "assets" / "examples" / "page.png"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--window-size=1280,1000"]


@pytest.fixture(scope="module")
def base_url():
    with live_server(create_app()) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        pytest.fail(f"no {' or '.join(missing)}: the browser test needs Debian's chromium and chromium-driver "
                    "(make browser-deps, or apt-get install chromium chromium-driver)")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a browser or a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    ARTIFACTS.mkdir(exist_ok=True)
    yield driver
    driver.quit()


def by_id(driver, element_id: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id)


def wait_for_element(driver, element_id: str, timeout: float = 10):
    """The element, once the page has added it (the "not a digit" bar comes after GET /v1/model answers)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.find_elements("id", element_id))[0]


def wait_for_state(driver, section: str, states: tuple[str, ...], timeout: float = 60) -> str:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: by_id(d, section).get_attribute("data-state") in states)
    return by_id(driver, section).get_attribute("data-state")


def screenshot(driver, name: str, full_page: bool = True) -> Path:
    """Save the whole page (the window stretched to its height) as test-artifacts/NAME."""
    size = driver.get_window_size()
    if full_page:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(size["width"], height + 140)  # the window's frame takes some of it
        driver.execute_script("window.scrollTo(0, 0)")
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    driver.set_window_size(size["width"], size["height"])
    return path


def assert_quiet_and_local(driver, base_url: str) -> None:
    """No script error or CSP violation in the console, and every resource loaded came from this server."""
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(u.startswith(base_url) or u.startswith(("data:", "blob:")) for u in loaded), loaded


def open_page(driver, base_url: str, width: int = 1280, height: int = 1000) -> None:
    driver.set_window_size(width, height)
    driver.get(base_url + "/")
    driver.get_log("browser")  # start the console log afresh


def test_upload_the_example_page_and_see_the_numbers(browser, base_url):
    from selenium.webdriver.common.by import By

    expected = digitocr.read(PAGE.read_bytes()).pages[0]
    numbers = [w.text for w in expected.words]
    assert len(numbers) >= 11
    open_page(browser, base_url)
    by_id(browser, "file-input").send_keys(str(PAGE))
    assert wait_for_state(browser, "reader", ("done", "error")) == "done", by_id(browser, "read-error").text
    assert by_id(browser, "text-output").get_attribute("value") == expected.text
    table = [row.text.split(" ")[0] for row in browser.find_elements(By.CSS_SELECTOR, "#numbers tbody tr")]
    assert table == numbers
    on_screen = by_id(browser, "results").text
    for number in numbers:
        assert number in on_screen
    assert by_id(browser, "file-label").text == f"page.png: {len(numbers)} numbers on 1 page"
    assert not by_id(browser, "page-nav").is_displayed() and not by_id(browser, "progress").is_displayed()
    image = by_id(browser, "page-image")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) == 1240
    assert len(browser.find_elements(By.CSS_SELECTOR, "#boxes .box")) == len(numbers)
    assert_quiet_and_local(browser, base_url)
    screenshot(browser, "web_page_read.png")


def test_a_pdf_is_shown_page_by_page(browser, base_url, tmp_path):
    page = Image.open(PAGE).convert("RGB")
    pdf = tmp_path / "two_pages.pdf"
    buf = io.BytesIO()
    page.save(buf, "PDF", save_all=True, append_images=[Image.new("RGB", page.size, "white")], resolution=150)
    pdf.write_bytes(buf.getvalue())
    expected = digitocr.read(buf.getvalue(), dpi=150)
    open_page(browser, base_url)
    browser.find_element("css selector", "details.options summary").click()
    dpi = by_id(browser, "dpi-input")
    dpi.clear()
    dpi.send_keys("150")
    by_id(browser, "file-input").send_keys(str(pdf))
    assert wait_for_state(browser, "reader", ("done", "error")) == "done", by_id(browser, "read-error").text
    assert by_id(browser, "page-nav").is_displayed()
    assert by_id(browser, "page-label").text == "Page 1 (1 of 2)"
    assert by_id(browser, "text-output").get_attribute("value") == expected.pages[0].text != ""
    assert not by_id(browser, "prev-page").is_enabled()
    by_id(browser, "next-page").click()
    assert by_id(browser, "page-label").text == "Page 2 (2 of 2)"
    assert by_id(browser, "text-output").get_attribute("value") == ""
    assert by_id(browser, "page-caption").text == "Nothing handwritten was found on page 2."
    assert not by_id(browser, "next-page").is_enabled()
    by_id(browser, "prev-page").click()
    assert by_id(browser, "text-output").get_attribute("value") == expected.pages[0].text
    assert_quiet_and_local(browser, base_url)


def test_a_file_that_cannot_be_read_says_why_and_the_next_one_reads(browser, base_url, tmp_path):
    notes = tmp_path / "notes.pdf"
    notes.write_text("not a PDF at all\n")
    open_page(browser, base_url)
    by_id(browser, "file-input").send_keys(str(notes))
    assert wait_for_state(browser, "reader", ("done", "error")) == "error"
    assert by_id(browser, "read-error").text == "Could not read notes.pdf: not an image or PDF this tool can read"
    logged = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert len(logged) == 1 and "/v1/read" in logged[0] and "415" in logged[0]  # the browser's note of the 415
    by_id(browser, "file-input").send_keys(str(PAGE))
    assert wait_for_state(browser, "reader", ("done", "error")) == "done"
    assert not by_id(browser, "read-error").is_displayed()


def draw(driver, strokes: list[list[tuple[int, int]]]) -> None:
    """Each stroke: points relative to the pad's centre, drawn with the mouse button held, in small steps."""
    from selenium.webdriver.common.action_chains import ActionChains

    pad = by_id(driver, "pad")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
    for stroke in strokes:
        actions = ActionChains(driver, duration=15).move_to_element_with_offset(pad, *stroke[0]).click_and_hold()
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
            for _ in range(8):
                actions.move_by_offset((x1 - x0) / 8, (y1 - y0) / 8)
        actions.release().perform()


@pytest.mark.parametrize("digit, strokes", [
    ("1", [[(0, -90), (0, 90)]]),
    ("7", [[(-70, -80), (70, -80), (-20, 90)]]),
    ("4", [[(-20, -90), (-60, 20), (60, 20)], [(30, -60), (30, 95)]]),
])
def test_draw_a_digit_and_see_the_prediction(browser, base_url, digit, strokes):
    from selenium.webdriver.common.by import By

    if not browser.current_url.startswith(base_url):
        open_page(browser, base_url)
    by_id(browser, "clear-pad").click()
    assert by_id(browser, "pad-section").get_attribute("data-state") == "empty"
    assert by_id(browser, "prediction").get_attribute("data-digit") == ""
    draw(browser, strokes)
    assert wait_for_state(browser, "pad-section", ("done", "error"), timeout=20) == "done"
    assert by_id(browser, "prediction").get_attribute("data-digit") == digit
    # The shipped model has the eleventh output: an eleventh bar, "not a digit", after the ten; the drawing is a digit.
    not_a_digit_bar = wait_for_element(browser, "bar-not-a-digit")
    bars = browser.find_elements(By.CSS_SELECTOR, "#bars li")
    assert [b.get_attribute("data-digit") for b in bars] == [*(str(d) for d in range(10)), None]
    assert bars[-1] == not_a_digit_bar and not_a_digit_bar.is_displayed()
    assert not_a_digit_bar.find_element(By.CLASS_NAME, "name").text == "not a digit"
    share = float(not_a_digit_bar.find_element(By.CLASS_NAME, "value").text.rstrip("%"))
    assert 0 <= share < 50 and "top" not in not_a_digit_bar.get_attribute("class")
    assert by_id(browser, "prediction").text == digit
    assert by_id(browser, "prediction").get_attribute("data-not-a-digit") is None
    top = browser.find_elements(By.CSS_SELECTOR, "#bars li.top")
    assert [b.get_attribute("data-digit") for b in top] == [digit]
    assert float(top[0].find_element(By.CLASS_NAME, "value").text.rstrip("%")) > 50
    widths = [browser.execute_script("return arguments[0].querySelector('.fill').getBoundingClientRect().width", b)
              for b in bars]
    assert max(widths) == widths[int(digit)] > 0
    assert_quiet_and_local(browser, base_url)
    screenshot(browser, f"web_page_pad_{digit}.png")


def test_a_ten_output_model_gets_no_not_a_digit_bar(browser, tiny_model):
    """Served with a model trained here with ten outputs, the pad has ten bars and the answer is a digit."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with live_server(create_app(model=tiny_model)) as url:
        open_page(browser, url)
        # The page has its GET /v1/model answer (ten classes), so a bar that were due would be there by the end.
        WebDriverWait(browser, 10).until(lambda d: d.execute_script(
            "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/v1/model'))"))
        draw(browser, [[(0, -90), (0, 90)]])
        assert wait_for_state(browser, "pad-section", ("done", "error"), timeout=20) == "done"
        bars = browser.find_elements(By.CSS_SELECTOR, "#bars li")
        assert [b.get_attribute("data-digit") for b in bars] == [str(d) for d in range(10)]
        assert not browser.find_elements(By.ID, "bar-not-a-digit") and "not a digit" not in by_id(browser, "bars").text
        prediction = by_id(browser, "prediction")
        assert prediction.get_attribute("data-digit") in [str(d) for d in range(10)]
        assert prediction.text == prediction.get_attribute("data-digit")
        assert prediction.get_attribute("data-not-a-digit") is None
        assert_quiet_and_local(browser, url)


def test_a_phone_screen_and_the_keyboard(browser, base_url):
    from selenium.webdriver.common.keys import Keys

    open_page(browser, base_url, width=375, height=812)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 375, "it scrolls sideways"
    pad_width = browser.execute_script("return document.getElementById('pad').getBoundingClientRect().width")
    assert 200 <= pad_width <= 375
    # Tab from the top reaches the file picker, and its button shows that it has the focus.
    body = browser.find_element("tag name", "body")
    body.click()
    for _ in range(4):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.switch_to.active_element.get_attribute("id") == "file-input":
            break
    assert browser.switch_to.active_element.get_attribute("id") == "file-input"
    outline = browser.execute_script(
        "return getComputedStyle(document.querySelector('label[for=file-input]')).outlineStyle")
    assert outline == "solid"
    screenshot(browser, "web_page_phone.png")
