"""The patient list against a bare Django page doing the same irreducible work.

The baseline page: session authentication, one indexed query for 25 patients, a
25-row template and one audit insert. The patient list does that plus what the
product needs (therapist check, adherence, trends, search form). Both run in
process through Django's test client on the same database, interleaved, and the
script prints the list's throughput as a share of the baseline's (goal >= 60 %),
(run it at two sizes with BENCH_DATABASE_URL to see that the latency stays flat).

SQLite by default (seeded here); set BENCH_DATABASE_URL to a PostgreSQL database
already loaded with `seed_demo --patients N` (and ANALYZEd) to measure that.
Run as `.venv/bin/python bench/bench_patient_list.py`.
"""

import os
import statistics
import tempfile

from benchkit import base_env, measuring, median_ms, run_measure, seed, setup_django, sqlite_env

PATIENTS = int(os.environ.get("BENCH_PATIENTS", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))

BASELINE_TEMPLATE = """<table>{% for p in patients %}<tr><th><a href="/patients/{{ p.pk }}/">
{{ p.last_name }}, {{ p.first_name }}</a></th><td>{{ p.external_id }}</td>
<td>{{ p.last_log|date:"j M" }}</td><td>{{ p.open_alerts }}</td></tr>{% endfor %}</table>"""


def baseline(request):
    """The irreducible work of a list page, written plainly."""
    from django.http import HttpResponse, HttpResponseRedirect
    from django.template import engines

    from clinics.models import AuditEvent, audit, clinic_of
    from patients.models import Patient

    if not request.user.is_authenticated:
        return HttpResponseRedirect("/accounts/login/")
    clinic = clinic_of(request.user)
    patients = list(
        Patient.objects.filter(clinic=clinic, archived=False).order_by(
            "archived", "attention", "last_name", "first_name", "id"
        )[:25]
    )
    html = engines["django"].from_string(BASELINE_TEMPLATE).render({"patients": patients})
    audit(
        action=AuditEvent.Action.VIEW,
        request=request,
        clinic=clinic,
        object_type="patient_list",
        detail={"patients": [p.pk for p in patients]},
    )
    return HttpResponse(html)


def measure() -> None:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import include, path

    from clinics.models import Clinic
    from patients.models import Patient

    urlconf = type(
        "BenchUrls",
        (),
        {"urlpatterns": [path("bench/baseline/", baseline), path("", include("config.urls"))]},
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username="anna"))
    riverside = Clinic.objects.get(slug="riverside")
    big = Patient.objects.filter(clinic=riverside).count()
    with override_settings(ROOT_URLCONF=urlconf):
        for url in ("/patients/", "/bench/baseline/"):
            assert client.get(url).status_code == 200
        # Interleaved, so that a busy neighbour on the machine slows both alike.
        lists, bases = [], []
        for _ in range(ROUNDS):
            lists.append(median_ms(lambda: client.get("/patients/"), 1))
            bases.append(median_ms(lambda: client.get("/bench/baseline/"), 1))
    list_ms, base_ms = statistics.median(lists), statistics.median(bases)
    print(f"Patient list, {big} patients in the clinic (median of {ROUNDS}, interleaved)")
    print(f"  patient list:        {list_ms:7.1f} ms")
    print(f"  bare Django page:    {base_ms:7.1f} ms")
    share = 100 * base_ms / list_ms
    print(f"  list throughput as a share of the baseline: {share:5.1f} %  (goal >= 60 %)")


def main() -> None:
    if measuring():
        measure()
        return
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url:
        run_measure(__file__, base_env(DATABASE_URL=url))
        return
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        env = sqlite_env(folder, "bench-list")
        seed(env, patients=PATIENTS, days=14)
        run_measure(__file__, env)


if __name__ == "__main__":
    main()
