"""CI fails when a language we offer has a text that is not translated.

Only complete languages are offered (settings.LANGUAGES): every string of the source
translated and none fuzzy, the compiled .mo equal to the .po, and every catalog text a
patient reads (exercises, progressions) present in the language.
"""

import os
import re
import shutil

import polib
import pytest
from django.conf import settings

from exercises import catalog, catalog_es
from exercises.models import Exercise, Progression, ProgressionStep

from .catalogs import (
    catalog_problems,
    committed_po,
    fresh_catalog,
    mo_differences,
    translated_languages,
)

PLACEHOLDER = re.compile(r"\{\w+\}")


def test_only_english_and_spanish_are_offered():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "es"]


def needs_gettext() -> None:
    """makemessages needs GNU gettext: CI installs it (.ci/run) and fails without it;
    elsewhere these checks are skipped with the reason."""
    if shutil.which("xgettext") is None:
        reason = "GNU gettext (xgettext) is not installed: apt-get install -y gettext"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def fresh_catalogs(tmp_path_factory) -> dict:
    """makemessages run once on the source, per language, into a temporary copy."""
    needs_gettext()
    return {
        language: fresh_catalog(settings.BASE_DIR, language, tmp_path_factory.mktemp(language))
        for language in translated_languages()
    }


@pytest.mark.parametrize("language", translated_languages())
def test_every_string_of_the_source_is_translated_and_none_is_fuzzy(language, fresh_catalogs):
    fresh = fresh_catalogs[language]
    problems = catalog_problems(fresh)
    assert problems == [], (
        f"{len(problems)} strings need a translation in locale/{language} "
        "(run `make messages`, translate, run it again):\n" + "\n".join(problems)
    )


@pytest.mark.hazard("H-09")
@pytest.mark.parametrize("language", translated_languages())
def test_the_committed_catalog_is_the_one_makemessages_writes(language, fresh_catalogs):
    """A .po that misses a string would still pass the test above if makemessages was
    never run; here the committed file must already hold every live string."""
    fresh = fresh_catalogs[language]
    live = {
        (entry.msgctxt, entry.msgid) for entry in polib.pofile(str(fresh)) if not entry.obsolete
    }
    committed = {
        (entry.msgctxt, entry.msgid)
        for entry in polib.pofile(str(committed_po(language)))
        if not entry.obsolete
    }
    assert sorted(live - committed, key=str) == [], "run `make messages`"


@pytest.mark.parametrize("language", translated_languages())
def test_the_compiled_catalog_says_what_the_po_says(language):
    assert mo_differences(committed_po(language)) == [], "run `make messages`"


def test_the_check_fails_when_a_string_is_added_untranslated(tmp_path):
    needs_gettext()
    source = tmp_path / "source"
    (source / "templates").mkdir(parents=True)
    (source / "templates" / "new.html").write_text(
        '{% load i18n %}<p>{% translate "Ice the knee for ten minutes" %}</p>'
        '<p>{% translate "Sign in" %}</p>'
    )
    fresh = fresh_catalog(source, "es", tmp_path / "out")
    assert catalog_problems(fresh) == ["untranslated: 'Ice the knee for ten minutes'"]


def test_the_check_fails_when_an_entry_is_fuzzy(tmp_path):
    po = polib.pofile(str(committed_po("es")))
    entry = next(entry for entry in po if entry.msgid == "Sign in")
    entry.flags.append("fuzzy")
    path = tmp_path / "django.po"
    po.save(str(path))
    assert catalog_problems(path) == ["fuzzy: 'Sign in'"]


def test_the_check_fails_when_the_compiled_catalog_is_stale(tmp_path):
    po = polib.pofile(str(committed_po("es")))
    po.save_as_mofile(str(tmp_path / "django.mo"))
    next(entry for entry in po if entry.msgid == "Sign in").msgstr = "Entrar"
    po.save(str(tmp_path / "django.po"))
    assert mo_differences(tmp_path / "django.po") == ["'Sign in' differs in django.mo"]


# Catalog content: what lives in the database and a patient reads.


def missing_catalog_texts(language: str) -> list[str]:
    """Built-in catalog rows without a text in `language` (the check CI runs)."""
    missing = []
    for exercise in Exercise.objects.filter(clinic=None):
        for field in ("name", "purpose", "cautions"):
            if not getattr(exercise, f"{field}_{language}"):
                missing.append(f"{exercise.slug}: {field}")
        english, translated = exercise.steps_en or [], getattr(exercise, f"steps_{language}") or []
        if len(translated) != len(english):
            missing.append(f"{exercise.slug}: steps")
        for number, (step, step_translated) in enumerate(zip(english, translated), start=1):
            if sorted(PLACEHOLDER.findall(step)) != sorted(PLACEHOLDER.findall(step_translated)):
                missing.append(f"{exercise.slug}: placeholders of step {number}")
    for progression in Progression.objects.filter(clinic=None):
        for field in ("name", "description"):
            if not getattr(progression, f"{field}_{language}"):
                missing.append(f"{progression.slug}: {field}")
    for step in ProgressionStep.objects.filter(progression__clinic=None):
        if step.advance_when_en and not getattr(step, f"advance_when_{language}"):
            missing.append(f"{step.progression.slug} step {step.position}: advance_when")
    return missing


