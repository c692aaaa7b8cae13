"""HQ's review (複評): which periods' review scores the offices may see."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from servplan.core.roc import Period


class ReviewRelease(models.Model):
    """HQ released the review scores of one period: from then on the offices see them."""

    roc_year = models.PositiveSmallIntegerField(pgettext_lazy("release", "年度"))
    start_month = models.PositiveSmallIntegerField(pgettext_lazy("release", "起月"))
    end_month = models.PositiveSmallIntegerField(pgettext_lazy("release", "迄月"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(pgettext_lazy("release", "公布時間"), auto_now_add=True)

    class Meta:
        ordering = ["-roc_year", "-start_month"]
        verbose_name = pgettext_lazy("model", "複評公布")
        verbose_name_plural = pgettext_lazy("model", "複評公布")
        constraints = [
            models.UniqueConstraint(
                fields=["roc_year", "start_month", "end_month"], name="release_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return str(self.period)

    @property
    def period(self) -> Period:
        return Period(self.roc_year, self.start_month, self.end_month)
