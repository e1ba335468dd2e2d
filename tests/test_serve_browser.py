"""The server's pages in a real browser: headless Chromium (Debian's) driven by Playwright, at a
phone's width and without JavaScript; the QR code read back with zxing-cpp."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from servekit import PASSWORD, Running, roster_with_store, serving

from calendars.tokens import FeedKey, Tokens
from server import ServeConfig

BASE = "https://roster.example.org/xingwang/feeds"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}

playwright_api = pytest.importorskip("playwright.sync_api")
zxingcpp = pytest.importorskip("zxingcpp")
Image = pytest.importorskip("PIL.Image")

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: .ci/run installs Debian's chromium", allow_module_level=True
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Running, Path]]:
    folder = tmp_path_factory.mktemp("browser") / "兴旺社区"
    location = roster_with_store(folder)
    with serving(ServeConfig(folder=folder, db=location, base_url=BASE, poll=0.05)) as running:
        yield running, folder


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


def decode_qr(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png)).convert("L")
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_worker_page_on_a_phone(
    served: tuple[Running, Path], browser: object, tmp_path: Path
) -> None:
    running, folder = served
    token = Tokens(folder).token(FeedKey("person", "p03"))
    feed_url = f"{BASE}/people/{token}.ics"
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=PHONE, device_scale_factor=2, java_script_enabled=False, locale="zh-CN"
    )
    page = context.new_page()
    response = page.goto(f"{running.url}/people/{token}")
    assert response.status == 200
    page.screenshot(path=str(tmp_path / "worker-360.png"), full_page=True)
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    title = page.locator("h1").inner_text()
    assert title == "王芳的值班"
    next_duty = page.locator("#next")
    assert next_duty.is_visible()
    text = next_duty.inner_text()
    assert "2月3日 周一 22:00" in text and "小区北门" in text and "李明" in text
    # The next duty comes before the week's list and the subscribe buttons.
    box = next_duty.bounding_box()
    assert box is not None and box["y"] < page.locator("#subscribe").bounding_box()["y"]
    assert page.locator("#feed-url").get_attribute("href") == feed_url
    assert (
        page.locator("#subscribe").get_attribute("href") == "webcal://" + feed_url.split("://")[1]
    )
    qr = page.locator("#qr svg")
    qr.scroll_into_view_if_needed()
    shot = qr.screenshot(path=str(tmp_path / "worker-qr.png"))
    assert decode_qr(shot) == [feed_url]
    # The printable view keeps the duties and the QR code, without the buttons.
    page.goto(f"{running.url}/people/{token}?print=1")
    assert page.locator("#subscribe").count() == 0
    assert decode_qr(page.locator("#qr svg").screenshot()) == [feed_url]
    page.emulate_media(media="print")
    page.screenshot(path=str(tmp_path / "worker-print.png"), full_page=True)
    context.close()


def test_worker_page_in_english_for_an_english_browser(
    served: tuple[Running, Path], browser: object
) -> None:
    running, folder = served
    token = Tokens(folder).token(FeedKey("person", "p04"))
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=PHONE, java_script_enabled=False, locale="en-US"
    )
    page = context.new_page()
    page.goto(f"{running.url}/people/{token}")
    assert page.locator("h1").inner_text() == "Duties of Zhao Lei"
    assert page.locator("h2").first.inner_text() == "Next duty"
    context.close()


def test_coordinator_pages_need_the_password_in_the_browser(
    served: tuple[Running, Path], browser: object, tmp_path: Path
) -> None:
    running, folder = served
    anonymous = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    assert anonymous.request.get(f"{running.url}/coordinator").status == 401
    # Headless Chromium cancels the sign-in prompt: the page is never shown.
    with pytest.raises(playwright_api.Error, match="ERR_INVALID_AUTH_CREDENTIALS"):
        anonymous.new_page().goto(f"{running.url}/coordinator")
    anonymous.close()
    wrong = browser.new_context(  # type: ignore[attr-defined]
        java_script_enabled=False,
        http_credentials={"username": "马书记", "password": "nope-nope-nope"},
    )
    refused = wrong.new_page()
    assert refused.goto(f"{running.url}/coordinator").status == 401
    assert "24小时值班" not in refused.content()
    wrong.close()
    signed_in = browser.new_context(  # type: ignore[attr-defined]
        viewport=PHONE,
        java_script_enabled=False,
        locale="zh-CN",
        http_credentials={"username": "马书记", "password": PASSWORD},
    )
    page = signed_in.new_page()
    response = page.goto(f"{running.url}/coordinator?day=2020-02-04")
    assert response.status == 200
    assert "24小时值班" in page.locator("#today").inner_text()
    page.screenshot(path=str(tmp_path / "coordinator.png"), full_page=True)
    page.click("text=打印全部订阅二维码")
    assert page.url.endswith("/coordinator/links")
    codes = page.locator(".card .qr svg")
    assert codes.count() == 5 + 3 + 1
    first = codes.first
    first.scroll_into_view_if_needed()
    token = Tokens(folder).token(FeedKey("person", "p01"))
    assert decode_qr(first.screenshot()) == [f"{BASE}/people/{token}.ics"]
    page.screenshot(path=str(tmp_path / "links.png"), full_page=True)
    signed_in.close()
