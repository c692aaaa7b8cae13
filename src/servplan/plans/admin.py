from django.contrib import admin

from servplan.plans.models import OfficePlan


@admin.register(OfficePlan)
class OfficePlanAdmin(admin.ModelAdmin):
    list_display = ["title", "office", "program", "status", "approved_on"]
    list_filter = ["status", "program"]
    exclude = ["outline"]
