"""Sign in with the username or, failing that, the account's email address."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailOrUsernameBackend(ModelBackend):
    """The login page asks for a "username or email": a typed address that is not
    itself a username finds the one account with that email. An address shared by
    several accounts signs in none of them, rather than guessing."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ):
        if not username or "@" not in username or password is None:
            return None
        User = get_user_model()
        if User._default_manager.filter(username__iexact=username).exists():
            return None  # a username that looks like an address: ModelBackend's job
        matches = list(User._default_manager.filter(email__iexact=username)[:2])
        if len(matches) != 1:
            # Same work as a wrong password, so timing does not tell which addresses exist.
            User().set_password(password)
            return None
        user = matches[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def account_username(typed: str) -> str:
    """The username of the one account that `typed` names (its username in any case,
    or its email address in any case), else `typed` itself, lower-cased.

    The sign-in pause counts failures per account: every spelling of one account
    (`anna`, `Anna@Clinic.test`, `ANNA@clinic.test`) must share one counter, or each
    spelling would get its own fresh guesses.
    """
    typed = (typed or "").strip()
    if not typed:
        return ""
    User = get_user_model()
    users = User._default_manager
    exact = users.filter(username=typed).values_list("username", flat=True).first()
    if exact is not None:
        return exact
    by_name = list(users.filter(username__iexact=typed).values_list("username", flat=True)[:2])
    if len(by_name) == 1:
        return by_name[0]
    if "@" in typed:
        by_email = list(users.filter(email__iexact=typed).values_list("username", flat=True)[:2])
        if len(by_email) == 1:
            return by_email[0]
    return typed.lower()


def lockout_username(request: Any, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the account behind what was typed on the login form."""
    typed = ""
    if credentials:
        typed = credentials.get("username") or ""
    if not typed and request is not None:
        typed = request.POST.get("username", "")
    return account_username(str(typed))
