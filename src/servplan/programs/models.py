"""HQ's yearly programs with their strategy tree, and the scoring rubrics.

A program's tree (面向 → 執行策略 → 具體作法) hangs off an `Outline`, so that an office's plan
can own an adapted copy of the same tree without a second set of tables.

Programs and rubrics are drafts while HQ writes them and published once issued; a published
one changes only by a new version (programs.domain.versions, programs.domain.rubric_drafts).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from servplan.offices.models import Department, Office

SCORE_DIGITS = {"max_digits": 7, "decimal_places": 1}


class Publication(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("publication", "草稿")
    PUBLISHED = "published", pgettext_lazy("publication", "已發布")


def _status_field():
    # Published by default: rows made outside HQ's pages (data files, imports) are issued
    # ones; only HQ's start of a year or of a new version makes a draft, explicitly.
    return models.CharField(
        pgettext_lazy("publication", "狀態"),
        max_length=20,
        choices=Publication.choices,
        default=Publication.PUBLISHED,
    )


class Outline(models.Model):
    """The root of one 執行策略及具體作法 table (a program's or a plan's)."""

    class Meta:
        verbose_name = pgettext_lazy("model", "策略架構")
        verbose_name_plural = pgettext_lazy("model", "策略架構")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Program(models.Model):
    """HQ's 「○○年度提升服務效能執行計畫」, issued by letter.

    A year has published versions 1, 2, … (each later one supersedes the one before, with
    the reason HQ gave) and at most one draft. "HQ's program of year N" is the latest
    published version (programs.lookups.hq_program); plans keep the version they started from.
    """

    roc_year = models.PositiveSmallIntegerField(pgettext_lazy("program", "年度"))
    version = models.PositiveSmallIntegerField(pgettext_lazy("program", "版本"), default=1)
    status = _status_field()
    title = models.CharField(pgettext_lazy("program", "名稱"), max_length=200)
    issued_on = models.DateField(pgettext_lazy("program", "函頒日期"), null=True, blank=True)
    letter_number = models.CharField(pgettext_lazy("program", "函號"), max_length=100, blank=True)
    outline = models.OneToOneField(Outline, on_delete=models.PROTECT, related_name="program")
    # The program whose tree this one's was copied from (the version it revises, or last
    # year's): its items are what this tree's items' `origin` point to.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies"
    )
    # Set on publication: the year's previous published version.
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )
    reason = models.TextField(pgettext_lazy("program", "發布說明"), blank=True)
    published_at = models.DateTimeField(pgettext_lazy("program", "發布時間"), null=True, blank=True)
    # Raised by every edit of a draft, so a form from an older page is refused (409).
    revision = models.PositiveIntegerField(pgettext_lazy("program", "修改次數"), default=1)

    class Meta:
        ordering = ["-roc_year", "-version"]
        verbose_name = pgettext_lazy("model", "總處執行計畫")
        verbose_name_plural = pgettext_lazy("model", "總處執行計畫")
        constraints = [
            models.UniqueConstraint(
                fields=["roc_year", "version"],
                condition=Q(status="published"),
                name="program_published_version",
            ),
            models.UniqueConstraint(
                fields=["roc_year"], condition=Q(status="draft"), name="program_one_draft"
            ),
        ]

    def __str__(self) -> str:
        if self.status == Publication.DRAFT:
            return f"{self.title}（草稿）"
        return f"{self.title}（第 {self.version} 版）" if self.version > 1 else self.title

    @property
    def is_draft(self) -> bool:
        return self.status == Publication.DRAFT


class Facet(models.Model):
    """面向: 一、基礎服務 …"""

    outline = models.ForeignKey(Outline, on_delete=models.CASCADE, related_name="facets")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(pgettext_lazy("tree", "面向"), max_length=100)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["outline", "position"], name="facet_position")
        ]

    def __str__(self) -> str:
        return self.name


class Strategy(models.Model):
    """執行策略: (一) 服務一致及正確性 …"""

    facet = models.ForeignKey(Facet, on_delete=models.CASCADE, related_name="strategies")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(pgettext_lazy("tree", "執行策略"), max_length=100)
    # In a plan: HQ's program strategy this one was copied from (None: the office added it).
    # In a program: the item of the program it was copied from (None: new in this one).
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["facet", "position"], name="strategy_position")
        ]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """A numbered sub-strategy (1.訂定申辦業務標準作業流程); the name is blank where the form has none."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(pgettext_lazy("tree", "子策略"), max_length=100, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "position"], name="measure_position")
        ]

    def __str__(self) -> str:
        return self.name


