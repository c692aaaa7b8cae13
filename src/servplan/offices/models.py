"""District offices (區營業處), their departments, the people working in them and their sign-off chains."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class Department(models.Model):
    """A kind of department (業務組、人資組 …) that a practice names as responsible."""

    name = models.CharField(pgettext_lazy("department", "名稱"), max_length=50, unique=True)
    position = models.PositiveIntegerField(pgettext_lazy("ordering", "順序"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = pgettext_lazy("model", "部門")
        verbose_name_plural = pgettext_lazy("model", "部門")

    def __str__(self) -> str:
        return self.name


class Office(models.Model):
    """A district office (區營業處)."""

    name = models.CharField(pgettext_lazy("office", "名稱"), max_length=50, unique=True)
    code = models.SlugField(pgettext_lazy("office", "代碼"), max_length=30, unique=True)
    region = models.CharField(pgettext_lazy("office", "地區"), max_length=20, blank=True)
    # An office that no longer takes part (merged, closed) keeps its records but gets no new
    # period's assessment and has no row on HQ's board.
    active = models.BooleanField(pgettext_lazy("office", "參與考核"), default=True)
    position = models.PositiveIntegerField(pgettext_lazy("ordering", "順序"), default=0)
    departments = models.ManyToManyField(
        Department, blank=True, related_name="offices", verbose_name=pgettext_lazy("office", "部門")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = pgettext_lazy("model", "區營業處")
        verbose_name_plural = pgettext_lazy("model", "區營業處")

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """「台東區營業處」 → 「台東」, as the forms' titles write it."""
        return self.name.removesuffix("區營業處")


class Role(models.TextChoices):
    CLERK = "clerk", pgettext_lazy("role", "經辦")
    SECTION_CHIEF = "section_chief", pgettext_lazy("role", "課長")
    MANAGER = "manager", pgettext_lazy("role", "經理")
    DEPUTY_DIRECTOR = "deputy_director", pgettext_lazy("role", "副處長")
    DIRECTOR = "director", pgettext_lazy("role", "處長")
    HQ_REVIEWER = "hq_reviewer", pgettext_lazy("role", "總處業務處")
    ADMIN = "admin", pgettext_lazy("role", "系統管理者")


OFFICE_ROLES = (Role.CLERK, Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR)
DEFAULT_CHAIN = OFFICE_ROLES


class Membership(models.Model):
    """A person's one role: in one office for office staff, none for HQ reviewers and admins."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=pgettext_lazy("model", "區營業處"),
    )
    role = models.CharField(
        pgettext_lazy("membership", "角色"), max_length=20, choices=Role.choices
    )
    # The person's own choice (通知設定); mail goes only to an address on the user.
    email_notifications = models.BooleanField(
        pgettext_lazy("membership", "電子郵件通知"), default=True
    )

    class Meta:
        verbose_name = pgettext_lazy("model", "人員角色")
        verbose_name_plural = pgettext_lazy("model", "人員角色")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=[r.value for r in OFFICE_ROLES], office__isnull=False)
                    | Q(role__in=[Role.HQ_REVIEWER.value, Role.ADMIN.value], office__isnull=True)
                ),
                name="membership_office_matches_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}{'，' + self.office.name if self.office else ''})"

    @property
    def is_hq(self) -> bool:
        return self.role in (Role.HQ_REVIEWER, Role.ADMIN)


class Form(models.TextChoices):
    """What a sign-off chain belongs to: the approval workflow, or a printed form's signature blocks."""

    APPROVAL = "approval", pgettext_lazy("form", "核章流程")
    SCORE_SHEET = "score-sheet", pgettext_lazy("form", "考核項目及評分表")
    SUMMARY = "summary", pgettext_lazy("form", "自行考核結果彙整表")
    FOLLOW_UP = "follow-up", pgettext_lazy("form", "建議改善事項辦理情形表")
    PLAN = "plan", pgettext_lazy("form", "執行計畫")


