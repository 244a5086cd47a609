"""Django's own messages that patients meet on the sign-in and password pages, listed
here so that `makemessages` copies them into our catalog.

Our catalog is read before Django's, so the Spanish we give these msgids replaces
Django's, which reads as a form ("Por favor, introduzca un nombre de usuario y clave
correctos") and, in one case, says the opposite of what it means ("introduzca la misma
contraseña anterior" reads as "type your OLD password"). Nothing imports this module:
the msgids must stay exactly Django's (apostrophes included) to take effect, and
tests/i18n/test_django_messages.py checks that they still do.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Some msgids carry Django's typographic apostrophe (U+2019), hence the noqa: RUF001.

SIGN_IN = (
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be "
        "case-sensitive."
    ),
    gettext_noop("This account is inactive."),
)

PASSWORD_FORMS = (
    gettext_noop("Old password"),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Password confirmation"),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("The two password fields didn’t match."),  # noqa: RUF001
)

PASSWORD_RULES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        8,
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),  # noqa: RUF001
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),  # noqa: RUF001
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),  # noqa: RUF001
)
