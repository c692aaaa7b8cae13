"""考核期間: the half years HQ opens for every office, their deadlines and HQ's 受理.

A period is named by its months (roc_year, start_month, end_month), as assessments and HQ's
release (review.ReviewRelease) are: the three are joined on those, not on a second key.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import pgettext_lazy

from servplan.core.roc import Period


class PeriodStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("period status", "開放中")
    CLOSED = "closed", pgettext_lazy("period status", "已關閉")


class AssessmentPeriod(models.Model):
    """One period HQ opened (115 年度 1 月至 6 月): its rubric, submission deadline and status.

    Closed only after HQ released the period's review; from then on it is frozen.
    """

    roc_year = models.PositiveSmallIntegerField(pgettext_lazy("period", "年度"))
    start_month = models.PositiveSmallIntegerField(pgettext_lazy("period", "起月"))
    end_month = models.PositiveSmallIntegerField(pgettext_lazy("period", "迄月"))
    rubric = models.ForeignKey(
        "programs.Rubric",
        on_delete=models.PROTECT,
        related_name="periods",
        verbose_name=pgettext_lazy("model", "評分表"),
    )
    deadline = models.DateField(pgettext_lazy("period", "繳交期限"))
    status = models.CharField(
        pgettext_lazy("period", "狀態"),
        max_length=10,
        choices=PeriodStatus.choices,
        default=PeriodStatus.OPEN,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(pgettext_lazy("period", "開放時間"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(pgettext_lazy("period", "關閉時間"), null=True, blank=True)

    class Meta:
        ordering = ["-roc_year", "-start_month", "-end_month"]
        verbose_name = pgettext_lazy("model", "考核期間")
        verbose_name_plural = pgettext_lazy("model", "考核期間")
        constraints = [
            models.UniqueConstraint(
                fields=["roc_year", "start_month", "end_month"], name="period_once"
            ),
            models.CheckConstraint(
                condition=Q(start_month__gte=1, start_month__lte=F("end_month"), end_month__lte=12),
                name="period_months_in_year",
            ),
        ]

    def __str__(self) -> str:
        return str(self.period)

    @property
    def period(self) -> Period:
        return Period(self.roc_year, self.start_month, self.end_month)

    @property
    def slug(self) -> str:
        """「115-1-6」: how URLs, the API and the command line name the period."""
        return self.period.slug

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED


class DeadlineOverride(models.Model):
    """One office's own deadline for a period (an extension HQ granted), with the reason."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="overrides")
    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("model", "區營業處"),
    )
    deadline = models.DateField(pgettext_lazy("period", "繳交期限"))
    reason = models.TextField(pgettext_lazy("period", "調整原因"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(pgettext_lazy("period", "調整時間"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "個別繳交期限")
        verbose_name_plural = pgettext_lazy("model", "個別繳交期限")
        constraints = [
            models.UniqueConstraint(fields=["period", "office"], name="override_once_per_office")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.office}"


class Acceptance(models.Model):
    """HQ's 受理 of one submission: tied to the submit that started its round, so a return
    or a reopen (a new round, a new submit) leaves the old acceptance behind without a flag
    to clear."""

    signoff = models.OneToOneField(
        "assessments.SignOff",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="acceptance",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(pgettext_lazy("period", "受理時間"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "受理紀錄")
        verbose_name_plural = pgettext_lazy("model", "受理紀錄")

    def __str__(self) -> str:
        return f"{self.signoff.assessment} 受理"


class CellMapping(models.Model):
    """HQ's mapping of one rubric cell (執行構面 × 評核項目) onto a cell of another rubric, so
    that periods scored on different rubric versions compare. `target` empty: HQ decided the
    cell has no counterpart there (it stays listed as not comparable, like an unmapped one).
    Several cells may map onto one (items merged); their points then count together."""

    source = models.ForeignKey(
        "programs.RubricCell",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("mapping", "原評分項目"),
    )
    target_rubric = models.ForeignKey(
        "programs.Rubric",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("mapping", "對應評分表"),
    )
    target = models.ForeignKey(
        "programs.RubricCell",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("mapping", "對應評分項目"),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(pgettext_lazy("mapping", "設定時間"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "評分項目對應")
        verbose_name_plural = pgettext_lazy("model", "評分項目對應")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_rubric"], name="mapping_once_per_target_rubric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id or '無對應'}"


class TypoCorrection(models.Model):
    """One entry of HQ's list of variant characters and common typos (嫓熟 → 嫻熟), which the
    reviewer aids look for in narratives. Shipped entries come from data/typos.yaml; HQ adds
    and retires entries on its page (a retired one stays, so `servplan init` won't bring it
    back)."""

    wrong = models.CharField(pgettext_lazy("typo", "誤用字詞"), max_length=20, unique=True)
    right = models.CharField(pgettext_lazy("typo", "建議用字"), max_length=20)
    note = models.CharField(pgettext_lazy("typo", "說明"), max_length=100, blank=True)
    active = models.BooleanField(pgettext_lazy("typo", "使用中"), default=True)

    class Meta:
        ordering = ["wrong"]
        verbose_name = pgettext_lazy("model", "常見錯別字")
        verbose_name_plural = pgettext_lazy("model", "常見錯別字")

    def __str__(self) -> str:
        return f"{self.wrong} → {self.right}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export status", "排隊中")
    RUNNING = "running", pgettext_lazy("export status", "產生中")
    DONE = "done", pgettext_lazy("export status", "已完成")
    FAILED = "failed", pgettext_lazy("export status", "失敗")


ACTIVE_EXPORT = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class PeriodExport(models.Model):
    """One period ZIP HQ asked for from the board (every office's PDF forms, or its data),
    built by a background job (periods.tasks) that keeps `done`/`total` up to date, so the
    progress bar reads this row and survives a reload. Only the latest finished ZIP of a
    period and format is kept (periods.exports)."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(pgettext_lazy("export", "格式"), max_length=10)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        pgettext_lazy("export", "狀態"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
    )
    done = models.PositiveIntegerField(pgettext_lazy("export", "已完成檔案數"), default=0)
    total = models.PositiveIntegerField(pgettext_lazy("export", "檔案總數"), default=0)
    current = models.CharField(
        pgettext_lazy("export", "最近完成的檔案"), max_length=200, blank=True
    )
    error = models.TextField(pgettext_lazy("export", "錯誤訊息"), blank=True)
    file = models.FileField(pgettext_lazy("export", "ZIP 檔"), upload_to="exports/", blank=True)
    size = models.PositiveBigIntegerField(pgettext_lazy("export", "位元組"), default=0)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("export", "申請時間"), auto_now_add=True)
    # Last sign of life: the job's updates set it (queryset updates skip auto_now).
    updated_at = models.DateTimeField(pgettext_lazy("export", "更新時間"), auto_now=True)
    finished_at = models.DateTimeField(pgettext_lazy("export", "完成時間"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = pgettext_lazy("model", "期間 ZIP 匯出")
        verbose_name_plural = pgettext_lazy("model", "期間 ZIP 匯出")
        constraints = [
            # One job at a time per period and format: a second click joins the first.
            models.UniqueConstraint(
                fields=["period", "format"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_export_per_format",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.format} ZIP"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_EXPORT

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0

    @property
    def filename(self) -> str:
        """As `servplan export period` names it: forms-115-1-6-pdf.zip."""
        return f"forms-{self.period.slug}-{self.format}.zip"
