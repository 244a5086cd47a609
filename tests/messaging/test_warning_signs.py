"""Warning-sign words: one table keyed by the red-flag questions, in both languages."""

import pytest

from messaging.warning_signs import WORDS, warning_signs_in
from prescriptions.red_flags import QUESTION_CODES, RedFlag


def test_every_question_of_the_red_flag_table_has_words_in_english_and_spanish():
    assert set(WORDS) == set(QUESTION_CODES)
    for code in QUESTION_CODES:
        assert WORDS[code]["en"] and WORDS[code]["es"], code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Since yesterday I can't control my bladder", RedFlag.BLADDER_BOWEL),
        ("Desde ayer no controlo la vejiga", RedFlag.BLADDER_BOWEL),
        ("There is numbness between my legs", RedFlag.SADDLE_NUMBNESS),
        ("Tengo la entrepierna adormecida", RedFlag.SADDLE_NUMBNESS),
        ("My left leg feels weaker every day", RedFlag.LEG_WEAKNESS),
        ("Siento la pierna más DÉBIL cada día", RedFlag.LEG_WEAKNESS),
        ("I have had a fever since Sunday", RedFlag.FEVER),
        ("Tengo fiebre desde el domingo", RedFlag.FEVER),
        ("The pain wakes me at night", RedFlag.NIGHT_PAIN),
        ("El dolor no me deja dormir por la noche", RedFlag.NIGHT_PAIN),
        ("Pain in both legs now", RedFlag.BOTH_LEGS),
        ("Ahora me duelen las dos piernas", RedFlag.BOTH_LEGS),
    ],
)
def test_a_warning_sign_is_found_in_either_language(text, code):
    assert code in warning_signs_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is it normal that my back aches a little after the press-ups?",
        "¿Es normal que me duela un poco la espalda después de los ejercicios?",
        "Can I do the exercises at work? Someone peeled an orange on my desk.",
    ],
)
def test_an_ordinary_question_mentions_no_warning_sign(text):
    assert warning_signs_in(text) == []
