"""Real-browser tests: Playwright drives Debian's Chromium (no browser download) against the
live test server. Where Chromium is missing they are skipped loudly — and fail under CI=true."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the test still reads the database
# directly, which Django would otherwise refuse from a thread with a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium_path() -> str | None:
    return (
        os.environ.get("VAORA_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def require_chromium() -> str:
    """Chromium's path; without it the test is skipped loudly, or fails under CI=true."""
    path = chromium_path()
    if path is None:
        message = "Chromium not found: real-browser tests cannot run (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser():
    path = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                  viewport={"width": 390, "height": 844})  # fmt: skip
    context.set_default_timeout(15000)
    opened = context.new_page()
    yield opened
    context.close()


def write_y4m(image, path, width=640, height=480, frames=20) -> None:
    """A Y4M (YUV 4:2:0) clip showing `image` centred on white, as a phone camera would see it:
    what Chromium's fake camera (--use-file-for-fake-video-capture) plays."""
    from PIL import Image

    frame = Image.new("RGB", (width, height), "white")
    frame.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
    y, u, v = frame.convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = y.tobytes() + u.resize(half).tobytes() + v.resize(half).tobytes()
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + planes)
