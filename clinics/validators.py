"""Phone numbers a clinic gives its patients, and the `tel:` links made from them.

Patients tap these numbers on the portal (the clinic's phone after a warning, the
emergency number after a red flag), so what is stored must be a number a phone
can dial: digits, a leading + for an international number, and the separators
people write between groups of digits.
"""

from __future__ import annotations

import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Digits with spaces, dashes, dots or brackets between them, and at most a leading +.
PHONE_FORMAT = re.compile(r"\+?[0-9 ().-]+")
PHONE_MIN_DIGITS = 6
# The longest number the international plan (E.164) allows.
PHONE_MAX_DIGITS = 15
EMERGENCY_FORMAT = re.compile(r"\+?[0-9 ]+")


def _digits(value: str) -> int:
    return sum(character.isdigit() for character in value)


def validate_phone(value: str) -> None:
    """The clinic's phone: e.g. "+44 20 7946 0000", "(020) 7946-0000", "555.0100"."""
    if not PHONE_FORMAT.fullmatch(value.strip()):
        raise ValidationError(
            _(
                "Enter the phone number only: digits, with spaces, dashes, dots or "
                "brackets between them and a + in front if needed, e.g. +44 20 7946 0000."
            ),
            code="phone_format",
        )
    digits = _digits(value)
    if digits < PHONE_MIN_DIGITS:
        raise ValidationError(
            _("A phone number has at least %(n)d digits.") % {"n": PHONE_MIN_DIGITS},
            code="phone_too_short",
        )
    if digits > PHONE_MAX_DIGITS:
        raise ValidationError(
            _("A phone number has at most %(n)d digits.") % {"n": PHONE_MAX_DIGITS},
            code="phone_too_long",
        )


def validate_emergency_number(value: str) -> None:
    """The emergency number: short, e.g. 112, 911, 999, or 15 in France."""
    if not EMERGENCY_FORMAT.fullmatch(value.strip()) or not _digits(value):
        raise ValidationError(_("Enter the number as digits, e.g. 112."), code="emergency_format")


def tel_link(value: str) -> str:
    """The `tel:` address of a number: its digits, with its leading + if it has one.

    Empty when the number is not one a phone can dial (a value stored before the
    phone was checked, such as "ask at reception"), so that a page shows the number
    as text instead of a button that calls nothing."""
    value = (value or "").strip()
    digits = "".join(character for character in value if character.isdigit())
    if not digits or not PHONE_FORMAT.fullmatch(value):
        return ""
    return f"tel:{'+' if value.startswith('+') else ''}{digits}"


def validate_open_days(value: str) -> None:
    """ISO weekday numbers in order, each at most once ("12345": Monday to Friday)."""
    if not re.fullmatch(r"1?2?3?4?5?6?7?", value or "") or not value:
        raise ValidationError(_("Choose at least one day the clinic is open."))


def username_is_anothers_email(username: str, *, user_pk: int | None = None) -> bool:
    """Whether `username` is the email address of an account other than `user_pk`.
    Sign-in takes a username or an email, and a username wins: such a name would
    take that person's email sign-in away from them."""
    from django.contrib.auth import get_user_model

    username = (username or "").strip()
    if "@" not in username:
        return False
    others = get_user_model()._default_manager.exclude(pk=user_pk)
    return others.filter(email__iexact=username).exists()


def validate_username_not_anothers_email(username: str, *, user_pk: int | None = None) -> None:
    if username_is_anothers_email(username, user_pk=user_pk):
        raise ValidationError(
            _("This username is another account's email address. Please choose another."),
            code="anothers_email",
        )


def time_zone_names() -> list[str]:
    """Every IANA time zone name this machine knows (from the system or `tzdata`)."""
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """An IANA time zone name, e.g. "Europe/Madrid" or "America/Los_Angeles"."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone. Use a name such as Europe/Madrid."),
            params={"value": value},
            code="time_zone",
        )
