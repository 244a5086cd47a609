"""Forms of the sign-in pages that need more than Django's own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import PasswordResetForm

from .tasks import send_password_reset


class PasswordResetInOwnLanguageForm(PasswordResetForm):
    """The reset email goes out in the account holder's language (a patient's preferred
    language), not in the language of whoever typed the address. The background
    worker composes and sends it from the account's id alone, trying again if the
    mail server is down; the link points at SITE_URL whatever Host the request named."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset.enqueue(user.pk)
