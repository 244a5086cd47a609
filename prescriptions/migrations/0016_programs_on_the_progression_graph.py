"""Programs made on the old extension chain move to the branch of the graph they stand in.

Until now the built-in extension progression was one chain: prone lying, props,
press-up, press-up with hips off-centre, side glide, flexion rotation, standing
extension. It is now a graph (exercises/catalog_progressions.py): the extension steps,
a lateral branch and maintenance. A program version whose furthest exercise of the old
chain lies in the lateral branch now names the `lateral` progression; one that reached
standing extension names `maintenance`. The exercises, their dosage, the logs and the
handouts of every version stay exactly as they were. Open suggestions were made from
the old chain: they no longer apply (`manage.py rebuild_summaries` makes them again
from the logs).
"""

from django.db import migrations

OLD_CHAIN = [
    "prone-lying",
    "prone-props",
    "prone-press-up",
    "prone-press-up-hips-off-centre",
    "standing-side-glide",
    "flexion-rotation",
    "standing-lumbar-extension",
]
BRANCH_OF = {
    "prone-press-up-hips-off-centre": "lateral",
    "standing-side-glide": "lateral",
    "flexion-rotation": "lateral",
    "standing-lumbar-extension": "maintenance",
}
# The rows the catalog loader fills in after `migrate`; created here only so the
# programs can point at them.
NEW_PROGRESSIONS = {
    "lateral": ("Lateral branch", "Rama lateral", "side_glide"),
    "maintenance": ("Maintenance", "Mantenimiento", "extension"),
}


def _builtin(progression_model, slug):
    found = progression_model.objects.filter(clinic__isnull=True, slug=slug).first()
    if found is None and slug in NEW_PROGRESSIONS:
        name_en, name_es, direction = NEW_PROGRESSIONS[slug]
        found = progression_model.objects.create(
            clinic=None,
            slug=slug,
            name=name_en,
            name_en=name_en,
            name_es=name_es,
            direction=direction,
        )
    return found


def forwards(apps, schema_editor):
    progression_model = apps.get_model("exercises", "Progression")
    prescription_model = apps.get_model("prescriptions", "Prescription")
    item_model = apps.get_model("prescriptions", "PrescriptionItem")
    suggestion_model = apps.get_model("prescriptions", "ProgressionSuggestion")
    patient_model = apps.get_model("patients", "Patient")
    extension = _builtin(progression_model, "extension")
    if extension is None:  # a fresh database: the catalog is loaded after migrate
        return
    held: dict[int, set[str]] = {}
    rows = item_model.objects.filter(prescription__progression=extension).values_list(
        "prescription_id", "exercise__slug"
    )
    for prescription_id, slug in rows:
        held.setdefault(prescription_id, set()).add(slug)
    moved: dict[str, list[int]] = {}
    for prescription_id, slugs in held.items():
        on_chain = [slug for slug in OLD_CHAIN if slug in slugs]
        branch = BRANCH_OF.get(on_chain[-1]) if on_chain else None
        if branch:
            moved.setdefault(branch, []).append(prescription_id)
    for slug, ids in moved.items():
        target = _builtin(progression_model, slug)
        prescription_model.objects.filter(pk__in=ids).update(progression=target)
        # The patient list shows the active program's progression by name.
        patient_model.objects.filter(
            prescriptions__pk__in=ids, prescriptions__status="active"
        ).update(active_progression=target.name_en or target.name)
    stale = suggestion_model.objects.filter(status="open")
    patient_model.objects.filter(pk__in=stale.values("patient_id")).update(
        progress_suggestion="", suggested_exercise=None
    )
    stale.update(status="outdated")


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0007_progression_graph"),
        ("patients", "0011_suggestion_reassess"),
        ('prescriptions', '0015_suggestion_reassess'),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
