"""Forms of the sign-in pages that need more than Django's own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from patients.language import language_of


class PasswordResetInOwnLanguageForm(PasswordResetForm):
    """The reset email goes out in the account holder's language (a patient's preferred
    language), not in the language of whoever typed the address."""

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        context = args[2] if len(args) > 2 else kwargs["context"]
        language = language_of(context["user"]) or translation.get_language()
        with translation.override(language):
            super().send_mail(*args, **kwargs)
