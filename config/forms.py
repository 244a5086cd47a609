"""Forms of the sign-in pages that need more than Django's own."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils import translation

from clinics.tasks import send_email
from patients.language import language_of


class PasswordResetInOwnLanguageForm(PasswordResetForm):
    """The reset email goes out in the account holder's language (a patient's preferred
    language), not in the language of whoever typed the address. It is composed here
    and sent by the background worker, which tries again if the mail server is down."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        language = language_of(context["user"]) or translation.get_language()
        with translation.override(language):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
            html = (
                loader.render_to_string(html_email_template_name, context)
                if html_email_template_name
                else None
            )
        send_email.enqueue(
            subject=subject, body=body, to=[to_email], html=html, from_email=from_email
        )
