"""Patient texts are whole sentences: a stored answer (a location, a response, a choice
label) is a placeholder of a translated sentence, written for each language, never pasted
after a colon ("Ahora su dolor llega: baja hasta el muslo")."""

import re

import pytest
from django.conf import settings

TEMPLATES = settings.BASE_DIR / "templates"
# What a patient reads: the portal, the handout and the emails sent to patients.
PATIENT_TEMPLATES = sorted(
    [
        *(TEMPLATES / "portal").rglob("*.html"),
        *(TEMPLATES / "portal").rglob("*.txt"),
        TEMPLATES / "handouts" / "handout.html",
        *(TEMPLATES / "reminders" / "email").rglob("*"),
        *(TEMPLATES / "dashboard" / "email").rglob("*"),
        *(TEMPLATES / "registration").glob("*email*"),
    ]
)
# An expression that gives a stored answer or a choice's label.
STORED = re.compile(
    r"get_\w+_display|\.label\b|\w*_label\b|\bwhere\b|\blocation\b|\banswers?\b|"
    r"\bresponse\b|\bfindings?\b"
)
BLOCK = re.compile(
    r"{%\s*blocktrans(?:late)?\b(?P<args>[^%]*)%}(?P<body>.*?){%\s*endblocktrans(?:late)?\s*%}",
    re.S,
)
BINDING = re.compile(r"(\w+)=(\S+)")
# A colon ending a translated string, or typed right after one, then a stored answer.
AFTER_TRANSLATED_COLON = re.compile(
    r"""(?::["']\s*%}|%}\s*:)\s*(?:<[^>]+>\s*)*{{\s*(?P<expression>[^}|]+)"""
)


def pasted_answers(source: str) -> list[str]:
    """Where `source` puts a stored answer after a colon, as the template says it."""
    found = []
    for block in BLOCK.finditer(source):
        for name, expression in BINDING.findall(block["args"]):
            if not STORED.search(expression):
                continue
            pasted = re.compile(r":\s*[«“\"']?{{\s*" + re.escape(name) + r"\s*}}")
            if pasted.search(block["body"]):
                found.append(f"{expression} after a colon in {block['body'].strip()!r}")
    outside = BLOCK.sub("", source)
    for match in AFTER_TRANSLATED_COLON.finditer(outside):
        if STORED.search(match["expression"]):
            found.append(f"{match['expression'].strip()} after a colon: {match[0]!r}")
    return found


@pytest.mark.parametrize("path", PATIENT_TEMPLATES, ids=lambda path: path.name)
def test_no_patient_template_pastes_a_stored_answer_after_a_colon(path):
    assert pasted_answers(path.read_text()) == []


def test_the_check_finds_an_answer_pasted_into_a_sentence():
    inside = (
        "{% blocktranslate with where=log.get_location_display %}"
        "Now your pain reaches: {{ where }}.{% endblocktranslate %}"
    )
    after = '<p>{% translate "Your pain reaches:" %} <strong>{{ log.location_label }}</strong></p>'
    sentence = (
        "{% blocktranslate with where=log.get_location_display %}"
        "Your pain now reaches {{ where }}.{% endblocktranslate %}"
    )
    assert len(pasted_answers(inside)) == 1
    assert len(pasted_answers(after)) == 1
    assert pasted_answers(sentence) == []
