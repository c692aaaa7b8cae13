"""What the public site serves (政府資訊公開): frozen copies, never the live records.

A publication keeps what the public reads as it was when it was published: the page's content
as data and the documents as bytes with their SHA-256, so a download is the same file for as
long as it stays published. Taking it down keeps the row (who, when, why) for the record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from servplan.plans.models import OfficePlan


class DocumentFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    ODT = "odt", "ODT"


class PlanPublication(models.Model):
    """An approved office plan as put on the public site (plans.publication)."""

    plan = models.ForeignKey(OfficePlan, on_delete=models.PROTECT, related_name="publications")
    published_at = models.DateTimeField(pgettext_lazy("publication", "公開時間"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The public page's content (title, office, dates, sections, tree) as approved.
    content = models.JSONField(pgettext_lazy("publication", "公開內容"))
    unpublished_at = models.DateTimeField(
        pgettext_lazy("publication", "撤下時間"), null=True, blank=True
    )
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unpublish_reason = models.TextField(pgettext_lazy("publication", "撤下理由"), blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = pgettext_lazy("model", "公開執行計畫")
        verbose_name_plural = pgettext_lazy("model", "公開執行計畫")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(unpublished_at__isnull=True),
                name="plan_published_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan}（{self.published_at:%Y-%m-%d}）"


class PublishedDocument(models.Model):
    """One format of a publication, byte for byte as published."""

    publication = models.ForeignKey(
        PlanPublication, on_delete=models.CASCADE, related_name="documents"
    )
    format = models.CharField(max_length=10, choices=DocumentFormat.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["format"]
        verbose_name = pgettext_lazy("model", "公開文件")
        verbose_name_plural = pgettext_lazy("model", "公開文件")
        constraints = [
            models.UniqueConstraint(fields=["publication", "format"], name="published_format_once")
        ]

    def __str__(self) -> str:
        return f"{self.publication} {self.format}"
