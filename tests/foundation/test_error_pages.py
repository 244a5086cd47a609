"""With DEBUG off, an error answers with Centra's own page and a way back."""

import pytest

from tests.factories import make_therapist


def assert_branded_with_a_way_back(response, heading: str) -> None:
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="brand"' in html
    assert 'href="/">Go to the start page</a>' in html


@pytest.mark.django_db
def test_an_unknown_address_answers_a_branded_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_branded_with_a_way_back(response, "Page not found")


def test_a_therapist_who_is_not_an_admin_gets_a_branded_403_on_clinic_settings(client, clinic):
    client.force_login(make_therapist(clinic, "plain"))

    response = client.get("/clinic/settings/")

    assert response.status_code == 403
    assert_branded_with_a_way_back(response, "Not allowed")


@pytest.mark.urls("tests.foundation.error_urls")
@pytest.mark.django_db
def test_a_failing_view_answers_a_branded_500(client):
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    assert_branded_with_a_way_back(response, "Something went wrong")