@pytest.mark.django_db
@pytest.mark.parametrize("language", translated_languages())
def test_every_catalog_text_a_patient_reads_exists_in_the_language(language):
    assert Exercise.objects.filter(clinic=None).count() == len(catalog.EXERCISES)
    assert missing_catalog_texts(language) == []


@pytest.mark.django_db
def test_the_catalog_check_fails_when_an_exercise_lacks_spanish():
    Exercise.objects.filter(slug="prone-lying").update(purpose_es="")
    Exercise.objects.filter(slug="prone-props").update(steps_es=["Solo un paso."])
    assert missing_catalog_texts("es") == ["prone-lying: purpose", "prone-props: steps"]


def test_every_built_in_exercise_and_progression_has_its_spanish_entry():
    assert {entry["slug"] for entry in catalog.EXERCISES} == set(catalog_es.EXERCISES)
    assert {entry["slug"] for entry in catalog.PROGRESSIONS} == set(catalog_es.PROGRESSIONS)


# The glossary (docs/glossary.md): the words patients and therapists see, in both
# languages. Its tables marked "(checked)" must say what the app says.
GLOSSARY = settings.BASE_DIR / "docs" / "glossary.md"


def checked_tables(text: str) -> dict[str, list[list[str]]]:
    """The rows of each table under a heading that ends in "(checked)", by heading."""
    tables: dict[str, list[list[str]]] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip() if line.rstrip().endswith("(checked)") else ""
        elif heading and line.startswith("|") and not line.startswith("|---"):
            tables.setdefault(heading, []).append(
                [cell.strip() for cell in line.strip("|").split("|")]
            )
    return {name: rows[1:] for name, rows in tables.items()}  # without the header row


def glossary_problems(text: str, po: polib.POFile) -> list[str]:
    tables = checked_tables(text)
    (texts,) = [rows for name, rows in tables.items() if name.startswith("App texts")]
    (names,) = [rows for name, rows in tables.items() if name.startswith("Exercise names")]
    spanish = {entry.msgid: entry.msgstr for entry in po if not entry.msgctxt}
    problems = [
        f"{english}: the app says {spanish.get(english)!r}"
        for english, words in texts
        if spanish.get(english) != words
    ]
    listed = {slug: (english, words) for slug, english, words in names}
    for entry in catalog.EXERCISES:
        shown = (entry["name"], catalog_es.EXERCISES[entry["slug"]]["name"])
        if listed.get(entry["slug"]) != shown:
            problems.append(f"{entry['slug']}: the catalog says {shown}")
    return problems


def test_the_glossary_says_what_the_app_says():
    po = polib.pofile(str(settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    assert glossary_problems(GLOSSARY.read_text(), po) == []


def test_the_glossary_check_fails_when_a_word_drifts():
    po = polib.pofile(str(settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    text = GLOSSARY.read_text()
    drifted = text.replace("| Sets done | Series hechas |", "| Sets done | Veces hechas |")
    drifted = drifted.replace(
        "| prone-lying | Prone lying | Boca abajo (decúbito prono) |",
        "| prone-lying | Prone lying | Decúbito prono |",
    )
    assert glossary_problems(drifted, po) == [
        "Sets done: the app says 'Series hechas'",
        "prone-lying: the catalog says ('Prone lying', 'Boca abajo (decúbito prono)')",
    ]


# A Spanish exercise name says what the patient does first; the technical term a
# therapist knows comes after, in brackets, and no name calls the patient "tumbado".
TECHNICAL = ("decúbito", "prono", "supino", "extensión", "flexión", "deslizamiento", "rotación")
GENDERED = ("tumbado", "acostado", "sentado", "apoyado", "erguido", "inclinado")


def technical_first(names: dict[str, str]) -> list[str]:
    problems = []
    for slug, name in names.items():
        plain = name.split("(")[0].lower()
        words = set(plain.replace(",", " ").split())
        if words & set(TECHNICAL) or words & set(GENDERED):
            problems.append(f"{slug}: {name}")
    return problems


def test_every_spanish_exercise_name_leads_with_plain_words():
    names = {slug: texts["name"] for slug, texts in catalog_es.EXERCISES.items()}
    assert technical_first(names) == []


def test_the_plain_words_check_fails_on_a_technical_or_gendered_name():
    names = {
        "prone-props": "Extensión en decúbito prono sobre los codos",
        "prone-lying": "Tumbado boca abajo",
        "standing-lumbar-extension": "Inclinarse hacia atrás de pie (extensión lumbar)",
    }
    assert technical_first(names) == [
        "prone-props: Extensión en decúbito prono sobre los codos",
        "prone-lying: Tumbado boca abajo",
    ]
