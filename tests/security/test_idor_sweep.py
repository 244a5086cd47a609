"""Every URL that names a record, taken from the resolver, asked for by someone who
may not see that record: another clinic's therapist, another patient of the same
clinic, another clinic's API key, and an anonymous visitor. None may get it.

A new URL is swept without anyone adding it here; a URL whose parameters the sweep
cannot map to a record fails with the reason, until someone says what it names."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import create_api_key
from patients.models import Patient
from tests.factories import make_user, sign_in_verified
from tests.security.conftest import Route, Unclassified, all_routes, is_object_route, object_url

# Where someone who may not open a page is sent instead: signing in, or their own home.
ELSEWHERE = {reverse(settings.LOGIN_URL), "/admin/login/", "/", "/portal/", "/patients/"}

# Records that every clinic shares, so only a visitor without credentials is refused.
SHARED = {"/api/v1/progressions/": "the built-in progressions are the same for every clinic"}


def object_routes() -> list[Route]:
    return [route for route in all_routes() if is_object_route(route)]


def key_client(clinic) -> APIClient:
    _key, secret = create_api_key(clinic=clinic, name="Sweep")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


@pytest.fixture
def urls(records) -> dict[str, Route]:
    return {object_url(route, records): route for route in object_routes()}


def refused(response, method: str) -> bool:
    """Not the record: an error, or (for GET, or a visitor who must sign in) a redirect
    to a sign-in page or the asker's own home."""
    if response.status_code in (401, 403, 404, 405):
        return True
    if 300 <= response.status_code < 400:
        return urlsplit(response["Location"]).path in ELSEWHERE
    return False


def test_every_url_pattern_can_be_classified():
    for route in all_routes():
        is_object_route(route)  # raises Unclassified with the reason


def test_a_url_with_a_parameter_nobody_classified_fails_with_the_reason():
    route = Route(path="patients/<int:patient_pk>/notes/<int:note_id>/", name="x", params=[])
    route.params = ["patient_pk", "note_id"]
    with pytest.raises(Unclassified, match="<note_id> is unknown"):
        is_object_route(route)


def test_a_pk_under_an_unknown_path_segment_fails_with_the_reason(records):
    route = Route(path="invoices/<int:pk>/", name="invoice", params=["pk"])
    with pytest.raises(Unclassified, match="cannot tell which record <pk> names"):
        object_url(route, records)


def test_the_sweep_reaches_the_object_urls_of_every_surface(urls):
    names = {route.name.split(":")[0] for route in urls.values()}
    assert {"patients", "prescriptions", "portal", "api", "fhir", "handouts", "admin"} <= names
    assert len(urls) > 30


@pytest.fixture
def owners(records, therapist, patient, clinic):
    """Who may see the records: the ids are real and reachable, so a refusal below
    means the asker, not a bad id."""
    superuser = make_user("root", is_staff=True, is_superuser=True)
    clients = []
    for user in (therapist, patient.user):
        client = APIClient()
        client.force_login(user)
        clients.append(client)
    admin = APIClient()
    sign_in_verified(admin, superuser)  # the admin lets in only staff verified by a code
    return [*clients, admin, key_client(clinic)]


def test_each_record_is_reachable_by_someone_who_may_see_it(urls, owners):
    unreached = []
    for url in urls:
        answers = [owner.get(url).status_code for owner in owners]
        if all(status == 404 for status in answers):
            unreached.append(url)
    assert unreached == []


@pytest.fixture
def intruders(other_clinic, other_clinic_therapist, other_patient):
    therapist, patient = APIClient(), APIClient()
    therapist.force_login(other_clinic_therapist)
    patient.force_login(other_patient.user)
    return {
        "another clinic's therapist": therapist,
        "another patient": patient,
        "another clinic's API key": key_client(other_clinic),
        "anonymous": APIClient(),
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_else_gets_a_record_by_its_url(method, urls, intruders, records):
    patient = records["patient"]
    before = Patient.objects.filter(pk=patient.pk).values().get()
    leaks = []
    for url in urls:
        for who, client in intruders.items():
            if who != "anonymous" and url.startswith(tuple(SHARED)):
                continue
            response = getattr(client, method)(url)
            if not refused(response, method) or patient.last_name.encode() in response.content:
                leaks.append(f"{method.upper()} {url} as {who}: {response.status_code}")
    assert leaks == []
    # Nothing was changed by the refused writes either.
    assert Patient.objects.filter(pk=patient.pk).values().get() == before
    alert = records["alert"]
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
