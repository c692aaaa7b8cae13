"""Changes to offices and people."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from servplan.audit.domain import record
from servplan.core.errors import Conflict, DomainError, NotAllowed
from servplan.core.narrative import clean_text, normalize
from servplan.core.parsing import check_length
from servplan.core.roc import RocError, format_date, parse_date
from servplan.offices.access import may_manage_deputies
from servplan.offices.models import (
    OFFICE_ROLES,
    TOKEN_DAYS,
    ApiToken,
    Department,
    Deputy,
    Membership,
    Office,
    Role,
    person_name,
)


@transaction.atomic
def sync_offices(*, data: dict) -> int:
    """Add or update the departments and offices of `data` (the shape of data/offices.yaml).

    Side effects: creates/updates Department and Office rows and links every office to every
    department except 「各部門」. Never deletes. Returns the number of offices created.
    """
    departments = []
    for position, name in enumerate(data.get("departments", []), start=1):
        department, _ = Department.objects.update_or_create(
            name=name, defaults={"position": position}
        )
        departments.append(department)
    real_departments = [d for d in departments if d.name != "各部門"]
    created = 0
    for position, row in enumerate(data.get("offices", []), start=1):
        office, was_created = Office.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "region": row.get("region", ""), "position": position},
        )
        if was_created:
            office.departments.set(real_departments)
            created += 1
    return created


def find_office(name: str) -> Office:
    """The office called `name` (full name, short name or code)."""
    # No office has a name with control characters (and PostgreSQL refuses NUL even in a query).
    office = clean_text(name) == name and (
        Office.objects.filter(name=name).first()
        or Office.objects.filter(name=f"{name}區營業處").first()
        or Office.objects.filter(code=name).first()
    )
    if not office:
        raise DomainError(f"找不到區營業處「{clean_text(name)}」", where="office")
    return office


@transaction.atomic
def add_user(
    *, username: str, role: Role | str, office: Office | None = None, password: str | None = None
) -> AbstractBaseUser:
    """Create a user with one role (office roles need an office; HQ roles must have none).
    A password must pass AUTH_PASSWORD_VALIDATORS.

    Side effects: creates a User (staff if admin) and its Membership. Without a password the
    user cannot log in with one (tokens only).
    """
    try:
        role = Role(role)
    except ValueError as exc:
        choices = "、".join(r.value for r in Role)
        raise DomainError(f"角色「{role}」不存在（可用：{choices}）", where="role") from exc
    if role in OFFICE_ROLES and office is None:
        raise DomainError(f"角色「{role.label}」須指定區營業處", where="office")
    if role not in OFFICE_ROLES and office is not None:
        raise DomainError(f"角色「{role.label}」不屬於區營業處，請勿指定區營業處", where="office")
    username = check_length(clean_text(username).strip(), limit=150, label="帳號", where="username")
    if not username:
        raise DomainError("請填寫帳號", where="username")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise DomainError(f"使用者「{username}」已存在", where="username")
    user = User(username=username, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError("密碼不符規定：" + "".join(exc.messages), where="password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Membership.objects.create(user=user, office=office, role=role)
    return user


def _active_user(username: str) -> AbstractBaseUser:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise DomainError(f"找不到使用者「{username}」", where="username")
    return user


@transaction.atomic
def issue_token(*, username: str, days: int = TOKEN_DAYS) -> str:
    """A new API token for an active user, valid `days` days, returned once (only its digest
    is stored).

    Side effects: creates an ApiToken row and records it in the audit trail.
    """
    from servplan.audit.domain import record

    if days < 1:
        raise DomainError(f"有效天數須至少 1 天（收到 {days}）", where="days")
    user = _active_user(username)
    token = ApiToken.issue(user, days=days)
    issued = ApiToken.objects.filter(user=user).latest("created_at", "id")
    record(user=None, obj=issued, field="issued", new=username)
    return token


def find_tokens(*, username: str, which: str = "") -> QuerySet[ApiToken]:
    """The user's tokens; with `which`, only the one with that id or else that digest prefix
    (as `servplan token USERNAME --list` shows them)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DomainError(f"找不到使用者「{username}」", where="username")
    tokens = ApiToken.objects.filter(user=user)
    if not which:
        return tokens
    by_id = tokens.filter(pk=int(which)) if which.isdigit() else tokens.none()
    matched = by_id if by_id.exists() else tokens.filter(digest__startswith=which.lower())
    if not matched.exists():
        raise DomainError(f"使用者「{username}」沒有權杖「{which}」", where="token")
    if matched.count() > 1:
        raise DomainError(f"「{which}」符合多個權杖，請寫長一些或改用編號", where="token")
    return matched


@transaction.atomic
def revoke_tokens(*, tokens: Iterable[ApiToken], user=None) -> int:
    """Revoke (delete) `tokens`; from then on they answer 401. `user` is who did it (None for
    the command line). Returns how many.

    Side effects: deletes the ApiToken rows, one audit entry per token.
    """
    from servplan.audit.domain import record

    count = 0
    for token in list(tokens):
        record(user=user, obj=token, field="revoked", old=token.prefix)
        token.delete()
        count += 1
    return count


def role_from_text(text: str) -> Role:
    """A role by its value (clerk) or its label (經辦)."""
    for role in Role:
        if text in (role.value, str(role.label)):
            return role
    choices = "、".join(f"{r.value}（{r.label}）" for r in Role)
    raise DomainError(f"角色「{text}」不存在（可用：{choices}）", where="role")


