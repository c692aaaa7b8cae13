"""The audit trail: who changed which field of what, when, from what to what."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """One changed field (or one action, with `field` naming it) of one object.

    `assessment_id` is set for everything that belongs to an assessment (its cells, findings,
    improvements, sign-offs), so an assessment's history is one indexed query; `plan_id` the
    same for an office plan (its sections, practices, sign-offs).
    """

    at = models.DateTimeField(pgettext_lazy("audit", "時間"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_type = models.CharField(pgettext_lazy("audit", "對象類型"), max_length=50)
    object_id = models.BigIntegerField(pgettext_lazy("audit", "對象編號"))
    assessment_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    plan_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    field = models.CharField(pgettext_lazy("audit", "欄位"), max_length=100)
    old = models.TextField(pgettext_lazy("audit", "原值"), blank=True)
    new = models.TextField(pgettext_lazy("audit", "新值"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = pgettext_lazy("model", "異動紀錄")
        verbose_name_plural = pgettext_lazy("model", "異動紀錄")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_type}#{self.object_id} {self.field}"