class ChainStep(models.Model):
    """One step of an office's chain for one form; an office without steps uses DEFAULT_CHAIN."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="chain_steps")
    form = models.CharField(pgettext_lazy("chain", "表單"), max_length=20, choices=Form.choices)
    position = models.PositiveSmallIntegerField(pgettext_lazy("ordering", "順序"))
    role = models.CharField(
        pgettext_lazy("membership", "角色"),
        max_length=20,
        choices=[(r.value, r.label) for r in OFFICE_ROLES],
    )

    class Meta:
        ordering = ["office", "form", "position"]
        verbose_name = pgettext_lazy("model", "核章順序")
        verbose_name_plural = pgettext_lazy("model", "核章順序")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "form", "position"], name="chainstep_unique_position"
            ),
            models.UniqueConstraint(
                fields=["office", "form", "role"], name="chainstep_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.get_form_display()} {self.position}. {self.get_role_display()}"


class Decision(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("decision", "送出")
    APPROVE = "approve", pgettext_lazy("decision", "核可")
    RETURN = "return", pgettext_lazy("decision", "退回")


class SignOffBase(models.Model):
    """One signature in a record's approval chain: who, in which role, what they decided, when.

    Assessments and plans each keep their own rows (assessments.SignOff, plans.PlanSignOff);
    offices.signing reads both. A deputy (職務代理人) signing for the person who holds the
    role is `user`, that person `on_behalf_of`; both names are kept as they were when signing,
    so a later rename changes no printed form.
    """

    position = models.PositiveSmallIntegerField(pgettext_lazy("signoff", "順序"))
    role = models.CharField(
        pgettext_lazy("membership", "角色"),
        max_length=20,
        choices=[(r.value, r.label) for r in OFFICE_ROLES],
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(pgettext_lazy("signoff", "簽署人"), max_length=150, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("signoff", "被代理人"),
    )
    on_behalf_of_name = models.CharField(
        pgettext_lazy("signoff", "被代理人姓名"), max_length=150, blank=True
    )
    decision = models.CharField(
        pgettext_lazy("signoff", "決定"), max_length=10, choices=Decision.choices
    )
    comment = models.TextField(pgettext_lazy("signoff", "意見"), blank=True)
    content_hash = models.CharField(pgettext_lazy("signoff", "內容雜湊"), max_length=64, blank=True)
    at = models.DateTimeField(pgettext_lazy("signoff", "時間"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        # The names as they were when signing: a later rename must not change printed forms.
        if not self.signer_name:
            self.signer_name = person_name(self.user)
        if self.on_behalf_of_id and not self.on_behalf_of_name:
            self.on_behalf_of_name = person_name(self.on_behalf_of)
        super().save(*args, **kwargs)

    @property
    def signed_as(self) -> str:
        """「甲 代 乙」 for a deputy's signature, else the signer's name: as pages and forms print it."""
        if self.on_behalf_of_id:
            return f"{self.signer_name} 代 {self.on_behalf_of_name}"
        return self.signer_name


def person_name(user) -> str:
    """How forms name a person: the full name, else the username."""
    return user.get_full_name() or user.get_username()


class Deputy(models.Model):
    """A registered stand-in (職務代理人): `deputy` may sign in place of `principal`, who holds
    a signing role in `office`, from `starts_on` to `ends_on` (both included) unless ended
    earlier (`ended_at`). Registered and ended through offices.domain only."""

    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        related_name="deputies",
        verbose_name=pgettext_lazy("model", "區營業處"),
    )
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("deputy", "被代理人"),
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("deputy", "代理人"),
    )
    starts_on = models.DateField(pgettext_lazy("deputy", "代理起日"))
    ends_on = models.DateField(pgettext_lazy("deputy", "代理迄日"))
    reason = models.TextField(pgettext_lazy("deputy", "代理原因"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("deputy", "登錄人"),
    )
    created_at = models.DateTimeField(pgettext_lazy("deputy", "登錄時間"), auto_now_add=True)
    ended_at = models.DateTimeField(pgettext_lazy("deputy", "結束時間"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("deputy", "結束人"),
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = pgettext_lazy("model", "職務代理人")
        verbose_name_plural = pgettext_lazy("model", "職務代理人")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="deputy_period_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(principal=models.F("deputy")), name="deputy_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} 代 {self.principal}（{self.office}）"

    def is_open(self, today: dt.date) -> bool:
        """Still to run or running on `today`: something ending it would change."""
        return self.ended_at is None and today <= self.ends_on

    def standing(self, today: dt.date) -> str:
        """生效中 · 尚未開始 · 已到期 · 已結束, on `today`."""
        if self.ended_at is not None:
            return "已結束"
        if today < self.starts_on:
            return "尚未開始"
        if today > self.ends_on:
            return "已到期"
        return "生效中"


TOKEN_DAYS = 90


def _default_expiry():
    return timezone.now() + dt.timedelta(days=TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once.

    It stops working at `expires_at` (TOKEN_DAYS after issue unless asked otherwise).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=pgettext_lazy("token", "使用者"),
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(pgettext_lazy("token", "建立時間"), auto_now_add=True)
    # Tokens that existed before expiry was added get TOKEN_DAYS from the upgrade.
    expires_at = models.DateTimeField(pgettext_lazy("token", "到期時間"), default=_default_expiry)
    last_used_at = models.DateTimeField(pgettext_lazy("token", "最後使用"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "API 權杖")
        verbose_name_plural = pgettext_lazy("model", "API 權杖")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @property
    def prefix(self) -> str:
        """What names a token in lists and on `--revoke`: the start of its digest, not of the secret."""
        return self.digest[:8]

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, *, days: int = TOKEN_DAYS) -> str:
        """Create a token for `user` valid `days` days and return it (the only time it is readable)."""
        token = "sp_" + secrets.token_urlsafe(32)
        cls.objects.create(
            user=user,
            digest=cls.digest_of(token),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        return token
