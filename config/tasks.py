"""The password-reset email, sent by the worker from the account's id: the queue
table never holds a reset token or link. The token is made when the mail is
composed (Django's tokens are made again from the account and SECRET_KEY), and
the link is built from SITE_URL, never from the Host header of whoever asked."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from clinics.tasks import retried
from patients.language import language_of

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
BODY_TEMPLATE = "registration/password_reset_email.html"


def reset_email_context(user) -> dict:
    site = urlsplit(settings.SITE_URL)
    return {
        "email": user.email,
        "domain": site.netloc,
        "site_name": site.netloc,
        "protocol": site.scheme,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
    }


@task()
@retried
def send_password_reset(user_id: int) -> bool:
    """Email the account a reset link, in its holder's language. False when the
    account can no longer reset (switched off, no password, no address)."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return False
    context = reset_email_context(user)
    with translation.override(language_of(user) or settings.LANGUAGE_CODE):
        subject = "".join(loader.render_to_string(SUBJECT_TEMPLATE, context).splitlines())
        body = loader.render_to_string(BODY_TEMPLATE, context)
    EmailMultiAlternatives(subject, body, None, [user.email]).send()
    return True
