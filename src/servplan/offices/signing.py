"""The sign-off chain both assessments and plans follow, read from their sign-off rows.

The clerk submits, each signer of the office's chain approves in turn or returns the record
with a comment; whose turn it is comes from the rows since the latest submit (a return or a
reopen ends the round: a draft has none), so there is no second copy of the state. A step may
be signed by whoever holds its role in the office or by that person's registered deputy
(職務代理人, offices.models.Deputy), and no person may hold two steps of one round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from servplan.core.errors import DomainError, NotAllowed
from servplan.offices.access import membership
from servplan.offices.models import Decision, Deputy, Office, Role, SignOffBase, person_name


@dataclass
class ChainState:
    """The approval chain of one record and how far the current round has got."""

    chain: list[Role]
    round: list[SignOffBase]
    # the record is in the chain (someone's turn): assessments in_signoff, plans submitted
    in_chain: bool

    @property
    def signers(self) -> list[tuple[int, Role]]:
        """(position, role) of everyone who approves: the chain after the submitting clerk."""
        return [(p, r) for p, r in enumerate(self.chain, start=1) if r != Role.CLERK]

    @property
    def current(self) -> tuple[int, Role] | None:
        """Whose turn it is, or None when nobody's (draft, or past the chain)."""
        if not self.in_chain or not self.round:
            return None
        done = self.round[-1].position
        return next(((p, r) for p, r in self.signers if p > done), None)

    @property
    def steps(self) -> list[dict]:
        """Every step of the chain with the round's signature on it, for the page."""
        signed = {s.position: s for s in self.round}
        current = self.current
        return [
            {
                "position": p,
                "role": r,
                "signoff": signed.get(p),
                "current": current is not None and current[0] == p,
            }
            for p, r in enumerate(self.chain, start=1)
        ]


def approval_chain(roles: Sequence[Role]) -> list[Role]:
    """The chain as signed: the clerk submits first, then the other roles in order."""
    return [Role.CLERK, *(r for r in roles if r != Role.CLERK)]


def current_round(signoffs: Sequence[SignOffBase], *, draft: bool) -> list[SignOffBase]:
    """The sign-offs since the latest submit, in order; none while a draft (returned, reopened)."""
    if draft:
        return []
    starts = [i for i, s in enumerate(signoffs) if s.decision == Decision.SUBMIT]
    return list(signoffs[starts[-1] :]) if starts else []


def draft_since(
    created_at: dt.datetime, reopened_at: dt.datetime | None, signoffs: Sequence[SignOffBase]
) -> dt.datetime:
    """Since when a draft waits on the clerk: it was opened, reopened or returned."""
    since = [created_at, reopened_at, *(s.at for s in signoffs if s.decision == Decision.RETURN)]
    return max(t for t in since if t is not None)


def parse_decision(value: Decision | str) -> Decision:
    """A signer's decision: approve or return (a submit is the clerk's, not a decision)."""
    try:
        decision = Decision(value)
    except ValueError:
        decision = None
    if decision not in (Decision.APPROVE, Decision.RETURN):
        raise DomainError("決定須為 approve（核可）或 return（退回）", where="decision")
    return decision


def _in_force(user, office: Office, on: dt.date | None) -> QuerySet[Deputy]:
    """The registrations by which `user` stands in for an active signer of `office` on `on`
    (today in the site's time zone)."""
    on = on or timezone.localdate()
    return Deputy.objects.filter(
        office=office,
        deputy_id=user.pk,
        starts_on__lte=on,
        ends_on__gte=on,
        ended_at__isnull=True,
        principal__is_active=True,
        principal__membership__office=office,
    )


def deputized(user, office: Office, role: Role, on: dt.date | None = None):
    """The person holding `role` in `office` for whom `user` is a deputy in force on `on`
    (today in the site's time zone), or None. One query."""
    row = (
        _in_force(user, office, on)
        .filter(principal__membership__role=role)
        .select_related("principal")
        .order_by("starts_on", "id")
        .first()
    )
    return row.principal if row else None


