"""Load shedding seen from the phone: the server answers the offline queue's sync with 503 and
Retry-After; the phone sends nothing more until then — not on the online event, not when asked
again — and then sends by itself, once, and the visit arrives."""

import time

import pytest

from tests.browser.test_citizen_in_a_real_browser import sign_up
from vaora.venues import tokens
from vaora.visits.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)
RETRY_AFTER = 3


def wait_for(page, condition, seconds=10) -> bool:
    """Waits in Playwright's own loop: the route handler below runs only while Playwright does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(100)
    return False


def test_the_phone_waits_as_long_as_the_server_asks(page, tenant_a):
    poster = "/V/" + tokens.token_for(tenant_a.venue)
    sign_up(page, poster, tenant_a.commune.pk)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.context.set_offline(True)
    page.goto(poster)
    page.get_by_role("button", name="Khai báo VÀO").click()
    page.get_by_text("Đã lưu trên điện thoại").first.wait_for()
    sent_at = []

    def answer(route):
        sent_at.append(time.monotonic())
        if len(sent_at) == 1:
            route.fulfill(status=503, headers={"Retry-After": str(RETRY_AFTER)},
                          content_type="application/json",
                          body='{"code": "try_again", "message": "busy"}')  # fmt: skip
        else:
            route.continue_()

    page.context.route("**/api/v1/visits/sync", lambda route: answer(route))
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    assert wait_for(page, lambda: len(sent_at) == 1)
    refused = page.evaluate("window.vaoraQueue.flush().then(() => 0, e => e.retryAfter)")
    assert 1 <= refused <= RETRY_AFTER + 1  # asked again at once: told to wait (with jitter)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(500)
    assert len(sent_at) == 1 and not Visit.rows.exists()
    assert wait_for(page, lambda: Visit.rows.exists(), seconds=RETRY_AFTER + 10)  # by itself, later
    assert sent_at[1] - sent_at[0] >= RETRY_AFTER
    assert Visit.rows.count() == 1
