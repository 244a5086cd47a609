"""English dates, one way everywhere (dashboard, portal, handout): "29 Nov 2026",
"29 Nov 2026, 14:05", and "29 Nov" where the year is plain from the context."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j M"
TIME_FORMAT = "H:i"
