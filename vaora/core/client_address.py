"""The address a request came from, for per-address limits (threat 28). `X-Forwarded-For` is
believed only when the direct peer is one of VAORA_TRUSTED_PROXIES (default: none): then the
client is the right-most address in it that is not itself a trusted proxy. Anyone else can
write any X-Forwarded-For they like, so for them the header is ignored.

Serve with `uvicorn --no-proxy-headers` (scripts/run.sh, the systemd unit): uvicorn would
otherwise rewrite the peer address from the header itself, trusting 127.0.0.1 by default."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.VAORA_TRUSTED_PROXIES)))


def client_address(meta: dict) -> str | None:
    """From a request's META (Django) — REMOTE_ADDR and HTTP_X_FORWARDED_FOR."""
    peer = meta.get("REMOTE_ADDR") or None
    if peer is None or not _trusted(peer):
        return peer
    hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a proxy we trust wrote nonsense: count it against the proxy
    return peer
