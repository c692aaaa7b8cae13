"""Reference data in the admin. Rubrics are read-only here: they change through
programs.domain.revise_rubric, which keeps the sums right and versions frozen rubrics."""

from django.contrib import admin

from servplan.programs.models import Program, Rubric, RubricCell, RubricDimension


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["roc_year", "title", "issued_on", "letter_number"]
    exclude = ["outline"]


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RubricDimensionInline(ReadOnlyMixin, admin.TabularInline):
    model = RubricDimension
    fields = ["position", "name", "max_score", "scoring_focus"]
    extra = 0


@admin.register(Rubric)
class RubricAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "roc_year", "version", "total_max", "office"]
    inlines = [RubricDimensionInline]


@admin.register(RubricCell)
class RubricCellAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["dimension", "item", "max_score"]
    list_filter = ["dimension__rubric"]
