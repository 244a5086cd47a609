"""The standing personas: a therapist, a colleague in the same clinic, a
therapist of another clinic, a patient with a portal login and another patient."""

from datetime import UTC, datetime

import pytest
import time_machine

from tests.factories import (
    PASSWORD,
    make_clinic,
    make_long_extension_program,
    make_patient,
    make_therapist,
    sign_in_verified,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every persona's password is hashed at setup; a fast hasher keeps the suite
    quick. Production keeps Django's default hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The instant every test starts at: a Wednesday afternoon. Tests marked `any_hour`
# run instead just after midnight and just before midnight, where "today",
# "yesterday" and "n days ago" are easiest to get wrong.
FROZEN_DAY = (2026, 3, 11)
DEFAULT_HOUR = "14:00"
ANY_HOUR = ["00:30", "23:50"]


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("any_hour"):
        metafunc.parametrize("clock_at", ANY_HOUR)


@pytest.fixture
def clock_at() -> str:
    return DEFAULT_HOUR


@pytest.fixture(autouse=True)
def frozen_clock(request, clock_at):
    """No test depends on the wall clock: the clock starts at a fixed instant and
    ticks from there. Browser tests keep the real clock, because Chromium drops
    cookies that the server stamped with an expiry in the browser's past."""
    if request.node.get_closest_marker("browser"):
        yield None
        return
    hour, minute = (int(part) for part in clock_at.split(":"))
    start = datetime(*FROZEN_DAY, hour, minute, tzinfo=UTC)
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
QUEUED_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Tasks (emails, handout renders) run inline, so a test sees their outcome at once.
    The worker's own tests put the database queue back (`queued_tasks`)."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def queued_tasks(settings):
    settings.TASKS = QUEUED_TASKS


@pytest.fixture(autouse=True)
def handouts_rendered_on_demand(settings):
    """An activation does not render its six handout copies inline (the immediate task
    backend would, in the activating request): the tests of rendering ahead ask for it
    with `render_ahead`."""
    settings.HANDOUTS_RENDER_AHEAD = False


@pytest.fixture
def render_ahead(settings):
    settings.HANDOUTS_RENDER_AHEAD = True


@pytest.fixture
def handout_store(settings, tmp_path):
    """The private folder the worker stores handout PDFs in, under tmp_path (and
    MEDIA_ROOT, the public one, beside it). Returns the folder of the copies."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "handouts": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private" / "handouts"


@pytest.fixture(autouse=True)
def _fresh_attempt_counts():
    """Reset and activation limits count in the cache, which outlives a test's database."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """A request through the test client activates its language in the test's own
    thread (a server does so on the request's thread), so the next test would run
    in it: a Spanish page left the following test reading Spanish names."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def redis_url():
    """A Redis database of this test run's own, emptied before and after: one per
    parallel worker (gw0 uses db 5, gw1 db 6...), so two tests never empty each
    other's counters."""
    import os

    import redis

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    base = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
    url = f"{base}/{5 + int(worker or 0)}"
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {url}")
    yield url
    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def clinic(db):
    return make_clinic("Harbour Physio", "harbour")


@pytest.fixture
def other_clinic(db):
    return make_clinic("Hillside Spine Care", "hillside")


@pytest.fixture
def therapist(clinic):
    return make_therapist(clinic, "tess", admin=True)


@pytest.fixture
def colleague(clinic):
    return make_therapist(clinic, "colin")


@pytest.fixture
def other_clinic_therapist(other_clinic):
    return make_therapist(other_clinic, "olga", admin=True)


@pytest.fixture
def patient(clinic):
    return make_patient(clinic, login="paula", first_name="Paula", last_name="Jones")


@pytest.fixture
def other_patient(clinic):
    return make_patient(clinic, login="oscar", first_name="Oscar", last_name="Brown")


@pytest.fixture
def other_clinic_patient(other_clinic):
    return make_patient(other_clinic, first_name="Hilda", last_name="Stone")


@pytest.fixture
def prescription(patient, therapist):
    """Paula's active program on the extension progression: seven exercises (the
    extension steps to the press-up, the lateral branch and standing extension), a long
    program that the handout, portal and API tests print and log."""
    return make_long_extension_program(patient, therapist)


@pytest.fixture
def item(prescription):
    """The first exercise of Paula's program."""
    return prescription.items.select_related("exercise").order_by("position").first()


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def patient_client(client, patient):
    client.force_login(patient.user)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's superuser client, verified by the code step: the Django admin
    lets in nobody else."""
    sign_in_verified(client, admin_user)
    return client
