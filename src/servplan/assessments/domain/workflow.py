"""The sign-off chain: the clerk submits, each signer in turn approves or returns, HQ reopens.

The chain is the office's approval chain (offices.chains.chain_for), read as plans read
theirs (offices.signing): who signs next comes from the SignOff rows since the latest submit,
so there is no second copy of the state.
What was signed stays signed: the submit freezes what each findings row shows of its shared
improvement, and every submit and approval keeps the forms as the signer saw them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from servplan.assessments.access import can_review, visible_assessments
from servplan.assessments.domain.checks import check_assessment, refuse_blocking
from servplan.assessments.domain.dates import date_at_submit
from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.assessments.models import (
    LOCKED_STATUSES,
    Assessment,
    Decision,
    Finding,
    SignedCopy,
    SignOff,
    Status,
)
from servplan.assessments.sheet import sheet_queryset
from servplan.audit.domain import record
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.offices import notifications, signing
from servplan.offices.access import membership
from servplan.offices.chains import chain_for
from servplan.offices.models import Form, Role
from servplan.offices.signing import ChainState


def current_round(assessment: Assessment, signoffs: list[SignOff]) -> list[SignOff]:
    """The sign-offs since the latest submit, in order; none while a draft (returned, reopened)."""
    return signing.current_round(signoffs, draft=assessment.status == Status.DRAFT)


def chain_state(assessment: Assessment, signoffs: list[SignOff] | None = None) -> ChainState:
    """The chain and the sign-offs since the latest submit (pass prefetched rows to save a query)."""
    rows = list(assessment.signoffs.all() if signoffs is None else signoffs)
    return ChainState(
        chain=signing.approval_chain(chain_for(assessment.office, Form.APPROVAL)),
        round=current_round(assessment, rows),
        in_chain=assessment.status == Status.IN_SIGNOFF,
    )


def waiting_on(
    assessment: Assessment, signoffs: list[SignOff] | None = None
) -> tuple[Role, dt.datetime] | None:
    """Whom the assessment waits on and since when, or None once HQ has reviewed it.

    A draft waits on the clerk since it was returned, reopened or opened; a record in the
    chain on the current signer since the previous step; a submitted one on HQ since the last
    signature. Reads the chain state, so it can't disagree with who may sign.
    """
    rows = list(assessment.signoffs.all() if signoffs is None else signoffs)
    if assessment.status == Status.DRAFT:
        return Role.CLERK, signing.draft_since(assessment.created_at, assessment.reopened_at, rows)
    if assessment.status == Status.REVIEWED:
        return None
    state = chain_state(assessment, rows)
    since = state.round[-1].at if state.round else assessment.updated_at
    if assessment.status == Status.SUBMITTED:
        return Role.HQ_REVIEWER, since
    current = state.current
    return (current[1], since) if current else None


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("office").get(pk=assessment.pk)


def _set_status(assessment: Assessment, status: Status, user, caller: Assessment) -> None:
    old = assessment.status
    assessment.status = caller.status = status
    assessment.save(update_fields=["status", "updated_at"])
    record(
        user=user, obj=assessment, field="status", old=old, new=status, assessment_id=assessment.pk
    )


def _sign(
    assessment: Assessment,
    user,
    position: int,
    role: Role,
    decision: Decision,
    comment: str,
    on_behalf_of=None,
) -> SignOff:
    signoff = SignOff.objects.create(
        assessment=assessment,
        position=position,
        role=role,
        user=user,
        on_behalf_of=on_behalf_of,
        decision=decision,
        comment=comment,
    )
    record(
        user=user,
        obj=signoff,
        field="signoff",
        new=signing.signoff_note(signoff),
        assessment_id=assessment.pk,
    )
    return signoff


def _freeze(assessment: Assessment) -> None:
    """Keep on each findings row what it shows of its improvement (later periods change that)."""
    rows = list(sheet_queryset().get(pk=assessment.pk).findings.all())
    for finding in rows:
        finding.frozen = finding.snapshot()
    Finding.objects.bulk_update(rows, ["frozen"])


def _thaw(assessment: Assessment) -> None:
    """A new round starts: the rows show their improvements as they are now."""
    Finding.objects.filter(assessment=assessment).update(frozen=None)


def _keep_signed_copy(assessment: Assessment, signoff: SignOff) -> None:
    """Render the three forms as the signer approved them and keep the bytes and hashes."""
    from servplan.documents.export import prepare_document, render_document

    document, timestamp, _ = prepare_document(sheet_queryset().get(pk=assessment.pk), "all")
    pdf = render_document(document, "pdf", timestamp=timestamp)
    signoff.content_hash = document["hash"]
    signoff.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    signoff.save(update_fields=["content_hash", "pdf_sha256"])
    SignedCopy.objects.create(signoff=signoff, pdf=pdf)


@transaction.atomic
def submit_assessment(
    *, assessment: Assessment, user, comment: str = "", assessed_on: dt.date | str | None = None
) -> Assessment:
    """The office's clerk sends the draft into the sign-off chain.

    Refused while the pre-submit check reports errors (warnings do not block), and in a period
    HQ closed (409).
    Side effects: 考核日期 set to `assessed_on` when given, else to the day of the submit when
    empty (audited); each findings row keeps what it shows of its improvement (Finding.frozen);
    SignOff(role=clerk, position=1, decision=submit) with the forms as signed (SignedCopy);
    status draft → in_signoff (→ submitted when the chain has no other signer); audit entries;
    after commit, an e-mail to the first signer(s) (offices.notifications).
    """
    locked = _lock(assessment)
    m = membership(user)
    if not (m and m.office_id == locked.office_id and m.role == Role.CLERK):
        raise NotAllowed("只有本區營業處的經辦可以送出自行考核", where="submit")
    if locked.status != Status.DRAFT:
        raise Conflict(
            f"自行考核目前為「{locked.get_status_display()}」，不能再送出", where="status"
        )
    _refuse_if_frozen(locked, where="submit")
    refuse_blocking(check_assessment(sheet_queryset().get(pk=locked.pk)))
    date_at_submit(locked, user, assessed_on)
    assessment.assessed_on = locked.assessed_on
    _freeze(locked)
    signoff = _sign(locked, user, 1, Role.CLERK, Decision.SUBMIT, normalize(comment))
    state = chain_state(locked)
    _set_status(locked, Status.IN_SIGNOFF if state.signers else Status.SUBMITTED, user, assessment)
    _keep_signed_copy(locked, signoff)
    if state.signers:
        notifications.signoff_pending(assessment=locked, role=state.signers[0][1], after=signoff)
    return assessment


@transaction.atomic
def decide(*, assessment: Assessment, user, decision: Decision | str, comment: str = "") -> SignOff:
    """The current signer approves, or returns the assessment to the clerk with a comment.

    Only the one holding the current step's role in the office, or that person's registered
    deputy (recorded as on_behalf_of), may act; nobody may hold two steps of one round
    (NotAllowed otherwise, offices.signing). A return sends it back to draft and the chain
    restarts at the clerk; the last approval submits it to HQ and locks it.
    Side effects: a SignOff row (an approval with the forms as signed, SignedCopy), the status
    change, audit entries for both; a return lets go of the frozen findings (Finding.frozen).
    After commit, an e-mail to the next signer(s), or on a return to the clerk(s).
    """
    decision = signing.parse_decision(decision)
    locked = _lock(assessment)
    state = chain_state(locked)
    current = state.current
    if current is None:
        raise Conflict(
            f"自行考核目前為「{locked.get_status_display()}」，沒有待核章的步驟", where="status"
        )
    position, role = current
    principal = signing.signing_for(user=user, office=locked.office, role=role, round_=state.round)
    comment = normalize(comment)
    if decision == Decision.RETURN and not comment:
        raise DomainError("退回時請填寫意見", where="comment")
    signoff = _sign(locked, user, position, role, decision, comment, principal)
    if decision == Decision.RETURN:
        _set_status(locked, Status.DRAFT, user, assessment)
        _thaw(locked)
        notifications.returned(assessment=locked, signoff=signoff)
        return signoff
    following = next((r for p, r in state.signers if p > position), None)
    if following is None:
        _set_status(locked, Status.SUBMITTED, user, assessment)
    _keep_signed_copy(locked, signoff)
    if following is not None:
        notifications.signoff_pending(assessment=locked, role=following, after=signoff)
    return signoff


def _refuse_if_frozen(assessment: Assessment, *, where: str) -> None:
    """A period HQ closed is frozen (periods.domain.close_period): nothing in it is submitted
    or reopens."""
    from servplan.periods.rules import refuse_if_closed  # periods builds on this module

    refuse_if_closed(assessment.period, where=where)


@transaction.atomic
def reopen_assessment(*, assessment: Assessment, user, reason: str) -> Assessment:
    """HQ or an admin sends a submitted/reviewed assessment back to draft, saying why.

    A new round starts: the old round's signatures no longer count (chain, forms) and the rows
    show their improvements as they are now. The sign-offs and their signed copies stay.
    Refused in a period HQ closed (409).
    Side effects: status → draft; reopened_at/_by/reopen_reason set; Finding.frozen cleared;
    audit entries for the reason and the status; after commit, an e-mail to the clerk(s).
    """
    if not can_review(user) or not visible_assessments(user).filter(pk=assessment.pk).exists():
        raise NotAllowed("只有總處業務處或系統管理者可以重新開啟", where="reopen")
    locked = _lock(assessment)
    _refuse_if_frozen(locked, where="reopen")
    if locked.status not in LOCKED_STATUSES:
        raise Conflict("自行考核尚未送出，不需重新開啟", where="status")
    reason = normalize(reason)
    if not reason:
        raise DomainError("重新開啟須填寫原因", where="reason")
    record(user=user, obj=locked, field="reopened", new=reason, assessment_id=locked.pk)
    locked.reopened_at, locked.reopened_by, locked.reopen_reason = timezone.now(), user, reason
    locked.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    for field in ("reopened_at", "reopened_by", "reopen_reason"):
        setattr(assessment, field, getattr(locked, field))
    _set_status(locked, Status.DRAFT, user, assessment)
    _thaw(locked)
    notifications.reopened(assessment=locked, user=user)
    return assessment
