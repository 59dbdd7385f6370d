"""A new route cannot ship untested for cross-tenant access: every page route with an object id
and every API operation with an id in its path must be in the scoping matrix
(tests/scoping.py — ENDPOINTS, CHANGES or ATTACKS), or named there as holding no tenant's
object."""

import re

import pytest
from django.urls import URLResolver, get_resolver, resolve

from tests import scoping
from tests.tenant_objects import objects_of

pytestmark = pytest.mark.django_db


def _page_routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _page_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _key(method: str, url: str, api_paths: list[str]) -> str:
    path = url.split("?", 1)[0]
    if path.startswith("/api/v1/"):
        verb = "POST" if method in ("post_form", "post_file") else method.upper()
        for template in api_paths:
            pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
            if re.match(pattern.replace(r"\{", "{").replace(r"\}", "}"), path):
                return f"{verb} {template}"
        return f"{verb} {path} (no such operation)"
    return "PAGE " + resolve(path).route


def test_it_finds_every_route_with_an_id_in_the_matrix(client, tenant_a):
    spec = client.get("/api/v1/openapi.json").json()
    # The most literal template first (".../members/import" before ".../members/{id}"), then
    # the longest.
    api_paths = sorted(spec["paths"], key=lambda path: (path.count("{"), -len(path)))
    wanted = {"PAGE " + r for r in _page_routes(get_resolver().url_patterns) if "<id:" in r}
    wanted |= {f"{verb.upper()} {path}" for path, operations in spec["paths"].items()
               if "{" in path for verb in operations}  # fmt: skip
    objects = objects_of(tenant_a, "a")
    covered = set(scoping.NOT_TENANT_OBJECTS)
    covered |= {_key("get", e.url(tenant_a), api_paths) for e in scoping.ENDPOINTS}
    covered |= {_key(c.method, c.url(tenant_a), api_paths) for c in scoping.CHANGES}
    covered |= {_key(a.method, a.url(objects), api_paths) for a in scoping.ATTACKS}
    assert sorted(wanted - covered) == []
    assert sorted(c for c in covered if "(no such operation)" in c) == []
