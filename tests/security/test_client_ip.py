"""Which address counts as the client's, for each number of trusted proxies."""

import pytest
from django.test import RequestFactory

from clinics.client_ip import client_ip

FORGED_THEN_REAL = "6.6.6.6, 203.0.113.5"


def request_from(remote="127.0.0.1", forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.PROXY_COUNT = 0
    assert client_ip(request_from("192.0.2.4", FORGED_THEN_REAL)) == "192.0.2.4"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, FORGED_THEN_REAL, "203.0.113.5"),  # what our proxy appended, not the forgery
        (1, "203.0.113.5", "203.0.113.5"),
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, None, None),  # not through the proxy: no address rather than the proxy's
    ],
)
def test_behind_proxies_the_client_is_the_address_our_proxies_appended(
    settings, proxies, forwarded, expected
):
    settings.PROXY_COUNT = proxies
    assert client_ip(request_from(forwarded=forwarded)) == expected


def test_another_header_can_be_named(settings):
    settings.PROXY_COUNT, settings.CLIENT_IP_HEADER = 1, "X-Real-IP"
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.8")
    assert client_ip(request) == "203.0.113.8"
