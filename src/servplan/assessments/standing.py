"""Where an assessment stands for the person looking: the list's label and the home page's items.

One reading of the sign-off state (domain.waiting_on) for the list, its filters and 待辦事項.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from servplan.assessments.access import visible_assessments
from servplan.assessments.domain.workflow import waiting_on
from servplan.assessments.models import Assessment, Decision, SignOff, Status
from servplan.offices.access import is_hq, membership
from servplan.offices.models import Role
from servplan.offices.signing import stand_in_roles


@dataclass
class Standing:
    label: str  # 草稿 · 已退回 · 已重新開啟 · 核章中・待課長 · 待您核章 · 已送業務處 · 已複評
    css: str  # the badge's class: the status, or "returned"
    note: str  # the return comment or reopen reason ("" when none)
    by: str  # who returned or reopened it, as 「課長 chief」
    role: Role | None  # whom it waits on
    since: dt.datetime | None
    mine: bool  # it waits on the person looking
    last: SignOff | None = None  # the latest step (submit, approval or return)

    @property
    def returned(self) -> bool:
        return self.css == "returned"


def with_signoffs(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """What standing() reads, in a fixed number of queries whatever the number of rows."""
    return queryset.select_related("office", "rubric", "reopened_by").prefetch_related(
        Prefetch("signoffs", queryset=SignOff.objects.select_related("user")),
        "office__chain_steps",
    )


def stand_in(user) -> frozenset[Role]:
    """The roles the user signs today as a registered deputy in their own office (deputies
    sign only there): pass them to standing() so that their turns read 待您核章 too."""
    m = membership(user)
    return stand_in_roles(user, m.office) if m and m.office_id else frozenset()


def waits_on_user(
    user, assessment: Assessment, role: Role | None, deputy_for: frozenset[Role] = frozenset()
) -> bool:
    """Whether `role`, the one the assessment waits on, is the user's turn: they hold it in
    the assessment's office, or stand in for its holder (`deputy_for`, see stand_in)."""
    if role is None:
        return False
    if role == Role.HQ_REVIEWER:
        return is_hq(user)
    m = membership(user)
    return bool(
        m and m.office_id == assessment.office_id and (m.role == role or role in deputy_for)
    )


def standing(assessment: Assessment, user, deputy_for: frozenset[Role] = frozenset()) -> Standing:
    """The assessment's label for `user` (reads prefetched sign-offs: see with_signoffs);
    `deputy_for`: the roles the user stands in for (stand_in)."""
    rows = list(assessment.signoffs.all())
    waiting = waiting_on(assessment, rows)
    role, since = waiting if waiting else (None, None)
    mine = waits_on_user(user, assessment, role, deputy_for)
    last = rows[-1] if rows else None
    result = _label(assessment, last, role, mine)
    return Standing(*result, role, since, mine, last)


def _label(assessment: Assessment, last: SignOff | None, role: Role | None, mine: bool):
    """(label, css, note, by) of the assessment."""
    if assessment.status == Status.DRAFT and last and last.decision == Decision.RETURN:
        by = f"{last.get_role_display()} {last.user.get_username()}"
        return "已退回", "returned", last.comment, by
    if assessment.status == Status.DRAFT and assessment.reopened_at:
        who = assessment.reopened_by.get_username() if assessment.reopened_by else "系統"
        reason = assessment.reopen_reason
        return "已重新開啟", "returned", reason, who
    if assessment.status == Status.IN_SIGNOFF and role is not None:
        label = "待您核章" if mine else f"核章中・待{role.label}"
        return label, assessment.status, "", ""
    return assessment.get_status_display(), assessment.status, "", ""


@dataclass
class Todo:
    """What waits for one person, by kind; each list holds (assessment, standing)."""

    # the clerk's drafts sent back (a return or a reopen), with the reason
    returned: list = field(default_factory=list)
    # the clerk's other drafts
    drafts: list = field(default_factory=list)
    # 待您核章: the signer's turn, since the previous step
    to_sign: list = field(default_factory=list)
    # HQ: submitted, not yet reviewed, since the last signature
    to_review: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.returned or self.drafts or self.to_sign or self.to_review)


def todo_for(user) -> Todo:
    """The assessments that wait on `user`, in a fixed number of queries whatever their number:
    office staff see only their office's, HQ only what it may see (visible_assessments); a
    registered deputy also sees the steps they stand in for."""
    m = membership(user)
    todo = Todo()
    deputy_for = stand_in(user)
    if is_hq(user):
        wanted = {Status.SUBMITTED}
    elif m and m.role == Role.CLERK:
        wanted = {Status.DRAFT} | ({Status.IN_SIGNOFF} if deputy_for else set())
    elif m and m.office_id:
        wanted = {Status.IN_SIGNOFF}
    else:
        return todo
    queryset = visible_assessments(user).filter(status__in=wanted)
    for a in with_signoffs(queryset):
        s = standing(a, user, deputy_for)
        if not s.mine:
            continue
        if a.status == Status.SUBMITTED:
            todo.to_review.append((a, s))
        elif a.status == Status.IN_SIGNOFF:
            todo.to_sign.append((a, s))
        else:
            (todo.returned if s.returned else todo.drafts).append((a, s))
    for items in (todo.to_review, todo.to_sign, todo.returned):
        items.sort(key=lambda row: row[1].since)  # the longest waiting first
    return todo
