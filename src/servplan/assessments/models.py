"""An office's half-yearly self-assessment (seed 000): scores, findings, improvements, sign-offs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Floor
from django.utils.translation import pgettext_lazy

from servplan.core.roc import Period
from servplan.offices.models import Decision as Decision  # re-exported: callers import it here
from servplan.offices.models import Office, SignOffBase
from servplan.programs.models import SCORE_DIGITS, Rubric, RubricCell


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assessment status", "草稿")
    IN_SIGNOFF = "in_signoff", pgettext_lazy("assessment status", "核章中")
    SUBMITTED = "submitted", pgettext_lazy("assessment status", "已送業務處")
    REVIEWED = "reviewed", pgettext_lazy("assessment status", "已複評")


LOCKED_STATUSES = (Status.SUBMITTED, Status.REVIEWED)


def _half_points(field: str) -> Q:
    """Null, or a non-negative whole/half point: score × 2 has no fraction."""
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": 0, field: Floor(F(field) * 2) / 2}
    )


class Assessment(models.Model):
    """自行考核: one office, one rubric, one period (months of a ROC year)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="assessments")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="assessments")
    roc_year = models.PositiveSmallIntegerField(pgettext_lazy("assessment", "年度"))
    start_month = models.PositiveSmallIntegerField(pgettext_lazy("assessment", "起月"))
    end_month = models.PositiveSmallIntegerField(pgettext_lazy("assessment", "迄月"))
    assessed_on = models.DateField(pgettext_lazy("assessment", "考核日期"), null=True, blank=True)
    status = models.CharField(
        pgettext_lazy("assessment", "狀態"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    # The latest reopen by HQ or an admin, shown on the record while it is a draft again.
    reopened_at = models.DateTimeField(
        pgettext_lazy("assessment", "重新開啟時間"), null=True, blank=True
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.TextField(pgettext_lazy("assessment", "重新開啟原因"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-roc_year", "-start_month", "office__position"]
        verbose_name = pgettext_lazy("model", "自行考核")
        verbose_name_plural = pgettext_lazy("model", "自行考核")
        # A period's records (the board, the comparison, HQ's lists) without reading every
        # period's: the unique constraint below leads with the office.
        indexes = [
            models.Index(
                fields=["roc_year", "start_month", "end_month", "status"],
                name="assessment_period_status",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "roc_year", "start_month", "end_month"],
                name="assessment_one_per_period",
            ),
            models.CheckConstraint(
                condition=Q(start_month__gte=1, start_month__lte=F("end_month"), end_month__lte=12),
                name="assessment_months_in_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.name} {self.period}"

    @property
    def period(self) -> Period:
        return Period(self.roc_year, self.start_month, self.end_month)

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES


class CellScore(models.Model):
    """The office's 自評 score and narrative for one rubric cell, plus HQ's 複評.

    `max_score` repeats the rubric cell's maximum (rubrics in use are frozen) so that the
    database itself refuses a score above it. `version` grows with every save, for
    refusing stale edits.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="cells")
    cell = models.ForeignKey(RubricCell, on_delete=models.PROTECT, related_name="+")
    max_score = models.DecimalField(pgettext_lazy("assessment", "配分"), **SCORE_DIGITS)
    score = models.DecimalField(
        pgettext_lazy("assessment", "自評"), null=True, blank=True, **SCORE_DIGITS
    )
    narrative = models.TextField(pgettext_lazy("assessment", "執行情形"), blank=True)
    review_score = models.DecimalField(
        pgettext_lazy("assessment", "複評"), null=True, blank=True, **SCORE_DIGITS
    )
    review_comment = models.TextField(pgettext_lazy("assessment", "複評意見"), blank=True)
    version = models.PositiveIntegerField(default=1)
    # HQ's review has a version of its own: the office's `version` must not move when HQ
    # reviews, or the office could tell a cell was reviewed before the release.
    review_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["cell__dimension__position", "cell__item__position"]
        verbose_name = pgettext_lazy("model", "評分格")
        verbose_name_plural = pgettext_lazy("model", "評分格")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "cell"], name="cellscore_one_per_cell"),
            models.CheckConstraint(
                condition=_half_points("score"), name="cellscore_score_half_points"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=F("max_score")),
                name="cellscore_score_le_max",
            ),
            models.CheckConstraint(
                condition=_half_points("review_score"), name="cellscore_review_half_points"
            ),
            models.CheckConstraint(
                condition=Q(review_score__isnull=True) | Q(review_score__lte=F("max_score")),
                name="cellscore_review_le_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.cell}"


class ImprovementStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("improvement status", "待辦理")
    IN_PROGRESS = "in_progress", pgettext_lazy("improvement status", "辦理中")
    DONE = "done", pgettext_lazy("improvement status", "已完成")


class Improvement(models.Model):
    """A recommendation (建議改善事項) followed up quarter by quarter until done.

    The results summary and the follow-up table both read it, so they cannot disagree;
    an open improvement carries over to the office's next period.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="improvements")
    opened_in = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="opened_improvements"
    )
    recommendation = models.TextField(pgettext_lazy("improvement", "建議改善事項"))
    status = models.CharField(
        pgettext_lazy("improvement", "狀態"),
        max_length=20,
        choices=ImprovementStatus.choices,
        default=ImprovementStatus.OPEN,
    )
    remarks = models.TextField(pgettext_lazy("improvement", "備註"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = pgettext_lazy("model", "建議改善事項")
        verbose_name_plural = pgettext_lazy("model", "建議改善事項")

    def __str__(self) -> str:
        return self.recommendation[:40]


class FollowUp(models.Model):
    """One quarter's 改善辦理情形 of an improvement; `recommendation` is set when it was reworded."""

    improvement = models.ForeignKey(
        Improvement, on_delete=models.CASCADE, related_name="follow_ups"
    )
    roc_year = models.PositiveSmallIntegerField(pgettext_lazy("follow-up", "年度"))
    quarter = models.PositiveSmallIntegerField(pgettext_lazy("follow-up", "季"))
    recorded_on = models.DateField(pgettext_lazy("follow-up", "填報日期"), null=True, blank=True)
    progress = models.TextField(pgettext_lazy("follow-up", "改善辦理情形"))
    recommendation = models.TextField(pgettext_lazy("follow-up", "修正後建議改善事項"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["roc_year", "quarter", "created_at", "id"]
        verbose_name = pgettext_lazy("model", "逐季追蹤")
        verbose_name_plural = pgettext_lazy("model", "逐季追蹤")
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="followup_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.roc_year} 年第 {self.quarter} 季"


class Finding(models.Model):
    """One row of the results summary: 優點、缺點、建議改善事項、改善事項辦理情形、備註 for one cell."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    cell = models.ForeignKey(RubricCell, on_delete=models.PROTECT, related_name="+")
    strengths = models.TextField(pgettext_lazy("finding", "優點"), blank=True)
    weaknesses = models.TextField(pgettext_lazy("finding", "缺點"), blank=True)
    improvement = models.ForeignKey(
        Improvement, null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    remarks = models.TextField(pgettext_lazy("finding", "備註"), blank=True)
    # What the row showed of its improvement when the assessment was submitted (snapshot()).
    frozen = models.JSONField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["cell__dimension__position", "cell__item__position"]
        verbose_name = pgettext_lazy("model", "考核發現")
        verbose_name_plural = pgettext_lazy("model", "考核發現")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "cell"], name="finding_one_per_cell")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.cell}"

    def snapshot(self) -> dict | None:
        """What the row shows of its shared improvement now, to keep once submitted.

        The improvement lives on in later periods (rewordings, status, follow-ups); a submitted
        row keeps showing these values and only the follow-ups listed here.
        """
        i = self.improvement
        if i is None:
            return None
        return {
            "recommendation": i.recommendation,
            "status": i.status,
            "remarks": i.remarks,
            "follow_ups": [fu.pk for fu in i.follow_ups.all()],
        }

    def _shown(self, key: str, default: str = ""):
        if self.frozen is not None:
            return self.frozen[key]
        return getattr(self.improvement, key) if self.improvement else default

    @property
    def recommendation(self) -> str:
        return self._shown("recommendation")

    @property
    def improvement_status(self) -> str:
        return self._shown("status")

    @property
    def improvement_status_label(self) -> str:
        status = self.improvement_status
        return ImprovementStatus(status).label if status else ""

    @property
    def improvement_remarks(self) -> str:
        return self._shown("remarks")

    @property
    def follow_up_entries(self) -> list[FollowUp]:
        """The improvement's follow-ups this row shows (reads prefetched follow-ups)."""
        if self.improvement is None:
            return []
        entries = list(self.improvement.follow_ups.all())
        if self.frozen is None:
            return entries
        kept = set(self.frozen["follow_ups"])
        return [e for e in entries if e.pk in kept]

    @property
    def progress(self) -> str:
        """The newest 改善事項辦理情形 the row shows ("" when none)."""
        entries = self.follow_up_entries
        return entries[-1].progress if entries else ""


class SignOff(SignOffBase):
    """One signature in the assessment's approval chain (offices.models.SignOffBase).

    A submit or approval keeps what the signer approved: the content hash and the sha256 of
    the three forms as one PDF (the bytes are in SignedCopy), and the name printed for them.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="signoffs")
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta(SignOffBase.Meta):
        verbose_name = pgettext_lazy("model", "核章紀錄")
        verbose_name_plural = pgettext_lazy("model", "核章紀錄")

    def __str__(self) -> str:
        return f"{self.assessment} {self.get_role_display()} {self.get_decision_display()}"


class SignedCopy(models.Model):
    """The three forms as one PDF, byte for byte as they were when the sign-off was made."""

    signoff = models.OneToOneField(
        SignOff, on_delete=models.CASCADE, primary_key=True, related_name="signed_copy"
    )
    pdf = models.BinaryField()

    class Meta:
        verbose_name = pgettext_lazy("model", "核章時文件")
        verbose_name_plural = pgettext_lazy("model", "核章時文件")

    def __str__(self) -> str:
        return str(self.signoff)


def _evidence_path(instance: "Evidence", filename: str) -> str:
    """A random name under evidence/<assessment>/: the uploader's name never reaches the disk."""
    import secrets
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{instance.cell_score.assessment_id}/{secrets.token_hex(16)}{suffix}"


class Evidence(models.Model):
    """A supporting file for one cell (PDF, image, office document), kept under MEDIA_ROOT.

    MEDIA_ROOT is not served by the web server; files go out only through a view that applies
    the assessment's access rule.
    """

    cell_score = models.ForeignKey(CellScore, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    name = models.CharField(pgettext_lazy("evidence", "檔名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(pgettext_lazy("evidence", "大小"))
    # Of the content: the same file attached to the same cell again is recognized, not stored.
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = pgettext_lazy("model", "佐證資料")
        verbose_name_plural = pgettext_lazy("model", "佐證資料")

    def __str__(self) -> str:
        return self.name
