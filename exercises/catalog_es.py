"""The built-in catalog in Spanish, by slug, beside the English texts of `catalog.py`.

Placeholders ({hold}, {repetitions}, {your_side}...) are the same as in English; the
words they are filled with come from the gettext catalog. `tests/i18n` fails when an
exercise or progression of `catalog.py` has no Spanish text here.
"""

from __future__ import annotations

from typing import Any

STOP_SPREADING = (
    "Pare enseguida y contacte con su fisioterapeuta si el dolor se extiende desde la columna "
    "hacia la nalga, el muslo o la pierna, si nota entumecimiento u hormigueo, o si el dolor "
    "aumenta y sigue peor después."
)
STENOSIS = (
    "Si le han dicho que tiene estenosis de canal lumbar (un estrechamiento del espacio que "
    "rodea los nervios de la columna), inclinarse hacia atrás puede empeorar sus síntomas: "
    "haga este ejercicio solo si su fisioterapeuta lo sabe y ha comprobado que le conviene."
)
THEN_EXTENSION = (
    "A menudo su fisioterapeuta querrá que haga un ejercicio de extensión, como la extensión "
    "en decúbito prono apoyado en los codos o la extensión con brazos, justo después de este. "
    "Hágalo siempre que se lo haya indicado."
)
EASE_OFF = (
    "Bajar el ritmo significa hacer menos o dejar el ejercicio uno o dos días; no significa "
    "guardar cama. Siga moviéndose con suavidad como de costumbre."
)


def _cautions(*parts: str) -> str:
    return " ".join((STOP_SPREADING, *parts))


