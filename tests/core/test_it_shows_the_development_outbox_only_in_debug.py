"""A newcomer running `make run` finds the sign-in code on the development outbox page
(/dev/outbox/), linked from the code step; in production the page does not exist."""

import pytest
from django.core import mail
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_it_shows_the_sign_in_code_sent_in_development(client):
    client.post("/signin/", {"phone": "0977 111 222"})
    code_step = client.get("/signin/code/").content.decode()
    assert "/dev/outbox/" in code_step
    page = client.get("/dev/outbox/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "+84977111222" in text and "vaora" in text.lower()


def test_it_shows_the_e_mails_written_in_development(client, tmp_path):
    # One override for all three (mixing the `settings` fixture with an override_settings
    # decorator restores them in the wrong order and leaks DEBUG into later tests).
    with override_settings(
        DEBUG=True,
        EMAIL_FILE_PATH=str(tmp_path),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    ):
        mail.send_mail("Kích hoạt tài khoản", "Đường dẫn: https://x/activate/abc/", "a@b.vn",
                       ["can.bo@nghean.gov.vn"])  # fmt: skip
        text = client.get("/dev/outbox/").content.decode()
    assert "Kích hoạt tài khoản" in text and "/activate/abc/" in text


@override_settings(DEBUG=False)
def test_it_does_not_exist_in_production(client):
    client.post("/signin/", {"phone": "0977 111 222"})
    assert client.get("/dev/outbox/").status_code == 404
    assert "/dev/outbox/" not in client.get("/signin/code/").content.decode()
