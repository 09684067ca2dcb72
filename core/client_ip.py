"""The address a request came from, through the reverse proxies this installation trusts.

Each proxy appends the address it received the request from to X-Forwarded-For, so with PROXY_COUNT
proxies in front of the app the client is the PROXY_COUNT-th address from the right; anything left of
it was written by the client and is not believed. Without proxies the header is ignored.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    proxies = settings.PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if not proxies:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < proxies:
        return remote  # not through all our proxies: only the direct peer is known
    candidate = chain[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