EXERCISES: dict[str, dict[str, Any]] = {
    "prone-lying": {
        "name": "Decúbito prono (tumbado boca abajo)",
        "steps": [
            "Túmbese boca abajo sobre una superficie firme y cómoda, como una cama o una "
            "esterilla en el suelo. Deje los brazos a lo largo del cuerpo y gire la cabeza "
            "hacia el lado que le resulte más cómodo.",
            "Suelte el aire despacio y deje que la espalda, las caderas y las piernas se relajen.",
            "Permanezca así {hold}, fijándose en dónde nota el dolor.",
        ],
        "purpose": (
            "El primer paso de la progresión en extensión. El tratamiento suele empezar aquí "
            "cuando el dolor de espalda o la ciática han aparecido de repente, y le prepara "
            "para apoyarse sobre los codos."
        ),
        "cautions": _cautions(
            "Si estar boca abajo le duele tanto que después no puede apoyarse sobre los codos, "
            "baje el ritmo uno o dos días y vuelva a intentarlo.",
            EASE_OFF,
            STENOSIS,
        ),
    },
    "prone-props": {
        "name": "Extensión en decúbito prono sobre los codos",
        "steps": [
            "Empiece tumbado boca abajo, como en el ejercicio de decúbito prono.",
            "Levante el pecho y apoye el peso sobre los antebrazos, con los codos debajo de "
            "los hombros.",
            "Deje las caderas apoyadas y la zona lumbar hundida. Respire hondo y despacio, y "
            "relájese.",
            "Permanezca apoyado {hold}. Siga atento a sus síntomas: si el dolor se desplaza "
            "hacia el centro de la espalda, es buena señal.",
        ],
        "purpose": (
            "El segundo paso de la progresión en extensión, cuando ya está cómodo boca abajo. "
            "Lleva la zona lumbar suavemente hacia atrás."
        ),
        "cautions": _cautions(
            "Es normal que el dolor se concentre en el centro de la espalda; suele indicar que "
            "el ejercicio le conviene. Si apoyarse sobre los codos le duele demasiado, baje el "
            "ritmo y vuelva a intentarlo más tarde.",
            EASE_OFF,
            STENOSIS,
        ),
    },
    "prone-press-up": {
        "name": "Extensión en decúbito prono con brazos",
        "steps": [
            "Túmbese boca abajo con los codos doblados y las palmas apoyadas justo por debajo "
            "de los hombros.",
            "Mantenga relajados la espalda, los glúteos y las caderas. Estire los brazos para "
            "elevar los hombros y la parte superior del cuerpo todo lo que le resulte cómodo, "
            "sin despegar las caderas.",
            "Mantenga la posición de arriba {hold}.",
            "Doble los brazos y baje despacio.",
            "Repítalo {repetitions}, subiendo un poco más cada vez si los síntomas lo permiten.",
        ],
        "purpose": (
            "Un ejercicio clave para el dolor lumbar y la ciática. Lleva la zona lumbar más "
            "hacia atrás que la extensión sobre los codos."
        ),
        "cautions": _cautions(
            "Si sus síntomas siguen igual o empeoran al subir, dígaselo a su fisioterapeuta: "
            "puede que le convenga más hacer la extensión con las caderas desplazadas hacia un "
            "lado.",
            STENOSIS,
        ),
    },
    "prone-press-up-hips-off-centre": {
        "name": "Extensión con brazos con las caderas desplazadas",
        "steps": [
            "Túmbese boca abajo. Desplace las caderas {to_side} y los pies {to_other_side}, de "
            "modo que el cuerpo forme una curva suave.",
            "Deje las caderas donde están y apoye las palmas debajo de los hombros.",
            "Estire los brazos para elevar la parte superior del cuerpo todo lo que pueda, con "
            "la espalda y las caderas relajadas. Al principio puede resultarle extraño.",
            "Mantenga la posición de arriba {hold} y luego baje despacio.",
            "Repítalo {repetitions}, fijándose cada vez en dónde nota el dolor.",
        ],
        "purpose": (
            "Para el dolor en un solo lado cuando la extensión con brazos normal no cambia los "
            "síntomas o los empeora. Las caderas suelen desplazarse hacia el lado contrario al "
            "que duele; su fisioterapeuta le indicará hacia cuál."
        ),
        "cautions": _cautions(STENOSIS),
    },
    "standing-side-glide": {
        "name": "Deslizamiento lateral de pie",
        "steps": [
            "Póngase de pie con {your_side} hacia una pared, a la distancia de un antebrazo, y "
            "con los pies juntos.",
            "Apoye ese hombro en la pared y mantenga el codo de ese lado pegado a las costillas.",
            "Ponga la otra mano en el lado contrario de la pelvis y empuje suavemente las "
            "caderas hacia la pared, como si la pelvis se deslizara por debajo de las "
            "costillas.",
            "Deje que las caderas vuelvan a donde estaban.",
            "Repítalo {repetitions}, fijándose en si el dolor se desplaza hacia el centro de "
            "la espalda.",
        ],
        "purpose": (
            "Se usa sobre todo para el dolor en un lado de la zona lumbar o en una pierna, "
            "cuando los ejercicios boca abajo no ayudan. Cuando da resultado, su "
            "fisioterapeuta suele pedirle que vuelva a probar la extensión con brazos: el "
            "objetivo es poder hacerla sin dolor en la zona lumbar, el muslo o la pierna."
        ),
        "cautions": _cautions(),
    },
    "flexion-rotation": {
        "name": "Estiramiento en flexión y rotación",
        "steps": [
            "Túmbese sobre {your_side} con las dos rodillas dobladas.",
            "Estire la pierna de abajo. Enganche el pie de la pierna de arriba detrás de la "
            "rodilla de la pierna de abajo.",
            "Lleve la mano de arriba hacia el omóplato. Después gire despacio la parte "
            "superior del cuerpo de modo que el hombro de arriba vaya hacia atrás y hacia el "
            "suelo. Es normal notar que la espalda se estira.",
            "Vuelva a la posición inicial.",
            "Repítalo {repetitions}.",
        ],
        "purpose": (
            "Un estiramiento para el dolor en un lado de la espalda, o que baja por la pierna, "
            "cuando no ha mejorado con los ejercicios anteriores. Normalmente se tumba sobre "
            "el lado que más le duele; su fisioterapeuta le indicará cuál."
        ),
        "cautions": _cautions(),
    },
    "standing-lumbar-extension": {
        "name": "Extensión lumbar de pie",
        "steps": [
            "Póngase de pie, erguido, con los pies separados más o menos a la anchura de los "
            "hombros.",
            "Apoye las palmas en la zona lumbar, justo por encima de los glúteos, con los "
            "dedos hacia abajo.",
            "Inclínese despacio hacia atrás sobre las manos, hasta donde le resulte cómodo.",
            "Permanezca en el punto más atrasado {hold} y luego vuelva del todo a la posición "
            "erguida.",
            "Repítalo {repetitions}.",
        ],
        "purpose": (
            "Una extensión hacia atrás que puede hacer en cualquier sitio. Cuando ha pasado lo "
            "peor del dolor, ayuda a evitar que el problema de espalda vuelva. Es útil después "
            "de estar mucho tiempo sentado o inclinado, y puede sustituir a la extensión con "
            "brazos cuando no puede tumbarse."
        ),
        "cautions": _cautions(STENOSIS),
    },
    "supine-lumbar-flexion": {
        "name": "Rodillas al pecho (tumbado boca arriba)",
        "steps": [
            "Túmbese boca arriba con las rodillas dobladas y los pies apoyados.",
            "Lleve despacio las dos rodillas hacia el pecho y sujételas con las manos.",
            "Tire suavemente para acercar un poco más las rodillas y manténgalas {hold}.",
            "Suelte las rodillas y vuelva a apoyar los pies.",
            "Repítalo {repetitions}.",
        ],
        "purpose": (
            "El primer paso de la progresión en flexión. La flexión hacia delante se usa en la "
            "estenosis de canal lumbar, en la rigidez al inclinarse hacia delante (disfunción "
            "en flexión), en el dolor de espalda que alivia al inclinarse hacia delante y para "
            "recuperar movilidad cuando un desarreglo ya se ha estabilizado."
        ),
        "cautions": _cautions(THEN_EXTENSION),
    },
    "seated-lumbar-flexion": {
        "name": "Flexión lumbar sentado",
        "steps": [
            "Siéntese en una silla estable con los pies apoyados en el suelo y separados.",
            "Inclínese despacio hacia delante, llevando las manos hacia el suelo entre las "
            "rodillas.",
            "Cuando esté inclinado todo lo que pueda, sujétese los tobillos y tire suavemente "
            "para bajar un poco más.",
            "Vuelva a incorporarse despacio.",
            "Repítalo {repetitions}.",
        ],
        "purpose": (
            "El segundo paso de la progresión en flexión, cuando el ejercicio de rodillas al "
            "pecho ya le resulta fácil."
        ),
        "cautions": _cautions(THEN_EXTENSION),
    },
    "standing-lumbar-flexion": {
        "name": "Flexión lumbar de pie",
        "steps": [
            "Póngase de pie con los pies separados más o menos a la anchura de los hombros.",
            "Deje caer la parte superior del cuerpo hacia delante, con los brazos colgando "
            "hacia el suelo, y baje todo lo que pueda.",
            "Permanezca en el punto más bajo {hold}.",
            "Vuelva a incorporarse despacio.",
            "Repítalo {repetitions}.",
        ],
        "purpose": (
            "El último paso de la progresión en flexión, cuando la flexión sentado ya le "
            "resulta fácil."
        ),
        "cautions": _cautions(THEN_EXTENSION),
    },
}

