"""What the public site serves (政府資訊公開): frozen copies, never the live records.

A publication keeps what the public reads as it was when it was published: the page's content
as data and the documents as bytes with their SHA-256, so a download is the same file for as
long as it stays published. Taking it down keeps the row (who, when, why) for the record.
Plans (plans.publication) and a period's results of an office (public.domain) are published;
their texts are cut into SearchDocument passages for the public search while they are up.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from servplan.assessments.models import Assessment
from servplan.offices.models import Office
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


class ResultsFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    ODT = "odt", "ODT"
    CSV = "csv", "CSV"
    ODS = "ods", "ODS"
    JSON = "json", "JSON"


class ResultsPublication(models.Model):
    """An office's self-assessment of a period, reviewed by HQ and released, as put on the
    public site (public.domain.publish_results): the scores per dimension (the office's and
    HQ's), the results summary and the follow-up table; no drafts, evidence or review comments.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="publications"
    )
    published_at = models.DateTimeField(pgettext_lazy("publication", "公開時間"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The public page's content (scores, findings, follow-ups) as published.
    content = models.JSONField(pgettext_lazy("publication", "公開內容"))
    # The record's content hash (documents.forms.content_hash), printed on the published PDF.
    content_hash = models.CharField(pgettext_lazy("publication", "內容雜湊"), max_length=64)
    unpublished_at = models.DateTimeField(
        pgettext_lazy("publication", "撤下時間"), null=True, blank=True
    )
    unpublished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unpublish_reason = models.TextField(pgettext_lazy("publication", "撤下理由"), blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = pgettext_lazy("model", "公開考核結果")
        verbose_name_plural = pgettext_lazy("model", "公開考核結果")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(unpublished_at__isnull=True),
                name="results_published_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment}（{self.published_at:%Y-%m-%d}）"


class ResultsDocument(models.Model):
    """One file of a results publication (forms as PDF/ODT, data as CSV/ODS/JSON), byte for
    byte as published."""

    publication = models.ForeignKey(
        ResultsPublication, on_delete=models.CASCADE, related_name="documents"
    )
    format = models.CharField(max_length=10, choices=ResultsFormat.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["publication", "id"]
        verbose_name = pgettext_lazy("model", "公開考核結果檔案")
        verbose_name_plural = pgettext_lazy("model", "公開考核結果檔案")
        constraints = [
            models.UniqueConstraint(fields=["publication", "format"], name="results_format_once")
        ]

    def __str__(self) -> str:
        return f"{self.publication} {self.format}"


class SearchKind(models.TextChoices):
    PLAN = "plan", pgettext_lazy("search kind", "執行計畫")
    RESULTS = "results", pgettext_lazy("search kind", "考核結果")


class SearchDocument(models.Model):
    """One passage of a publication (a plan's section or practice, a cell's narrative, a row
    of the results summary), for the public search (servplan.search.public).

    Written when the publication is made and deleted when it is taken down, so what is not
    public is not searchable. `body` is `text` normalised for matching (search.text.fold);
    the indexes are on it: pg_trgm's GIN on PostgreSQL, an FTS5 trigram table on SQLite, and
    for terms under three characters one of single characters on each (migrations 0002 and
    0003 create them, per database).
    """

    kind = models.CharField(max_length=10, choices=SearchKind.choices)
    plan_publication = models.ForeignKey(
        PlanPublication,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_documents",
    )
    results_publication = models.ForeignKey(
        ResultsPublication,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_documents",
    )
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    office_name = models.CharField(
        pgettext_lazy("search", "區營業處"), max_length=50
    )  # as published
    roc_year = models.PositiveSmallIntegerField(pgettext_lazy("search", "年度"))
    facet = models.CharField(pgettext_lazy("search", "面向"), max_length=200, blank=True)
    dimension = models.CharField(pgettext_lazy("search", "執行構面"), max_length=200, blank=True)
    title = models.CharField(pgettext_lazy("search", "標題"), max_length=300)
    part = models.CharField(pgettext_lazy("search", "段落"), max_length=500, blank=True)
    url = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(pgettext_lazy("search", "內容"))
    body = models.TextField()

    class Meta:
        ordering = ["-roc_year", "office__position", "kind", "position", "id"]
        verbose_name = pgettext_lazy("model", "搜尋段落")
        verbose_name_plural = pgettext_lazy("model", "搜尋段落")
        indexes = [models.Index(fields=["roc_year", "office"], name="search_year_office")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="plan",
                        plan_publication__isnull=False,
                        results_publication__isnull=True,
                    )
                    | Q(
                        kind="results",
                        plan_publication__isnull=True,
                        results_publication__isnull=False,
                    )
                ),
                name="search_document_of_one_publication",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.part}"
