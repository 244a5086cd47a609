"""Sending webhook events: where the worker may connect, the signature, and the order.

Each patient's events reach an endpoint one at a time, oldest first: the next waits
until the one before it is delivered or given up. A delivery is tried again after a
failure (a timeout, a refused address, any answer but 2xx), waiting longer each time,
until `settings.WEBHOOK_ATTEMPTS` attempts. See docs/webhooks.md.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from .models import Delivery

logger = logging.getLogger(__name__)

# How many events of one queue one run of the task sends before it makes way.
BATCH = 100


class UnsafeDestination(Exception):
    """The URL may not be called: wrong scheme, unknown host or a private address."""


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def check_destination(url: str) -> list[str]:
    """The addresses `url` resolves to, each checked; raises UnsafeDestination.

    Only https, and only public addresses, unless `settings.WEBHOOK_ALLOW_PRIVATE`:
    otherwise a clinic administrator could make the worker call the servers beside it.
    Every address of the host is checked, since a connection may use any of them.
    """
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE
    parts = urlsplit(url)
    schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in schemes:
        raise UnsafeDestination(_("The URL must start with https://."))
    if parts.username or parts.password:
        raise UnsafeDestination(_("The URL may not contain a user name or password."))
    host = parts.hostname
    if not host:
        raise UnsafeDestination(_("The URL has no host name."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError) as error:
        raise UnsafeDestination(_("The host name could not be resolved.")) from error
    addresses = []
    for *_rest, sockaddr in found:
        text = str(sockaddr[0]).split("%")[0]
        address = ipaddress.ip_address(text)
        if not allow_private and not _is_public(address):
            raise UnsafeDestination(
                _("The host resolves to a private, loopback or link-local address (%(address)s).")
                % {"address": text}
            )
        addresses.append(text)
    if not addresses:
        raise UnsafeDestination(_("The host name could not be resolved."))
    return list(dict.fromkeys(addresses))


def signed_headers(*, secret: str, webhook_id: str, body: str, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers: the id, the time and `v1,<HMAC-SHA256>` of
    `id.timestamp.body` under the endpoint's secret, made by the `standardwebhooks`
    library."""
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, at, body),
    }


def body_of(delivery: Delivery) -> str:
    return json.dumps(delivery.event.payload, separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    error: str = ""


def post(delivery: Delivery, *, now: datetime) -> Answer:
    """One attempt: check where the URL leads, then POST the signed event there.

    The connection goes to an address that was checked (with the host name for TLS
    and the Host header), so a name that resolves to another address a moment later
    cannot lead the worker elsewhere; when one address cannot be reached (an IPv6
    address on a network without IPv6), the next is tried."""
    endpoint = delivery.endpoint
    try:
        addresses = check_destination(endpoint.url)
    except UnsafeDestination as refused:
        return Answer(None, str(refused))
    parts = urlsplit(endpoint.url)
    body = body_of(delivery)
    headers = {
        **signed_headers(
            secret=endpoint.secret, webhook_id=delivery.event.webhook_id, body=body, at=now
        ),
        "content-type": "application/json",
        "user-agent": "Centra-Webhooks/1",
        "host": parts.netloc,
    }
    error: httpx.HTTPError | None = None
    with httpx.Client(timeout=settings.WEBHOOK_TIMEOUT_SECONDS, follow_redirects=False) as http:
        for address in addresses:
            literal = f"[{address}]" if ":" in address else address
            netloc = f"{literal}:{parts.port}" if parts.port else literal
            target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
            try:
                response = http.post(
                    target,
                    content=body.encode(),
                    headers=headers,
                    extensions={"sni_hostname": parts.hostname or ""},
                )
            except httpx.ConnectError as refused:
                error = refused
                continue
            except httpx.HTTPError as failed:
                error = failed
                break
            code = response.status_code
            if 200 <= code < 300:
                return Answer(code)
            return Answer(code, _("The endpoint answered %(code)s.") % {"code": code})
    return Answer(None, f"{type(error).__name__}: {error}")


def lease() -> timedelta:
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 30)


def deliver_queue(
    *, endpoint_id: int, patient_id: int | None, now: datetime | None = None
) -> datetime | None:
    """Send what is due in one patient's queue at one endpoint, oldest first.

    Stops at the first failure, so the events after it wait; returns when to run again
    (the failed one's next attempt, or now after a full batch), or None when nothing
    is left to this run (the queue is empty, waits, or another worker holds it).
    """
    queue = Delivery.objects.pending().filter(endpoint_id=endpoint_id, patient_id=patient_id)
    for _sent in range(BATCH):
        moment = now or timezone.now()
        head = queue.select_related("event", "endpoint").order_by("event_id").first()
        if head is None or head.next_attempt_at > moment:
            return None
        claimed = (
            Delivery.objects.pending()
            .filter(pk=head.pk)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=moment))
            .update(claimed_until=moment + lease())
        )
        if not claimed:
            return None
        answer = post(head, now=moment)
        head.record_attempt(now=moment, status_code=answer.status_code, error=answer.error)
        if head.status == Delivery.Status.PENDING:
            logger.warning(
                "Webhook %s to endpoint %s failed (attempt %d): %s",
                head.event.webhook_id,
                endpoint_id,
                head.attempts,
                answer.error,
            )
            return head.next_attempt_at
    return now or timezone.now()  # more than a batch: go on in the next run


def due_queues(now: datetime | None = None) -> list[tuple[int, int | None]]:
    """The queues whose oldest waiting event is due and held by no worker."""
    now = now or timezone.now()
    return list(
        Delivery.objects.pending()
        .filter(next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .values_list("endpoint_id", "patient_id")
        .distinct()
        .order_by()
    )