PROGRESSIONS: dict[str, dict[str, Any]] = {
    "extension": {
        "name": "Progresión en extensión",
        "description": (
            "De tumbado boca abajo a la extensión con brazos, con el deslizamiento lateral y "
            "la flexión con rotación para el dolor en un lado que no mejora, y la extensión de "
            "pie para mantener la espalda bien cuando el dolor ha cedido."
        ),
        "advance_when": {
            "prone-lying": "Unos minutos boca abajo resultan cómodos.",
            "prone-props": "Unos minutos apoyado sobre los codos resultan cómodos.",
            "prone-press-up": (
                "La extensión con brazos deja los síntomas igual o los empeora, sobre todo el "
                "dolor en un lado."
            ),
            "prone-press-up-hips-off-centre": (
                "El dolor en un lado de la espalda o en una pierna sigue sin mejorar con los "
                "ejercicios boca abajo."
            ),
            "standing-side-glide": (
                "El deslizamiento lateral lleva el dolor hacia el centro: vuelva a la "
                "extensión con brazos; si queda dolor en un lado, pruebe la flexión con "
                "rotación."
            ),
            "flexion-rotation": (
                "El dolor agudo ha desaparecido: mantenga la espalda bien con la extensión de pie."
            ),
        },
    },
    "flexion": {
        "name": "Progresión en flexión",
        "description": (
            "Flexión hacia delante, de tumbado boca arriba a sentado y después de pie, para "
            "la estenosis de canal lumbar, la disfunción en flexión y los desarreglos que "
            "mejoran con la flexión."
        ),
        "advance_when": {
            "supine-lumbar-flexion": (
                "Las rodillas al pecho resultan fáciles y los síntomas se mantienen centrales "
                "o mejoran."
            ),
            "seated-lumbar-flexion": (
                "La flexión sentado resulta fácil y los síntomas se mantienen centrales o mejoran."
            ),
        },
    },
}
