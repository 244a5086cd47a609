from django.contrib import admin

from .models import Exercise, Progression, ProgressionStep


class BuiltinReadOnlyMixin:
    """The built-in catalog is maintained in code (exercises/catalog.py)."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.clinic_id is None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.clinic_id is None:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Exercise)
class ExerciseAdmin(BuiltinReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "direction", "position", "clinic"]
    list_filter = ["direction", "position", ("clinic", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug"]


class ProgressionStepInline(admin.TabularInline):
    model = ProgressionStep
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.clinic_id is not None

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Progression)
class ProgressionAdmin(BuiltinReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "direction", "clinic"]
    inlines = [ProgressionStepInline]
