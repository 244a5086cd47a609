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
    "en decúbito prono sobre los codos o la extensión con brazos, justo después de este. "
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
        "name": "Boca abajo (decúbito prono)",
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
        "name": "Boca abajo sobre los codos (extensión en decúbito prono)",
        "steps": [
            "Empiece boca abajo, como en el ejercicio «Boca abajo».",
            "Levante el pecho y apoye el peso sobre los antebrazos, con los codos debajo de "
            "los hombros.",
            "Deje las caderas apoyadas y la zona lumbar hundida. Respire hondo y despacio, y "
            "relájese.",
            "Mantenga la postura sobre los codos {hold}. Fíjese en sus síntomas: si el dolor se "
            "desplaza hacia el centro de la espalda, es buena señal.",
        ],
        "purpose": (
            "El segundo paso de la progresión en extensión, cuando estar boca abajo ya le "
            "resulta cómodo. Lleva la zona lumbar suavemente hacia atrás."
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
        "name": "Subir con los brazos (extensión en decúbito prono)",
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
    "prone-press-up-sustained": {
        "name": "Subir con los brazos y soltar el aire (extensión mantenida)",
        "steps": [
            "Túmbese boca abajo con las palmas apoyadas a los lados de los hombros, como para "
            "la extensión con brazos.",
            "Estire los brazos para elevar la parte superior del cuerpo sin despegar las caderas.",
            "Arriba, suelte todo el aire y deje que la zona lumbar y el abdomen bajen hacia la "
            "superficie, de modo que la espalda se arquee un poco más.",
            "Permanezca arriba {hold}, soltando el aire cada vez que deja bajar la espalda.",
            "Baje despacio. Repítalo {repetitions}.",
        ],
        "purpose": (
            "El último paso de la progresión en extensión: la extensión con brazos con más "
            "fuerza, para cuando la extensión simple ayuda pero el dolor ha dejado de mejorar, "
            "o no ha cambiado."
        ),
        "cautions": _cautions(
            "Si su dolor está en un lado y no se mueve de ahí con este ejercicio, dígaselo a su "
            "fisioterapeuta: puede convenirle más un movimiento hacia un lado.",
            STENOSIS,
        ),
    },
    "prone-press-up-hips-off-centre": {
        "name": "Subir con las caderas a un lado (extensión con caderas desplazadas)",
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
        "name": "Caderas a un lado, de pie (deslizamiento lateral)",
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
        "name": "Giro de tronco de lado (flexión y rotación)",
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
        "name": "Inclinarse hacia atrás de pie (extensión lumbar)",
        "steps": [
            "Póngase de pie con la espalda recta y los pies separados más o menos a la anchura "
            "de los hombros.",
            "Apoye las palmas en la zona lumbar, justo por encima de los glúteos, con los "
            "dedos hacia abajo.",
            "Inclínese despacio hacia atrás sobre las manos, hasta donde le resulte cómodo.",
            "Quédese en el punto más inclinado hacia atrás {hold} y luego vuelva del todo a la "
            "posición erguida.",
            "Repítalo {repetitions}.",
        ],
        "purpose": (
            "Una extensión hacia atrás que puede hacer en cualquier sitio. Cuando ha pasado lo "
            "peor del dolor, ayuda a evitar que el problema de espalda vuelva. Es útil después "
            "de pasar mucho tiempo en una silla o inclinándose hacia delante, y puede "
            "sustituir a la extensión con brazos cuando no puede tumbarse."
        ),
        "cautions": _cautions(STENOSIS),
    },
    "supine-lumbar-flexion": {
        "name": "Rodillas al pecho (boca arriba)",
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
            "en flexión), en el dolor de espalda que se alivia al inclinarse hacia delante y para "
            "recuperar movilidad cuando un desarreglo ya se ha estabilizado."
        ),
        "cautions": _cautions(THEN_EXTENSION),
    },
    "seated-lumbar-flexion": {
        "name": "Inclinarse hacia delante en una silla (flexión lumbar)",
        "steps": [
            "Siéntese en una silla estable con los pies apoyados en el suelo y separados.",
            "Inclínese despacio hacia delante, llevando las manos hacia el suelo entre las "
            "rodillas.",
            "Cuando ya no pueda inclinarse más, sujétese los tobillos y tire suavemente "
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
        "name": "Inclinarse hacia delante de pie (flexión lumbar)",
        "steps": [
            "Póngase de pie con los pies separados más o menos a la anchura de los hombros.",
            "Deje caer la parte superior del cuerpo hacia delante, con los brazos colgando "
            "hacia el suelo, y baje todo lo que pueda.",
            "Permanezca en el punto más bajo {hold}.",
            "Vuelva a incorporarse despacio.",
            "Repítalo {repetitions}.",
        ],
        "purpose": (
            "El último paso de la progresión en flexión, cuando la flexión en una silla ya le "
            "resulta fácil."
        ),
        "cautions": _cautions(THEN_EXTENSION),
    },
    "sitting-lumbar-roll": {
        "name": "En una silla con un rulo lumbar",
        "steps": [
            "Siéntese bien atrás en una silla firme, de modo que las nalgas toquen el respaldo.",
            "Coloque un cojín pequeño y firme o una toalla enrollada detrás de la parte baja "
            "de la espalda, más o menos a la altura del cinturón.",
            "Apoye la espalda en el rulo, de modo que la zona lumbar conserve una ligera curva "
            "hacia dentro, con los hombros relajados.",
            "Siéntese así siempre que vaya a pasar un rato en una silla: a la mesa, en el coche, "
            "en el trabajo.",
        ],
        "purpose": (
            "Corrección postural. Sentarse con la espalda encorvada mantiene la zona lumbar "
            "doblada hacia delante durante mucho tiempo; el rulo conserva la curva hacia "
            "dentro sin esfuerzo, para que el dolor que ha reducido con los ejercicios no "
            "vuelva."
        ),
        "cautions": _cautions(
            "Si al sentarse con el rulo el dolor se extiende más lejos, quítelo y dígaselo a su "
            "fisioterapeuta.",
            STENOSIS,
        ),
    },
    "slouch-overcorrect": {
        "name": "Encorvarse y enderezarse del todo (sobrecorrección)",
        "steps": [
            "Siéntese en la parte delantera de una silla o un taburete, con los pies apoyados "
            "en el suelo.",
            "Déjese caer del todo: la zona lumbar se redondea y la cabeza cae hacia delante.",
            "Después siéntese con la espalda lo más recta que pueda, llevando la zona lumbar "
            "hacia dentro todo lo posible, con la cabeza recta. Mantenga {hold}.",
            "Afloje más o menos una décima parte de ese esfuerzo: esa es la postura erguida "
            "que conviene mantener.",
            "Repítalo {repetitions}, pasando con suavidad de la postura encorvada a la erguida.",
        ],
        "purpose": (
            "Corrección postural. Enseña dónde está una buena postura sentada, entre los dos "
            "extremos, para que pueda recuperarla cada vez que note que se ha encorvado."
        ),
        "cautions": _cautions(
            "Encorvarse no debería llevar el dolor a la nalga ni a la pierna; si ocurre, "
            "muévase solo entre la postura erguida y la completamente erguida, y dígaselo a su "
            "fisioterapeuta.",
            STENOSIS,
        ),
    },
}

