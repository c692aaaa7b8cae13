from django.contrib import admin

from servplan.offices.models import ChainStep, Department, Membership, Office


class ChainStepInline(admin.TabularInline):
    model = ChainStep
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "position"]
    search_fields = ["name", "code"]
    filter_horizontal = ["departments"]
    inlines = [ChainStepInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "office"]
    list_filter = ["role", "office"]
    autocomplete_fields = ["office"]
