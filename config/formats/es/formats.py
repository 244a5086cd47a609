"""Spanish dates, one way everywhere (dashboard, portal, handout): "29 nov 2026",
"29 nov 2026, 14:05", and "29 nov" where the year is plain from the context."""

DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j b Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j b"
TIME_FORMAT = "H:i"

# Dates typed by hand (where the browser has no date picker) are read day first, as
# they are written above; a month-first date is refused, never read as another day.
# The ISO form is what the browser's date picker sends.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y"]
