"""The address a request came from, the one answer for lockout (django-axes), the
throttles and the audit log.

Behind PROXY_COUNT reverse proxies of our own, each appends the address it got the
request from to CLIENT_IP_HEADER (X-Forwarded-For); the nearest one is
REMOTE_ADDR. So the client is the PROXY_COUNT-th address from the right of the
header: anything further left was written by the client and is not trusted. In
django-ipware's terms the nearest proxy is not in the header, hence
`proxy_count=PROXY_COUNT - 1` (and not strict: a client may send its own header).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def client_ip(request: HttpRequest) -> str | None:
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        ip, _trusted = get_client_ip(request, request_header_order=["REMOTE_ADDR"], strict=False)
    else:
        ip, _trusted = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=[_meta_key(settings.CLIENT_IP_HEADER)],
            strict=False,
        )
    return str(ip) if ip else None
