"""The gettext catalogs checked the way CI sees them: extracted afresh from the source."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

# Folders makemessages must not read: installed packages, build output, and `locale`
# itself (otherwise it would write into the committed catalogs).
IGNORED = [".venv", "venv", "node_modules", "staticfiles", "media", "locale", "tests", "bench"]


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def committed_po(language: str, domain: str = "django") -> Path:
    return settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / f"{domain}.po"


def fresh_catalog(source: Path, language: str, workdir: Path, domain: str = "django") -> Path:
    """The committed catalog updated by makemessages from the files under `source`,
    written under `workdir`. makemessages writes into any `locale` folder beside the
    files it reads, so it reads a copy of the source without one: the committed
    catalogs are never touched."""
    target = workdir / "locale" / language / "LC_MESSAGES"
    target.mkdir(parents=True)
    committed = committed_po(language, domain)
    if committed.exists():
        shutil.copy(committed, target / committed.name)
    copy = workdir / "source"
    shutil.copytree(
        source,
        copy,
        ignore=shutil.ignore_patterns(*IGNORED, ".*", "__pycache__", "*.sqlite3*", "*.mo"),
    )
    previous = Path.cwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[workdir / "locale"]):
            call_command(
                "makemessages",
                locale=[language],
                domain=domain,
                ignore_patterns=IGNORED,
                verbosity=0,
            )
    finally:
        os.chdir(previous)
    return target / f"{domain}.po"


def catalog_problems(po_path: Path) -> list[str]:
    """Every live entry that is untranslated or fuzzy, as 'untranslated: <msgid>'."""
    if not po_path.exists():
        return []
    catalog = polib.pofile(str(po_path))
    problems = [f"untranslated: {entry.msgid!r}" for entry in catalog.untranslated_entries()]
    problems += [f"fuzzy: {entry.msgid!r}" for entry in catalog.fuzzy_entries()]
    return problems


def mo_differences(po_path: Path) -> list[str]:
    """Where the committed .mo beside `po_path` says something else than the .po."""
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{mo_path.name} is missing: run `make messages`"]

    def entries(catalog) -> dict[tuple[str, str], object]:
        return {
            (entry.msgctxt or "", entry.msgid): entry.msgstr_plural or entry.msgstr
            for entry in catalog
            if entry.msgid and not entry.obsolete and (entry.msgstr or entry.msgstr_plural)
        }

    wanted = entries(polib.pofile(str(po_path)))
    compiled = entries(polib.mofile(str(mo_path)))
    return [
        f"{msgid!r} differs in {mo_path.name}"
        for key, msgid in ((key, key[1]) for key in wanted.keys() | compiled.keys())
        if _normalised(wanted.get(key)) != _normalised(compiled.get(key))
    ]


def _normalised(value: object) -> object:
    if isinstance(value, dict):
        return {int(k): v for k, v in value.items()}
    return value