SUBSTITUTE = "No es posible tumbarse (en el trabajo, fuera de casa)."
STABLE = "Sin dolor durante el número de días de la clínica: el desarreglo es estable."
BACK_TO_PRESS_UP = "El dolor se desplaza al centro: vuelva a la extensión con brazos."
KEEP_WELL = (
    "Sin dolor durante el número de días de la clínica con la flexión recuperada: mantenga la "
    "espalda bien."
)
EXTENSION_STEPS = ("prone-lying", "prone-props", "prone-press-up", "prone-press-up-sustained")
LATERAL_STEPS = ("prone-press-up-hips-off-centre", "standing-side-glide", "flexion-rotation")
RECOVERY_STEPS = ("supine-lumbar-flexion", "seated-lumbar-flexion", "standing-lumbar-flexion")

PROGRESSIONS: dict[str, dict[str, Any]] = {
    "extension": {
        "name": "Progresión en extensión",
        "description": (
            "Inclinación hacia atrás con más fuerza en cada paso: boca abajo, sobre los "
            "codos, con los brazos estirados y después con los brazos estirados "
            "dejando hundir la espalda. La extensión de pie la sustituye cuando no puede "
            "tumbarse."
        ),
        "advance_when": {
            "prone-lying": (
                "Estar boca abajo resulta cómodo y el dolor se mantiene central o disminuye."
            ),
            "prone-props": (
                "Apoyarse sobre los codos resulta cómodo y el dolor se mantiene central."
            ),
            "prone-press-up": (
                "La extensión con brazos centraliza o alivia el dolor y después deja de "
                "mejorar, o lo deja igual: más fuerza en la misma dirección."
            ),
        },
        "links": {
            **{(slug, "substitute"): SUBSTITUTE for slug in EXTENSION_STEPS},
            ("prone-press-up-sustained", "lateral"): (
                "Dolor en un lado, o desigual, que no se centraliza con la inclinación hacia atrás."
            ),
            **{(slug, "recovery"): STABLE for slug in EXTENSION_STEPS},
        },
    },
    "lateral": {
        "name": "Rama lateral",
        "description": (
            "Para el dolor en un lado, o desigual, que la inclinación hacia atrás por sí sola "
            "no lleva al centro: la extensión con las caderas desplazadas, el deslizamiento "
            "lateral contra una pared y la rotación en flexión si su fisioterapeuta ve que le "
            "conviene. Cuando el dolor se centraliza, se vuelve a la extensión con brazos."
        ),
        "advance_when": {
            "prone-press-up-hips-off-centre": (
                "El dolor en un lado no se mueve: pruebe el deslizamiento lateral."
            ),
            "standing-side-glide": (
                "El deslizamiento lateral deja igual el dolor en un lado: rotación en flexión, "
                "si su fisioterapeuta ve que le conviene."
            ),
        },
        "links": {
            **{(slug, "return"): BACK_TO_PRESS_UP for slug in LATERAL_STEPS},
            **{(slug, "recovery"): STABLE for slug in LATERAL_STEPS},
        },
    },
    "flexion": {
        "name": "Progresión en flexión",
        "description": (
            "Flexión hacia delante, de boca arriba a una silla y después de pie, para "
            "la estenosis de canal lumbar, la disfunción en flexión y los desarreglos que "
            "mejoran con la flexión."
        ),
        "advance_when": {
            "supine-lumbar-flexion": (
                "Las rodillas al pecho resultan fáciles y los síntomas se mantienen centrales "
                "o mejoran."
            ),
            "seated-lumbar-flexion": (
                "La flexión en una silla resulta fácil y los síntomas se mantienen centrales "
                "o mejoran."
            ),
        },
    },
    "recovery": {
        "name": "Recuperación de la función",
        "description": (
            "Cuando un desarreglo tratado con inclinación hacia atrás se ha mantenido estable, "
            "la flexión hacia delante se recupera paso a paso, seguida cada vez del ejercicio "
            "de extensión, para que la espalda vuelva a moverse con libertad en todas las "
            "direcciones."
        ),
        "advance_when": {
            "supine-lumbar-flexion": (
                "Las rodillas al pecho no dejan dolor después y el ejercicio de extensión se "
                "nota igual."
            ),
            "seated-lumbar-flexion": (
                "La flexión en una silla no deja dolor después y el ejercicio de extensión se nota "
                "igual."
            ),
        },
        "links": {(slug, "maintenance"): KEEP_WELL for slug in RECOVERY_STEPS},
    },
    "maintenance": {
        "name": "Mantenimiento",
        "description": (
            "Mantener la espalda bien cuando el dolor ha desaparecido: la extensión de pie "
            "después de pasar mucho rato en una silla o inclinándose hacia delante, con una buena "
            "postura en la silla (el rulo lumbar y encorvarse y enderezarse del todo, del "
            "catálogo)."
        ),
        "advance_when": {},
    },
}
