from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .admin_audit import ReadOnlyHistoryAdmin
from .images import PictureField, clean_picture
from .models import AuditEvent, Clinic, Therapist
from .validators import validate_username_not_anothers_email


class TherapistInline(admin.TabularInline):
    model = Therapist
    extra = 0
    autocomplete_fields = ["user"]


class ClinicAdminForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    logo = PictureField(
        label=_("logo"),
        required=False,
        help_text=Clinic._meta.get_field("logo").help_text,
        widget=AdminFileWidget,
    )

    class Meta:
        model = Clinic
        fields = "__all__"  # noqa: DJ007 - the admin edits every field

    def clean_logo(self) -> object:
        # Checked and re-encoded like an upload on the dashboard's settings page.
        return clean_picture(self.cleaned_data.get("logo"))


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    form = ClinicAdminForm
    list_display = ["name", "slug", "paper_size", "emergency_number", "pain_rise_threshold"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [TherapistInline]


@admin.register(Therapist)
class TherapistAdmin(admin.ModelAdmin):
    list_display = ["__str__", "clinic", "is_clinic_admin"]
    list_filter = ["clinic", "is_clinic_admin"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyHistoryAdmin):
    list_display = ["at", "clinic", "actor_label", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "object_type", "clinic"]
    search_fields = ["actor_label", "object_id"]
    date_hierarchy = "at"


def _sign_in_history_read_only() -> None:
    """django-axes' attempts and logs are sign-in history: readable, never deletable."""
    for model, model_admin in list(admin.site._registry.items()):
        if model._meta.app_label != "axes":
            continue
        admin.site.unregister(model)
        read_only = type(
            f"ReadOnly{type(model_admin).__name__}",
            (ReadOnlyHistoryAdmin, type(model_admin)),
            {"actions": []},
        )
        admin.site.register(model, read_only)


_sign_in_history_read_only()


class _UsernameNotAnothersEmail:
    """A username may not be another account's email: sign-in tries the username
    first, so it would take that person's email sign-in away."""

    def clean_username(self) -> str:
        username = super().clean_username()
        validate_username_not_anothers_email(username, user_pk=self.instance.pk)
        return username


class StaffUserCreationForm(_UsernameNotAnothersEmail, AdminUserCreationForm):
    pass


class StaffUserChangeForm(UserChangeForm):
    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        validate_username_not_anothers_email(username, user_pk=self.instance.pk)
        return username


def _users_checked_for_anothers_email() -> None:
    User = get_user_model()
    model_admin = admin.site._registry.get(User)
    if model_admin is None:
        return
    admin.site.unregister(User)
    checked = type(
        f"Checked{type(model_admin).__name__}",
        (type(model_admin),),
        {"add_form": StaffUserCreationForm, "form": StaffUserChangeForm, "__module__": __name__},
    )
    admin.site.register(User, checked)


_users_checked_for_anothers_email()
