"""English date formats as Centra has always shown them; other languages use Django's
own formats for their locale (e.g. Spanish "28 de noviembre de 2026")."""

DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "M j"
