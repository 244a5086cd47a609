"""The suite never reads the wall clock: every test starts at a fixed instant, and
the tests that depend on the time of day run at 00:30 and at 23:50 UTC."""

import pytest
from django.utils import timezone


def test_every_test_starts_on_the_same_afternoon():
    now = timezone.now()
    assert (now.date().isoformat(), now.hour) == ("2026-03-11", 14)


@pytest.mark.any_hour
def test_time_sensitive_tests_run_just_after_and_just_before_midnight(clock_at):
    now = timezone.now()
    assert now.strftime("%H:%M") == clock_at
    assert clock_at in ("00:30", "23:50")
