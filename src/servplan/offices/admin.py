from django.contrib import admin

from servplan.core.errors import DomainError
from servplan.offices.domain import end_deputy, revoke_tokens
from servplan.offices.models import ApiToken, ChainStep, Department, Deputy, Membership, Office


class ChainStepInline(admin.TabularInline):
    model = ChainStep
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "active", "position"]
    list_filter = ["active", "region"]
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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be seen and revoked here, never read: only the digest's start is shown, and
    new ones come from `servplan token` (the only time the secret is printed)."""

    list_display = ["user", "prefix", "created_at", "expires_at", "last_used_at"]
    list_filter = ["expires_at"]
    search_fields = ["user__username"]
    fields = ["user", "prefix", "created_at", "expires_at", "last_used_at"]
    readonly_fields = fields

    @admin.display(description="權杖前綴")
    def prefix(self, obj: ApiToken) -> str:
        return obj.prefix

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj: ApiToken) -> None:
        revoke_tokens(tokens=[obj], user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        revoke_tokens(tokens=queryset, user=request.user)


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    """Deputies are seen here and ended with the action; they are registered on the office's
    page (職務代理人), where the domain checks who may and audits it."""

    list_display = ["deputy", "principal", "office", "starts_on", "ends_on", "ended_at"]
    list_filter = ["office", "ends_on"]
    search_fields = ["deputy__username", "principal__username"]
    actions = ["end_now"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="結束所選的職務代理")
    def end_now(self, request, queryset) -> None:
        for row in queryset:
            try:
                end_deputy(registration=row, user=request.user)
            except DomainError as exc:
                self.message_user(request, f"{row}：{exc.message}", level="warning")
