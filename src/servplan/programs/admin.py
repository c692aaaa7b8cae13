"""Reference data in the admin, read-only: programs and rubrics change on HQ's pages
(/hq/programs/, /hq/rubrics/) through programs.domain, which keeps published ones unchanged
(a change is a new version), the rubric sums right and the audit trail."""

from django.contrib import admin

from servplan.programs.models import Program, Rubric, RubricCell, RubricDimension


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["roc_year", "version", "status", "title", "issued_on", "letter_number"]
    exclude = ["outline"]


class RubricDimensionInline(ReadOnlyMixin, admin.TabularInline):
    model = RubricDimension
    fields = ["position", "name", "max_score", "scoring_focus"]
    extra = 0


@admin.register(Rubric)
class RubricAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "roc_year", "version", "status", "total_max", "office"]
    inlines = [RubricDimensionInline]


@admin.register(RubricCell)
class RubricCellAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["dimension", "item", "max_score"]
    list_filter = ["dimension__rubric"]