class Practice(models.Model):
    """具體作法 (1), (2) … with its 承辦部門 and 執行期間; 甲乙丙 stay inside the text."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="practices")
    position = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(pgettext_lazy("tree", "編號"), null=True, blank=True)
    text = models.TextField(pgettext_lazy("tree", "具體作法"))
    departments = models.ManyToManyField(
        Department,
        blank=True,
        through="PracticeDepartment",
        related_name="practices",
        verbose_name=pgettext_lazy("tree", "承辦部門"),
    )
    period = models.CharField(pgettext_lazy("tree", "執行期間"), max_length=50, blank=True)
    target = models.TextField(pgettext_lazy("tree", "預期目標"), blank=True)
    # In a plan: HQ's program practice this one was copied from (None: the office added it).
    # HQ's items can't be removed from a plan, only marked 不適用 with a reason.
    # In a program: the practice of the program it was copied from (None: new in this one).
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="copies"
    )
    not_applicable = models.BooleanField(pgettext_lazy("tree", "不適用"), default=False)
    not_applicable_reason = models.TextField(pgettext_lazy("tree", "不適用理由"), blank=True)
    # Raised by every edit, so a stale editor is refused instead of overwriting (409).
    version = models.PositiveIntegerField(pgettext_lazy("tree", "版本"), default=1)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "position"], name="practice_position")
        ]

    def __str__(self) -> str:
        return f"({self.number}) {self.text[:30]}" if self.number else self.text[:30]

    @property
    def from_hq(self) -> bool:
        return self.origin_id is not None


class PracticeDepartment(models.Model):
    """A responsible department of a practice, in the order the form lists them."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="department_links"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "department"], name="practice_department_once"
            )
        ]

    def __str__(self) -> str:
        return self.department.name


class Rubric(models.Model):
    """考核項目及評分表: dimensions × items with a maximum per cell.

    Frozen once an assessment uses it: a change makes a new version (domain.revise_rubric).
    HQ's pages edit drafts only; a published rubric changes by a new draft version
    (domain.rubric_drafts), and offices are offered published ones only.
    """

    roc_year = models.PositiveSmallIntegerField(pgettext_lazy("rubric", "年度"))
    title = models.CharField(pgettext_lazy("rubric", "名稱"), max_length=200)
    version = models.PositiveSmallIntegerField(pgettext_lazy("rubric", "版本"), default=1)
    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rubrics",
        help_text=pgettext_lazy("rubric", "空白表示全公司通用"),
    )
    total_max = models.DecimalField(pgettext_lazy("rubric", "總分"), **SCORE_DIGITS)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = _status_field()
    reason = models.TextField(pgettext_lazy("rubric", "發布說明"), blank=True)
    published_at = models.DateTimeField(pgettext_lazy("rubric", "發布時間"), null=True, blank=True)
    # Raised by every edit of a draft, so a form from an older page is refused (409).
    revision = models.PositiveIntegerField(pgettext_lazy("rubric", "修改次數"), default=1)

    class Meta:
        ordering = ["-roc_year", "title", "-version"]
        verbose_name = pgettext_lazy("model", "評分表")
        verbose_name_plural = pgettext_lazy("model", "評分表")
        constraints = [
            models.UniqueConstraint(fields=["roc_year", "title", "version"], name="rubric_version"),
            models.CheckConstraint(condition=Q(total_max__gt=0), name="rubric_total_positive"),
        ]

    def __str__(self) -> str:
        name = f"{self.title}（第 {self.version} 版）" if self.version > 1 else self.title
        return f"{name}（草稿）" if self.status == Publication.DRAFT else name

    @property
    def is_draft(self) -> bool:
        return self.status == Publication.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.assessments.exists()


class RubricDimension(models.Model):
    """執行構面: 創新性 (300 分) …"""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="dimensions")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(pgettext_lazy("rubric", "執行構面"), max_length=100)
    max_score = models.DecimalField(pgettext_lazy("rubric", "配分"), **SCORE_DIGITS)
    scoring_focus = models.TextField(pgettext_lazy("rubric", "評分重點"), blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "position"], name="dimension_position"),
            models.UniqueConstraint(fields=["rubric", "name"], name="dimension_name"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="dimension_max_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class RubricItem(models.Model):
    """評核項目: 一、提供在地化及客製化關懷服務 …"""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(pgettext_lazy("rubric", "評核項目"), max_length=100)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "position"], name="item_position"),
            models.UniqueConstraint(fields=["rubric", "name"], name="item_name"),
        ]

    def __str__(self) -> str:
        return self.name


class RubricCell(models.Model):
    """One dimension × item: its maximum and scoring focus."""

    dimension = models.ForeignKey(RubricDimension, on_delete=models.CASCADE, related_name="cells")
    item = models.ForeignKey(RubricItem, on_delete=models.CASCADE, related_name="cells")
    max_score = models.DecimalField(pgettext_lazy("rubric", "配分"), **SCORE_DIGITS)
    scoring_focus = models.TextField(pgettext_lazy("rubric", "評分重點"), blank=True)

    class Meta:
        ordering = ["dimension__position", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "item"], name="cell_dimension_item"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="cell_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension.name}／{self.item.name}"
