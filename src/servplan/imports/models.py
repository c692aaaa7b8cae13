"""Imported files: which record each file became (so the same file twice finds it), and uploads
waiting for the user to confirm them in the browser."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from servplan.assessments.models import Assessment
from servplan.offices.models import Office
from servplan.plans.models import OfficePlan


class ImportKind(models.TextChoices):
    ASSESSMENT = "assessment", pgettext_lazy("import kind", "自行考核")
    PLAN = "plan", pgettext_lazy("import kind", "執行計畫")


class ImportRecord(models.Model):
    """One imported file, found again by its SHA-256 within its office (offices import the same
    distributed file each for itself)."""

    sha256 = models.CharField(pgettext_lazy("import", "檔案雜湊"), max_length=64)
    filename = models.CharField(pgettext_lazy("import", "檔名"), max_length=255)
    size = models.PositiveIntegerField(pgettext_lazy("import", "大小"))
    kind = models.CharField(
        pgettext_lazy("import", "種類"), max_length=20, choices=ImportKind.choices
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(
        OfficePlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "匯入紀錄")
        verbose_name_plural = pgettext_lazy("model", "匯入紀錄")
        constraints = [
            models.UniqueConstraint(fields=["sha256", "office"], name="import_once_per_office")
        ]

    def __str__(self) -> str:
        return self.filename


class PendingUpload(models.Model):
    """A file read and shown to its uploader, stored only once they confirm it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(pgettext_lazy("import", "檔名"), max_length=255)
    content = models.BinaryField()
    office_override = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "待確認的上傳")
        verbose_name_plural = pgettext_lazy("model", "待確認的上傳")

    def __str__(self) -> str:
        return self.filename
