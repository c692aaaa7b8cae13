"""Reading a plan's sign-off chain: whose turn it is and whom it waits on (offices.signing).

The plan follows the chain assessments follow; its own rows are plans.PlanSignOff. Changes go
through plans.domain (submit_plan, sign_plan, reopen_plan).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from servplan.offices import signing
from servplan.offices.access import is_hq, membership
from servplan.offices.chains import chain_for
from servplan.offices.models import Decision, Form, Office, Role
from servplan.offices.signing import ChainState
from servplan.plans.models import OfficePlan, PlanSignOff, PlanStatus
from servplan.plans.serializers import plan_to_dict

# Past the chain: the plan is locked, and HQ may reopen an approved one.
LOCKED = (PlanStatus.APPROVED, PlanStatus.PUBLISHED)


def plan_chain(office: Office) -> list[Role]:
    """The roles that sign an office's plan: its steps for the plan form (Form.PLAN) when it
    has any, else its approval chain (Form.APPROVAL, else the default five). Reads the
    office's prefetched chain steps."""
    has_own = any(step.form == Form.PLAN for step in office.chain_steps.all())
    return chain_for(office, Form.PLAN if has_own else Form.APPROVAL)


def plan_round(plan: OfficePlan, signoffs: list[PlanSignOff] | None = None) -> list[PlanSignOff]:
    """The sign-offs since the latest submit, in order; none while a draft."""
    rows = list(plan.signoffs.all() if signoffs is None else signoffs)
    return signing.current_round(rows, draft=plan.status == PlanStatus.DRAFT)


def plan_chain_state(plan: OfficePlan, signoffs: list[PlanSignOff] | None = None) -> ChainState:
    """The plan's chain and how far the current round has got (pass prefetched rows)."""
    return ChainState(
        chain=signing.approval_chain(plan_chain(plan.office)),
        round=plan_round(plan, signoffs),
        in_chain=plan.status == PlanStatus.SUBMITTED,
    )


def plan_waiting_on(
    plan: OfficePlan, signoffs: list[PlanSignOff] | None = None
) -> tuple[Role, dt.datetime] | None:
    """Whom the plan waits on and since when, or None once approved.

    A draft waits on the clerk since it was started, returned or reopened; a submitted plan
    on the current signer since the previous step.
    """
    rows = list(plan.signoffs.all() if signoffs is None else signoffs)
    if plan.status == PlanStatus.DRAFT:
        return Role.CLERK, signing.draft_since(plan.created_at, plan.reopened_at, rows)
    state = plan_chain_state(plan, rows)
    current = state.current
    if current is None or not state.round:
        return None
    return current[1], state.round[-1].at


def plan_content_hash(plan: OfficePlan) -> str:
    """sha256 of the plan's content as the API gives it, without what the workflow moves
    (status, approved_on): what a signer approved. Load the plan with plans_for_export()."""
    data = plan_to_dict(plan)
    for moving in ("status", "approved_on"):
        del data[moving]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def chain_context(plan: OfficePlan, user) -> dict:
    """What the chain partial (plans/_signoffs.html) shows `user` and which forms it offers.

    Reads the plan's sign-offs and the office's chain steps (prefetched or one query each),
    plus one query for a deputy's registration when it is someone else's turn.
    """
    rows = list(plan.signoffs.all())
    state = plan_chain_state(plan, rows)
    current = state.current
    last = rows[-1] if rows else None
    draft = plan.status == PlanStatus.DRAFT
    returned = draft and last is not None and last.decision == Decision.RETURN
    m = membership(user)
    my_turn = current is not None and signing.may_sign(
        user=user, office=plan.office, role=current[1], round_=state.round
    )
    return {
        "state": state,
        "waiting": plan_waiting_on(plan, rows),
        "returned": last if returned else None,
        # a reopen is why this draft exists until a return gives a newer reason
        "reopened": draft and plan.reopened_at is not None and not returned,
        "can_submit": draft
        and m is not None
        and m.office_id == plan.office_id
        and m.role == Role.CLERK,
        "my_turn": my_turn,
        "can_reopen": plan.status == PlanStatus.APPROVED and is_hq(user),
    }