@transaction.atomic
def set_notifications(*, user, email: bool) -> Membership:
    """The user's own choice to get e-mail notices (通知設定) or not.

    Side effects: saves Membership.email_notifications and records the change in the audit
    trail (nothing when unchanged). A user without a role gets no notices to turn off.
    """
    from servplan.audit.domain import record

    m = Membership.objects.select_for_update().filter(user_id=user.pk).first()
    if m is None:
        raise DomainError("此帳號沒有角色，不會收到通知", where="email_notifications")
    if m.email_notifications != email:
        record(
            user=user,
            obj=m,
            field="email_notifications",
            old="開啟" if m.email_notifications else "關閉",
            new="開啟" if email else "關閉",
        )
        m.email_notifications = email
        m.save(update_fields=["email_notifications"])
    return m


# ---- deputies (職務代理人) --------------------------------------------------------------------

# Who may have a deputy: the office's signers (the clerk submits; any clerk of the office may).
SIGNING_ROLES = tuple(r for r in OFFICE_ROLES if r != Role.CLERK)
REASON_MAX = 500
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(value: dt.date | str | None, *, label: str, where: str) -> dt.date:
    """A date, ISO text or ROC text (「114 年 3 月 21 日」); required."""
    if isinstance(value, dt.date):
        return value
    text = clean_text(str(value or "")).strip()
    if not text:
        raise DomainError(f"請填寫{label}", where=where)
    try:
        return dt.date.fromisoformat(text) if _ISO_DAY.fullmatch(text) else parse_date(text)
    except (RocError, ValueError):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise DomainError(
            f"{label}「{shown}」無法解讀：應為「114 年 3 月 21 日」格式", where=where
        ) from None


def _member(office: Office, user, *, roles, label: str, where: str) -> Membership:
    """The user's membership when active and of `roles` in `office`; else a refusal naming it."""
    m = Membership.objects.filter(user_id=user.pk, user__is_active=True).first()
    if m is None or m.office_id != office.pk or m.role not in roles:
        raise DomainError(
            f"{label}「{user.get_username()}」不是{office.name}的在職人員"
            + ("（須為課長、經理、副處長或處長）" if roles == SIGNING_ROLES else ""),
            where=where,
        )
    return m


@transaction.atomic
def register_deputy(
    *,
    office: Office,
    principal,
    deputy,
    starts_on: dt.date | str,
    ends_on: dt.date | str,
    reason: str,
    user,
) -> Deputy:
    """Register `deputy` (職務代理人) to sign in place of `principal`, a signer of `office`,
    from `starts_on` to `ends_on` (both included, dates or ROC/ISO text), saying why.

    Who may: admins; the office's director, for anyone in it; a signer, for themselves
    (offices.access.may_manage_deputies). The deputy is another active member of the office;
    the period ends today or later and does not overlap the pair's other registrations.
    Side effects: locks the office row (one registration at a time), creates the Deputy,
    records "registered" in the audit trail.
    """
    if not may_manage_deputies(user, office, principal):
        raise NotAllowed("只有系統管理者、處長或被代理人本人可以登錄職務代理人", where="principal")
    _member(office, principal, roles=SIGNING_ROLES, label="被代理人", where="principal")
    _member(office, deputy, roles=OFFICE_ROLES, label="代理人", where="deputy")
    if deputy.pk == principal.pk:
        raise DomainError("代理人不可與被代理人為同一人", where="deputy")
    starts = parse_day(starts_on, label="代理起日", where="starts_on")
    ends = parse_day(ends_on, label="代理迄日", where="ends_on")
    if ends < starts:
        raise DomainError("代理迄日不可早於代理起日", where="ends_on")
    if ends < timezone.localdate():
        raise DomainError(f"代理迄日 {format_date(ends)} 已過", where="ends_on")
    reason = normalize(reason or "")
    if not reason:
        raise DomainError("請填寫代理原因（例如：休假、公差）", where="reason")
    check_length(reason, limit=REASON_MAX, label="代理原因", where="reason")
    Office.objects.select_for_update().filter(pk=office.pk).first()
    overlap = Deputy.objects.filter(
        office=office,
        principal=principal,
        deputy=deputy,
        ended_at__isnull=True,
        starts_on__lte=ends,
        ends_on__gte=starts,
    ).first()
    if overlap:
        raise DomainError(
            f"{deputy.get_username()} 代理 {principal.get_username()} 已登錄"
            f"（{format_date(overlap.starts_on)}至{format_date(overlap.ends_on)}），期間重疊",
            where="starts_on",
        )
    row = Deputy.objects.create(
        office=office,
        principal=principal,
        deputy=deputy,
        starts_on=starts,
        ends_on=ends,
        reason=reason,
        created_by=user if user.is_authenticated else None,
    )
    record(
        user=user,
        obj=row,
        field="registered",
        new=f"{person_name(deputy)} 代 {person_name(principal)}："
        f"{format_date(starts)}至{format_date(ends)}（{reason}）",
    )
    return row


@transaction.atomic
def end_deputy(*, registration: Deputy, user) -> Deputy:
    """End a deputy's registration now, before its last day (the principal is back).

    Who may: as for register_deputy. Side effects: sets ended_at/ended_by, records "ended"
    in the audit trail. One already ended or past its last day: Conflict.
    """
    row = (
        Deputy.objects.select_for_update(of=("self",))
        .select_related("office")
        .get(pk=registration.pk)
    )
    if not may_manage_deputies(user, row.office, row.principal):
        raise NotAllowed("只有系統管理者、處長或被代理人本人可以結束職務代理", where="deputy")
    today = timezone.localdate()
    standing = row.standing(today)
    if not row.is_open(today):
        raise Conflict(f"此職務代理{standing}", where="deputy")
    row.ended_at, row.ended_by = timezone.now(), user
    row.save(update_fields=["ended_at", "ended_by"])
    registration.ended_at, registration.ended_by = row.ended_at, row.ended_by
    record(user=user, obj=row, field="ended", old=standing)
    return row
