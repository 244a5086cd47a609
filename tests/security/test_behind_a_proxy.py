"""Client addresses behind a real reverse proxy: nginx, started here on 127.0.0.1
in front of the live server, appends the address it got each request from to
X-Forwarded-For (what a client writes there itself is kept, and must not count).

Clients connect from different loopback addresses (127.0.0.2, 127.0.0.3), so the
app sees nginx's address as REMOTE_ADDR and each client only in the header.
On CI (CI=true) a missing nginx fails the run; elsewhere these tests are skipped.
"""

import os
import re
import shutil
import socket
import subprocess
import time

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3 import PoolManager

from clinics.models import AuditEvent

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def proxy(live_server, tmp_path, settings):
    """nginx on 127.0.0.1 in front of the live server; the app trusts one proxy."""
    if not os.path.exists(NGINX):
        reason = "nginx not found: apt-get install -y nginx-light"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    settings.PROXY_COUNT = 1
    port = _free_port()
    upstream = live_server.url.removeprefix("http://")
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"""
daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp_path}/body;
  proxy_temp_path {tmp_path}/proxy;
  fastcgi_temp_path {tmp_path}/fastcgi;
  uwsgi_temp_path {tmp_path}/uwsgi;
  scgi_temp_path {tmp_path}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://{upstream};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
"""
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        if process.poll() is not None:
            pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


class _FromAddress(HTTPAdapter):
    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, connections, maxsize, block=False, **kwargs):
        self.poolmanager = PoolManager(
            num_pools=connections, maxsize=maxsize, block=block, source_address=(self.source, 0)
        )


def client_at(source: str) -> requests.Session:
    """A browser-like session whose connections leave from `source`."""
    session = requests.Session()
    session.mount("http://", _FromAddress(source))
    return session


def sign_in(session, base, username, password, forged="198.51.100.7"):
    page = session.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"X-Forwarded-For": forged},  # what a client may write; never trusted
        allow_redirects=False,
    )


def test_lockout_and_audit_follow_the_client_not_the_proxy_or_a_forged_header(
    proxy, therapist, password, settings
):
    attacker, tess = client_at("127.0.0.2"), client_at("127.0.0.3")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, proxy, "tess", "wrong-password", forged=f"203.0.113.{attempt}")
    assert sign_in(attacker, proxy, "tess", password).status_code == 429

    response = sign_in(tess, proxy, "tess", password)

    assert response.status_code == 302  # the real user, elsewhere, is not locked out
    failed = set(AuditEvent.objects.filter(action="login_failed").values_list("ip", flat=True))
    assert failed == {"127.0.0.2"}
    assert AuditEvent.objects.get(action="login").ip == "127.0.0.3"


def test_the_reset_limit_counts_per_client_behind_the_proxy(proxy, therapist, settings):
    settings.PASSWORD_RESET_PER_IP_PER_HOUR = 2

    def reset(session, email):
        page = session.get(f"{proxy}/accounts/password_reset/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return session.post(
            f"{proxy}/accounts/password_reset/",
            data={"csrfmiddlewaretoken": token, "email": email},
            headers={"X-Forwarded-For": "203.0.113.9"},
            allow_redirects=False,
        )

    flooder, someone = client_at("127.0.0.2"), client_at("127.0.0.3")
    assert [reset(flooder, f"a{n}@example.test").status_code for n in range(3)] == [302, 302, 429]
    assert reset(someone, "tess@example.test").status_code == 302
