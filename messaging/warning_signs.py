"""Words in a patient's message that may name a warning sign of the red-flag table.

One table, keyed by the codes of `prescriptions.red_flags.QUESTIONS`, with the words
a patient might use in English and in Spanish for each question. Every language is
checked whatever the patient's language, because patients write in the one they
think in. A match does not judge anything: it asks the patient to take the safety
check (whose questions decide) and marks the message for the therapist.

The lists are our own choice of everyday words; no published list exists. They are
broad on purpose: a needless prompt to take a one-minute check costs little, a
missed sign costs much.

A word ending in `*` matches any word it starts ("numb*": numb, numbness); any other
word or phrase matches whole words only. Accents and case are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from prescriptions.red_flags import QUESTIONS, RedFlag

WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    RedFlag.BLADDER_BOWEL: {
        "en": ("bladder", "bowel*", "incontinen*", "leaking", "wet myself", "soiled"),
        "es": ("vejiga", "intestin*", "incontinencia", "me orino", "escapes de orina"),
    },
    RedFlag.URINATION: {
        "en": ("urine", "urinat*", "pee", "peeing"),
        "es": ("orina", "orinar", "pis", "hacer pis"),
    },
    RedFlag.SADDLE_NUMBNESS: {
        "en": ("saddle", "groin", "genital*", "back passage", "private parts", "numb*"),
        "es": ("silla de montar", "ingle", "genital*", "entrepierna", "zona intima", "adormec*"),
    },
    RedFlag.SEXUAL_DYSFUNCTION: {
        "en": ("erection*", "sexual*", "sex"),
        "es": ("ereccion*", "sexual*", "sexo"),
    },
    RedFlag.BOTH_LEGS: {
        "en": ("both legs", "both feet", "both my legs", "tingl*", "pins and needles"),
        "es": ("ambas piernas", "las dos piernas", "los dos pies", "ambos pies", "hormigue*"),
    },
    RedFlag.LEG_WEAKNESS: {
        "en": ("weak*", "foot drags", "dragging my foot", "foot drop", "gives way", "gave way"),
        "es": (
            "debil*",
            "arrastro el pie",
            "arrastra el pie",
            "se me dobla",
            "me falla la rodilla",
        ),
    },
    RedFlag.FEVER: {
        "en": ("fever*", "temperature", "shiver*", "chills"),
        "es": ("fiebre", "escalofrio*", "temperatura"),
    },
    RedFlag.WEIGHT_LOSS: {
        "en": ("weight loss", "losing weight", "lost weight", "lose weight"),
        "es": ("perdida de peso", "perdiendo peso", "perdido peso", "bajado de peso", "adelgaz*"),
    },
    RedFlag.NIGHT_PAIN: {
        "en": ("at night", "night pain", "wakes me", "woke me", "cannot sleep", "can't sleep"),
        "es": ("por la noche", "de noche", "dolor nocturno", "no puedo dormir", "me despierta"),
    },
}


def plain(text: str) -> str:
    """Lower case without accents, with typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _pattern(word: str) -> str:
    stem = re.escape(plain(word.rstrip("*"))).replace(r"\ ", r"\s+")
    return rf"\b{stem}" if word.endswith("*") else rf"\b{stem}\b"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        code: re.compile("|".join(_pattern(w) for words in WORDS[code].values() for w in words))
        for code in (question.code for question in QUESTIONS)
    }


def warning_signs_in(text: str) -> list[str]:
    """The red-flag codes whose words `text` mentions, in the table's order."""
    wanted = plain(text)
    return [code for code, pattern in _patterns().items() if pattern.search(wanted)]