def stand_in_roles(user, office: Office, on: dt.date | None = None) -> frozenset[Role]:
    """The roles in `office` whose holders `user` stands in for on `on` as a registered deputy
    (the steps deputized() would let them sign). One query."""
    roles = _in_force(user, office, on).values_list("principal__membership__role", flat=True)
    return frozenset(Role(r) for r in roles)


def _held(round_: Sequence[SignOffBase], person_id: int) -> SignOffBase | None:
    """The round's step `person_id` already holds: signed it, or had it signed for them."""
    return next((s for s in round_ if person_id in (s.user_id, s.on_behalf_of_id)), None)


def signing_for(*, user, office: Office, role: Role, round_: Sequence[SignOffBase]):
    """Whom `user` signs the step of `role` for: None in their own name (they hold the role
    in the office), else the principal they stand in for as a registered deputy.

    NotAllowed when neither, or when the signer (or the principal) already holds a step of
    this round: one person may not hold two steps of one chain.
    """
    m = membership(user)
    if m and m.office_id == office.pk and m.role == role:
        principal = None
    else:
        principal = deputized(user, office, role) if m and m.office_id == office.pk else None
        if principal is None:
            raise NotAllowed(f"目前應由「{role.label}」核章", where="signoff")
    people = [(user, "您")] + ([(principal, person_name(principal))] if principal else [])
    for person, who in people:
        held = _held(round_, person.pk)
        if held:
            raise NotAllowed(
                f"{who}已在本輪核章擔任「{held.get_role_display()}」，"
                "同一人不可擔任同一流程的兩個步驟，請由其他人員核章",
                where="signoff",
            )
    return principal


def may_sign(*, user, office: Office, role: Role, round_: Sequence[SignOffBase]) -> bool:
    """Whether signing_for would let `user` sign the step (for the page's buttons)."""
    try:
        signing_for(user=user, office=office, role=role, round_=round_)
    except NotAllowed:
        return False
    return True


def signoff_note(signoff: SignOffBase) -> str:
    """What the audit trail says of a step: 「2. 課長 核可（甲 代 乙）：意見」."""
    role = Role(signoff.role).label
    note = f"{signoff.position}. {role} {Decision(signoff.decision).label}"
    if signoff.on_behalf_of_id:
        note += f"（{signoff.signed_as}）"
    return note + (f"：{signoff.comment}" if signoff.comment else "")


def signoff_json(signoff: SignOffBase) -> dict:
    """A sign-off as the API gives it (assessments and plans alike); `signer_name` as printed
    (「甲 代 乙」 for a deputy), `on_behalf_of` the principal's username (None when in person).
    Reads `user` and `on_behalf_of`: select them with the rows."""
    return {
        "position": signoff.position,
        "role": signoff.role,
        "user": signoff.user.get_username(),
        "signer_name": signoff.signed_as,
        "on_behalf_of": signoff.on_behalf_of.get_username() if signoff.on_behalf_of_id else None,
        "decision": signoff.decision,
        "comment": signoff.comment,
        "at": signoff.at.isoformat(),
        "content_hash": signoff.content_hash or None,
    }


def decision_json(signoff: SignOffBase, *, status: str) -> dict:
    """The API's answer to a sign-off decision (assessments and plans alike): the step as
    recorded and the record's status after it."""
    return {
        "position": signoff.position,
        "role": signoff.role,
        "signer_name": signoff.signed_as,
        "on_behalf_of": signoff.on_behalf_of.get_username() if signoff.on_behalf_of_id else None,
        "decision": signoff.decision,
        "comment": signoff.comment,
        "at": signoff.at.isoformat(),
        "status": status,
    }


def waiting_json(waiting: tuple[Role, dt.datetime] | None) -> dict | None:
    """Whom a record waits on, for the API: {"role": "section_chief", "since": ISO} or None."""
    if waiting is None:
        return None
    role, since = waiting
    return {"role": role.value, "since": since.isoformat()}
