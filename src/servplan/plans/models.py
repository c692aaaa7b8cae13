"""An office's plan: its adaptation of HQ's program for one year (seed 001)."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from servplan.offices.models import Office, SignOffBase
from servplan.programs.models import Outline, Program


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("plan status", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("plan status", "已送出")
    APPROVED = "approved", pgettext_lazy("plan status", "陳准實施")
    PUBLISHED = "published", pgettext_lazy("plan status", "已公開")


class OfficePlan(models.Model):
    """壹 計畫依據 · 貳 計畫目標 · 參 實施對象 · 肆 the strategy table · 伍 實施步驟 · 陸 附則."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="plans")
    # The plan's own year; its program is HQ's of that year or, when HQ hasn't issued one yet,
    # the latest earlier one the plan was started from.
    roc_year = models.PositiveSmallIntegerField(pgettext_lazy("plan", "年度"))
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="plans")
    outline = models.OneToOneField(Outline, on_delete=models.PROTECT, related_name="plan")
    title = models.CharField(pgettext_lazy("plan", "名稱"), max_length=200)
    status = models.CharField(
        pgettext_lazy("plan", "狀態"),
        max_length=20,
        choices=PlanStatus.choices,
        default=PlanStatus.DRAFT,
    )
    approved_on = models.DateField(pgettext_lazy("plan", "陳准實施日期"), null=True, blank=True)
    basis = models.TextField(pgettext_lazy("plan", "計畫依據"), blank=True)
    goals = models.TextField(pgettext_lazy("plan", "計畫目標"), blank=True)
    targets = models.TextField(pgettext_lazy("plan", "實施對象"), blank=True)
    steps = models.TextField(pgettext_lazy("plan", "實施步驟"), blank=True, help_text="一行一步驟")
    supplementary = models.TextField(pgettext_lazy("plan", "附則"), blank=True)
    # Covers the sections above (壹 … 參, 伍, 陸): raised by every edit of them.
    version = models.PositiveIntegerField(pgettext_lazy("plan", "版本"), default=1)
    # The latest reopen by HQ or an admin, shown on the plan while it is a draft again.
    reopened_at = models.DateTimeField(pgettext_lazy("plan", "重新開啟時間"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.TextField(pgettext_lazy("plan", "重新開啟原因"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-roc_year", "office__position"]
        verbose_name = pgettext_lazy("model", "區營業處執行計畫")
        verbose_name_plural = pgettext_lazy("model", "區營業處執行計畫")
        constraints = [
            models.UniqueConstraint(fields=["office", "roc_year"], name="plan_one_per_office_year")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class PlanSignOff(SignOffBase):
    """One signature in the plan's approval chain (offices.models.SignOffBase); a submit or
    approval keeps the content hash of the plan as that signer approved it."""

    plan = models.ForeignKey(OfficePlan, on_delete=models.CASCADE, related_name="signoffs")

    class Meta(SignOffBase.Meta):
        verbose_name = pgettext_lazy("model", "執行計畫核章紀錄")
        verbose_name_plural = pgettext_lazy("model", "執行計畫核章紀錄")

    def __str__(self) -> str:
        return f"{self.plan} {self.get_role_display()} {self.get_decision_display()}"
