import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


# As secrets.token_urlsafe(50) makes one (fixed here, so the tests repeat).
GOOD_KEY = "Qm3vX9-tLp2RzK8wYb4NcJ7hFd1GsA6eUo0iVq5_TxPn8MyBa3WkDr2Zf7Hj4Lc9Se"
GOOD_AUDIT_KEY = "another-long-random-secret-for-the-audit-log"
SETTINGS_VARIABLES = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CENTRA_ENV",
    "DEBUG",
    "SITE_URL",
    "AUDIT_KEY",
    "CENTRA_SERVING",
}


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def _production(**env: str) -> subprocess.CompletedProcess:
    settings = {
        "CENTRA_ENV": "production",
        "SECRET_KEY": GOOD_KEY,
        "AUDIT_KEY": GOOD_AUDIT_KEY,
        "ALLOWED_HOSTS": "centra.example.org",
        "SITE_URL": "https://centra.example.org",
        **env,
    }
    return _run("import django; django.setup(); print('started')", **settings)


def test_production_starts_with_a_complete_configuration():
    result = _production()
    assert result.stdout.strip() == "started", result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _production(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _production(SECRET_KEY="short")
    assert result.returncode != 0
    assert "shorter than 50 characters" in result.stderr


def test_production_refuses_a_long_secret_key_made_of_few_characters():
    for key in ("ab" * 40, "abcde" * 10 + "abcde"):
        result = _production(SECRET_KEY=key)
        assert result.returncode != 0
        assert "fewer than 20 different characters" in result.stderr


def test_production_refuses_a_secret_key_that_repeats_a_pattern():
    result = _production(SECRET_KEY="abcdefghijklmnopqrstuvwxyz" * 3)
    assert result.returncode != 0
    assert "it repeats a pattern" in result.stderr


def test_production_refuses_the_published_development_keys():
    for key in (
        "django-insecure-centra-local-development-key-not-for-production",
        "django-insecure-" + GOOD_KEY,
    ):
        result = _production(SECRET_KEY=key)
        assert result.returncode != 0
        assert "published development key" in result.stderr


def test_production_refuses_any_host():
    result = _production(ALLOWED_HOSTS="centra.example.org,*")
    assert result.returncode != 0
    assert "not '*'" in result.stderr


def test_an_unset_environment_refuses_to_serve_unless_debug_says_it_is_a_local_run():
    serve = "import config.wsgi; print('started')"
    result = _run(serve)
    assert result.returncode != 0
    assert "CENTRA_ENV is not set" in result.stderr
    assert "CENTRA_ENV is not set" in _run("import config.asgi").stderr
    result = _run(
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.PRODUCTION)",
        DEBUG="1",
        CENTRA_SERVING="1",
    )
    assert result.stdout.strip() == "False", result.stderr


def test_the_worker_refuses_to_start_without_an_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "run_worker", "--help"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "CENTRA_ENV is not set" in result.stderr


def test_other_commands_without_an_environment_warn_loudly():
    result = _run("import django; django.setup(); print('started')")
    assert result.stdout.strip() == "started"
    assert "Warning: CENTRA_ENV is not set; running as development" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _production(ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_an_audit_key():
    for key in ("", "short", GOOD_KEY):
        result = _production(AUDIT_KEY=key)
        assert result.returncode != 0
        assert "AUDIT_KEY must be set" in result.stderr


def test_production_refuses_to_start_with_debug_on():
    result = _production(DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_a_plain_http_site_url():
    result = _production(SITE_URL="http://centra.example.org")
    assert result.returncode != 0
    assert "SITE_URL must start with https://" in result.stderr


def test_a_misspelt_environment_refuses_to_start_instead_of_running_as_development():
    result = _run("import django; django.setup(); print('started')", CENTRA_ENV="prod")
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "CENTRA_ENV='prod' is not known" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            # The browser tests allow the ORM under an event loop; production does not.
            **{
                k: v
                for k, v in os.environ.items()
                if k not in SETTINGS_VARIABLES | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
            },
            "CENTRA_ENV": "production",
            "SECRET_KEY": GOOD_KEY,
            "AUDIT_KEY": GOOD_AUDIT_KEY,
            "ALLOWED_HOSTS": "centra.example.org",
            "SITE_URL": "https://centra.example.org",
            # Production runs several workers, so rate limits count in one shared cache.
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_is_off_unless_asked():
    result = _run(
        "from django.conf import settings; print(settings.DEBUG)",
        DEBUG="",
        CENTRA_ENV="development",
    )
    assert result.stdout.strip() == "False"


def test_health_answers_ok_when_the_database_works(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_answers_503_when_the_database_is_unreachable(tmp_path):
    missing = tmp_path / "no-such-dir" / "db.sqlite3"
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz'); print(r.status_code, r.json()['status'])"
    )
    result = _run(code, SQLITE_PATH=str(missing), DATABASE_URL="", CENTRA_ENV="development")
    assert result.stdout.strip() == "503 unavailable", result.stderr


def test_health_accepts_only_get(client, db):
    assert client.post(reverse("healthz")).status_code == 405


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"])
    assert b"Sign in" in page.content
