"""Records the core app keeps for the whole site."""

from django.db import models
from django.utils.translation import pgettext_lazy


class LoginFailure(models.Model):
    """A failed password login, kept for throttling (in the database: every worker sees it)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "登入失敗紀錄")
        verbose_name_plural = pgettext_lazy("model", "登入失敗紀錄")

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M}"
