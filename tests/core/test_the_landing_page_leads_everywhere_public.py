"""The landing page links what anyone may see without an account — exposure sites and public
statistics — and /favicon.ico leads to the site's icon instead of a 404."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_links_exposure_sites_and_public_statistics(client, places):
    page = client.get("/").content.decode()
    assert 'href="/exposure-sites/"' in page and 'href="/stats/"' in page
    assert client.get("/exposure-sites/").status_code == 200
    assert client.get("/stats/").status_code == 200


def test_it_answers_the_favicon_with_the_icon(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"].endswith("/core/icon.svg")
    assert client.get(answer["Location"]).status_code == 200
