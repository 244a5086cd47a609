"""One red-flag table for every path: the portal, the paper-entry form, the printed
handout, the REST API and FHIR carry exactly its questions, in its order, under its
tiers and with its advice; none has a question or a tier of its own."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import create_api_key
from handouts.pdf import handout_pdf
from prescriptions import red_flags
from prescriptions.forms import PaperLogForm
from prescriptions.red_flags import ADVICE, QUESTION_CODES, QUESTIONS, RedFlag, Tier
from tests.handouts.pdfs import pdf_text

TEXTS = [str(question.text) for question in QUESTIONS]
RETIRED = [str(RedFlag(code).label) for code in RedFlag.values if code not in QUESTION_CODES]


def squashed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.hazard("H-03")
def test_the_table_has_three_tiers_of_which_the_patient_is_asked_two():
    assert Tier.values == ["emergency", "today"]
    assert {q.tier for q in QUESTIONS} == set(Tier.values)
    assert set(ADVICE) == set(Tier.values)
    assert "cancer" not in QUESTION_CODES  # risk history: the therapist's record


@pytest.mark.hazard("H-02")
def test_the_portal_asks_the_tables_questions_and_nothing_else(patient_client):
    form = patient_client.get(reverse("portal:red_flags")).context["form"]
    asked = [name for name in form.fields if name != "tiers"]
    assert asked == list(QUESTION_CODES)
    assert [str(form.fields[code].label) for code in asked] == TEXTS


@pytest.mark.hazard("H-02")
def test_the_paper_form_asks_the_tables_questions_grouped_by_its_tiers(item):
    form = PaperLogForm(items=[item])
    asked = [name.removeprefix("red_flag_") for name in form.fields if name.startswith("red_flag_")]
    assert asked == list(QUESTION_CODES)
    groups = form.red_flag_tiers
    assert [group.tier for group in groups] == Tier.values
    for group in groups:
        assert [field.name.removeprefix("red_flag_") for field in group.fields] == [
            q.code for q in red_flags.questions([group.tier])
        ]
        assert [str(field.label) for field in group.fields] == [
            str(q.text) for q in red_flags.questions([group.tier])
        ]


def test_the_paper_form_page_shows_each_tier_with_its_questions(therapist_client, patient, item):
    page = therapist_client.get(
        reverse("prescriptions:log_create", kwargs={"patient_pk": patient.pk})
    ).content.decode()
    for tier, label in Tier.choices:
        assert f'data-tier="{tier}"' in page and str(label) in page
    for text in TEXTS:
        assert text in page


@pytest.mark.hazard("H-02")
def test_the_handout_prints_each_tier_with_its_own_advice_and_the_tables_questions(
    prescription,
):
    text = squashed(pdf_text(handout_pdf(prescription)))
    for tier in Tier.values:
        assert squashed(str(ADVICE[tier].heading)) in text
        assert squashed(str(ADVICE[tier].advice)) in text
    for question in TEXTS:
        # Once in the box of its tier, once as a row of the daily check.
        assert text.count(squashed(question)) == 2, question
    for retired in RETIRED:
        assert squashed(retired) not in text
    # Symptoms in both legs and weakness are asked once on paper, in the emergency tier.
    assert text.count(squashed("in both legs")) == 2
    assert squashed("Get urgent medical help now") not in text


@pytest.mark.hazard("H-02")
def test_the_api_lists_the_table_and_accepts_only_its_codes(clinic, therapist, patient):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {create_api_key(clinic=clinic, name='x')[1]}")
    body = api.get("/api/v1/red-flag-checks/questions/").json()
    assert [(q["code"], q["tier"], q["text"]) for q in body["questions"]] == [
        (q.code, q.tier, str(q.text)) for q in QUESTIONS
    ]
    assert [(t["tier"], t["heading"], t["advice"]) for t in body["tiers"]] == [
        (tier, str(ADVICE[tier].heading), str(ADVICE[tier].advice)) for tier in Tier.values
    ]
    refused = api.post(
        "/api/v1/red-flag-checks/",
        {"patient": patient.pk, "answered_yes": ["cancer"]},
        format="json",
    )
    assert refused.status_code == 400 and "answered_yes" in refused.json()["errors"]


def test_fhir_publishes_the_tables_codes_and_the_tier_of_each_alert(clinic, therapist, patient):
    from prescriptions.services import record_red_flag_check

    fhir = Client(HTTP_AUTHORIZATION=f"Api-Key {create_api_key(clinic=clinic, name='x')[1]}")
    system = fhir.get("/fhir/R4/CodeSystem/red-flag").json()
    codes = [concept["code"] for concept in system["concept"]]
    assert [code for code in codes if code in QUESTION_CODES] == list(QUESTION_CODES)
    _check, alerts = record_red_flag_check(patient=patient, answered_yes=["fever", "urination"])
    flags = {
        alert.kind: fhir.get(f"/fhir/R4/Flag/{alert.pk}").json()["code"]["coding"][0]["code"]
        for alert in alerts
    }
    assert flags == {"red_flag": "red_flag", "red_flag_today": "red_flag_today"}


@pytest.mark.parametrize("tier", Tier.values)
def test_the_portal_pages_after_a_yes_speak_with_the_tiers_own_advice(
    patient_client, patient, tier
):
    from prescriptions.services import record_red_flag_check

    code = red_flags.questions([tier])[0].code
    record_red_flag_check(patient=patient, answered_yes=[code])
    url = reverse("portal:urgent" if tier == Tier.EMERGENCY else "portal:see_doctor")
    content = patient_client.get(url).content.decode()
    assert str(ADVICE[tier].heading) in content
    assert str(ADVICE[tier].advice) in content
