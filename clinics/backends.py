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
