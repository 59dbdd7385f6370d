"""The check-in page is light for cheap phones on slow networks: under 60 KB on first load
(measured uncompressed, with every stylesheet and script it loads), nothing from elsewhere."""

import re

import pytest
from django.contrib.staticfiles import finders

from vaora.venues import tokens

pytestmark = pytest.mark.django_db


def test_it_keeps_the_check_in_page_and_its_assets_under_60_kb(citizen, tenant_a, signed_in):
    page = signed_in(citizen).get("/V/" + tokens.token_for(tenant_a.venue))
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert {
        "/static/core/vaora.css",
        "/static/visits/queue.js",
        "/static/visits/checkin.js",
    } <= set(assets)
    total = len(page.content) + sum(
        len(open(finders.find(a.removeprefix("/static/")), "rb").read()) for a in assets
    )
    assert total < 60 * 1024, total
    assert not re.search(r'(?:src|href)="https?://', html)
