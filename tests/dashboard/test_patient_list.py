"""The patient list: who needs attention now, at a glance."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import AuditEvent
from patients.models import Patient
from prescriptions.models import Alert, Prescription
from prescriptions.services import record_red_flag_check
from prescriptions.summary import refresh_summary
from tests.factories import make_patient, make_prescription

URL = "/patients/"


def rows(response) -> list[str]:
    """The patient names in the order the table shows them."""
    return [patient.full_name for patient in response.context["page"]]


def test_it_lists_the_clinics_patients_with_their_program(therapist_client, prescription):
    response = therapist_client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Jones, Paula" in content
    assert "Extension progression" in content
    assert "v1" in content


def test_it_shows_no_patient_of_another_clinic(therapist_client, patient, other_clinic_patient):
    content = therapist_client.get(URL).content.decode()
    assert "Jones, Paula" in content
    assert "Stone" not in content


@pytest.mark.any_hour
def test_it_shows_last_log_adherence_and_where_the_pain_reaches(
    therapist_client, patient, item, add_log
):
    add_log(patient, item, days_ago=2, location="thigh")
    add_log(patient, item, days_ago=1, location="buttock")
    add_log(patient, item, days_ago=0.01, location="central")
    content = therapist_client.get(URL).content.decode()
    assert "Thigh → Centre of the low back" in content
    assert "centralizing" in content
    row = therapist_client.get(URL).context["page"][0]
    # The program started today: only today's logged session counts.
    assert (row.adherence_figures.week.logged, row.adherence_figures.week.due) == (1, 1)
    assert row.last_log is not None


@pytest.mark.any_hour
def test_adherence_counts_sessions_logged_against_prescribed_over_the_last_seven(
    therapist_client, patient, prescription, item, add_log
):
    Prescription.objects.filter(pk=prescription.pk).update(
        activated_at=timezone.now() - timedelta(days=30)
    )
    prescription.items.update(times_per_day=1, every_hours=None)
    refresh_summary(patient.pk)
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    # Today, twice yesterday (early and late: one session), three days ago, and nine
    # days ago (outside the week): three of the seven daily sessions are logged.
    for logged_at in (
        now - timedelta(minutes=1),
        midnight - timedelta(hours=23, minutes=50),
        midnight - timedelta(minutes=10),
        midnight - timedelta(days=3) + timedelta(hours=12),
        midnight - timedelta(days=9) + timedelta(hours=12),
    ):
        add_log(patient, item, days_ago=(timezone.now() - logged_at).total_seconds() / 86400)
    response = therapist_client.get(URL)
    row = response.context["page"][0]
    assert (row.adherence_figures.week.logged, row.adherence_figures.week.due) == (3, 7)
    content = response.content.decode()
    assert "43%" in content and "3 of 7 sessions" in content
    # The week before: one session of seven. The arrow says better, in words too.
    assert "better than the week before" in content


def test_a_patient_whose_program_started_minutes_ago_is_new_not_red(
    therapist_client, patient, prescription
):
    content = therapist_client.get(URL).content.decode()
    assert "nothing due yet" in content
    assert "badge--danger" not in content


@pytest.mark.hazard("H-12")
def test_it_puts_patients_with_open_alerts_first_urgent_ones_before(
    therapist_client, therapist, clinic, add_log
):
    make_patient(clinic, first_name="Anna", last_name="Able")
    warned = make_patient(clinic, first_name="Wes", last_name="Zed")
    program = make_prescription(warned, therapist)
    add_log(warned, program.items.first(), after="worse")
    urgent = make_patient(clinic, first_name="Uma", last_name="Young")
    record_red_flag_check(patient=urgent, answered_yes=["bladder_bowel"])
    seen = make_patient(clinic, first_name="Bo", last_name="Black")
    add_log(seen, make_prescription(seen, therapist).items.first(), after="worse")
    Alert.objects.get(patient=seen).acknowledge(by=therapist)
    assert rows(therapist_client.get(URL)) == ["Uma Young", "Wes Zed", "Anna Able", "Bo Black"]


def test_it_searches_by_name_and_by_external_id(therapist_client, clinic):
    make_patient(clinic, first_name="Paula", last_name="Jones", external_id="EHR-7")
    make_patient(clinic, first_name="Oscar", last_name="Brown", external_id="EHR-8")
    assert rows(therapist_client.get(URL, {"q": "jon"})) == ["Paula Jones"]
    assert rows(therapist_client.get(URL, {"q": "paula jones"})) == ["Paula Jones"]
    assert rows(therapist_client.get(URL, {"q": "ehr-8"})) == ["Oscar Brown"]
    response = therapist_client.get(URL, {"q": "nobody"})
    assert "No patient matches" in response.content.decode()


@pytest.mark.any_hour
def test_it_sorts_by_name_or_by_the_most_recent_log(therapist_client, therapist, clinic, add_log):
    early = make_patient(clinic, first_name="Ada", last_name="Early")
    late = make_patient(clinic, first_name="Zoe", last_name="Late")
    make_patient(clinic, first_name="Ned", last_name="Never")
    for patient, days_ago in ((early, 3), (late, 1)):
        program = make_prescription(patient, therapist, first=1)
        add_log(patient, program.items.get(), days_ago=days_ago, location="central")
    assert rows(therapist_client.get(URL)) == ["Ada Early", "Zoe Late", "Ned Never"]
    by_log = rows(therapist_client.get(URL, {"sort": "recent_log"}))
    assert by_log == ["Zoe Late", "Ada Early", "Ned Never"]
    longest = rows(therapist_client.get(URL, {"sort": "no_recent_log"}))
    assert longest == ["Ned Never", "Ada Early", "Zoe Late"]


def test_it_hides_archived_patients_unless_asked(therapist_client, clinic):
    make_patient(clinic, first_name="Old", last_name="Case", archived=True)
    make_patient(clinic, first_name="New", last_name="Case")
    assert rows(therapist_client.get(URL)) == ["New Case"]
    assert rows(therapist_client.get(URL, {"archived": "on"})) == ["New Case", "Old Case"]


def test_it_paginates_and_keeps_the_search(therapist_client, clinic):
    for n in range(30):
        make_patient(clinic, first_name=f"Pat{n:02d}", last_name="Many")
    first = therapist_client.get(URL, {"q": "many"})
    assert len(first.context["page"]) == 25
    last = first.context["page"][-1].pk
    assert f"q=many&amp;after={last}" in first.content.decode()
    second = therapist_client.get(URL, {"q": "many", "after": last})
    assert len(second.context["page"]) == 5


def test_an_unknown_sort_or_page_does_not_break_the_list(therapist_client, patient):
    response = therapist_client.get(URL, {"sort": "drop table", "page": "x"})
    assert response.status_code == 200
    assert rows(response) == ["Paula Jones"]


def test_it_audits_who_saw_which_patients(therapist_client, therapist, patient):
    therapist_client.get(URL, {"q": "paula"})
    event = AuditEvent.objects.get(object_type="patient_list")
    assert event.actor == therapist
    assert event.action == AuditEvent.Action.VIEW
    assert event.detail == {"q": "paula", "patients": [patient.pk]}


def test_it_answers_only_get(therapist_client):
    assert therapist_client.post(URL).status_code == 405


def test_it_sends_anonymous_visitors_to_the_login(client, db):
    assert client.get(URL)["Location"] == f"/accounts/login/?next={URL}"


def test_it_sends_a_signed_in_patient_to_their_portal(patient_client):
    assert patient_client.get(URL)["Location"] == reverse("home")


def _make_patients(clinic, therapist, count, add_log):
    for n in range(count):
        patient = make_patient(clinic, first_name=f"P{n}", last_name="Load")
        program = make_prescription(patient, therapist, first=2)
        outcome = add_log(patient, program.items.first(), days_ago=1, after="worse")
        assert outcome.alerts
        add_log(patient, program.items.first(), days_ago=0.1, location="central")


@pytest.mark.parametrize("count", [5, 50])
def test_the_number_of_queries_does_not_grow_with_the_patients(
    therapist_client, therapist, clinic, add_log, django_assert_max_num_queries, count
):
    _make_patients(clinic, therapist, count, add_log)
    therapist_client.get(URL)  # the session's first write after signing in
    # Session, user, therapist, clinic, the page (no count: the overview, adherence
    # included, is stored on the patients), audit; the session is not written within
    # the minute.
    # + the audit chain: lock, head; + the two-step gate; + the navigation's unread messages
    with django_assert_max_num_queries(10):
        response = therapist_client.get(URL)
    assert len(response.context["page"]) == min(count, 25)
    assert Patient.objects.count() == count


def test_each_row_shows_its_alerts_age_last_log_and_a_link_to_the_patient(
    therapist_client, clinic, patient, item, add_log
):
    patient.date_of_birth = timezone.localdate() - timedelta(days=365 * 40 + 30)
    patient.save()
    add_log(patient, item, days_ago=2, after="worse")
    content = therapist_client.get(URL).content.decode()
    assert "40 y" in content
    assert "2\xa0days ago" in content
    assert "1 open" in content
    assert f'href="/patients/{patient.pk}/"' in content
    assert f'href="/patients/{patient.pk}/#alerts"' in content
    assert therapist_client.get(f"/patients/{patient.pk}/").status_code == 200


def test_a_next_page_link_appears_only_when_there_are_more_patients(therapist_client, clinic):
    for n in range(26):
        make_patient(clinic, first_name=f"P{n:02}", last_name="Many")
    first = therapist_client.get(URL)
    assert len(first.context["page"]) == 25
    assert 'rel="prev"' not in first.content.decode()
    last = first.context["page"][-1].pk
    second = therapist_client.get(URL, {"after": last})
    assert rows(second) == ["P25 Many"]
    assert 'rel="next"' not in second.content.decode()
    back = therapist_client.get(URL, {"before": second.context["page"][0].pk})
    assert rows(back) == rows(first)
    assert 'rel="prev"' not in back.content.decode() and 'rel="next"' in back.content.decode()


def test_archived_patients_come_after_the_active_ones_when_shown(therapist_client, clinic):
    make_patient(clinic, first_name="Ada", last_name="Archer", archived=True)
    make_patient(clinic, first_name="Zoe", last_name="Zimmer")
    assert rows(therapist_client.get(URL)) == ["Zoe Zimmer"]
    assert rows(therapist_client.get(URL, {"archived": "on"})) == ["Zoe Zimmer", "Ada Archer"]


def test_what_a_clinic_typed_is_shown_as_text_never_as_markup(therapist_client, therapist, clinic):
    patient = make_patient(
        clinic,
        first_name='<img src=x onerror="alert(1)">',
        last_name="O'Brien & <b>Sons</b>",
        external_id='"><script>x()</script>',
    )
    make_prescription(patient, therapist)
    content = therapist_client.get(URL).content.decode()
    assert "O&#x27;Brien &amp; &lt;b&gt;Sons&lt;/b&gt;, &lt;img src=x" in content
    assert "&quot;&gt;&lt;script&gt;x()&lt;/script&gt;" in content
    assert "<script>x()" not in content and "<b>Sons" not in content


@pytest.mark.parametrize("sort", ["name", "recent_log", "no_recent_log", "newest"])
def test_keyset_pages_walk_every_sort_forward_and_back_without_gaps(
    therapist_client, clinic, therapist, add_log, sort
):
    _make_patients(clinic, therapist, 15, add_log)  # logs and open alerts
    for n in range(40):  # no log yet (empty "last log"), names that tie
        make_patient(clinic, first_name=f"Q{n % 7}", last_name="Tie")
    whole = [p.pk for p in Patient.objects.for_clinic(clinic).active().in_list_order(sort)]
    seen, pages, params = [], [], {"sort": sort}
    while True:
        response = therapist_client.get(URL, params)
        page = response.context["page"]
        seen += [patient.pk for patient in page]
        pages.append(response)
        if not page.has_next:
            break
        params = {"sort": sort, "after": page.last_id}
    assert seen == whole
    # And back from the last page to the first.
    page = pages[-1].context["page"]
    back = []
    while page.has_previous:
        page = therapist_client.get(URL, {"sort": sort, "before": page.first_id}).context["page"]
        back = [patient.pk for patient in page] + back
    assert back == whole[: len(whole) - len(pages[-1].context["page"])]


def test_a_deep_page_costs_the_queries_of_the_first(
    therapist_client, therapist, clinic, add_log, django_assert_max_num_queries
):
    _make_patients(clinic, therapist, 10, add_log)
    for n in range(70):
        make_patient(clinic, first_name=f"Q{n}", last_name="Plain")
    therapist_client.get(URL)
    first = therapist_client.get(URL).context["page"]
    third = therapist_client.get(URL, {"after": first.last_id}).context["page"]
    # The first page's queries (10) and one for the row the page starts after.
    with django_assert_max_num_queries(11):
        response = therapist_client.get(URL, {"after": third.last_id, "sort": "recent_log"})
    assert len(response.context["page"]) == 25


def test_a_cursor_from_another_clinic_or_a_bad_one_gives_the_first_page(
    therapist_client, clinic, other_clinic_patient
):
    for n in range(3):
        make_patient(clinic, first_name=f"P{n}", last_name="Here")
    first = rows(therapist_client.get(URL))
    for cursor in (str(other_clinic_patient.pk), "abc", "99999999999999999999999"):
        assert rows(therapist_client.get(URL, {"after": cursor})) == first
        assert rows(therapist_client.get(URL, {"before": cursor})) == first
