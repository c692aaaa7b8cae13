"""Changes to self-assessments. Views, the API and the CLI all come through here.

One module per concern; every public function is re-exported here so callers import
`servplan.assessments.domain`.
"""

from servplan.assessments.domain.cells import KEEP, cell_label, score_cell
from servplan.assessments.domain.checks import Problem, blocking, check_assessment
from servplan.assessments.domain.dates import date_version, set_assessed_on
from servplan.assessments.domain.errors import AlreadyAttached, Conflict, NotAllowed, TooLarge
from servplan.assessments.domain.evidence import (
    MAX_EVIDENCE_BYTES,
    add_evidence,
    remove_evidence,
)
from servplan.assessments.domain.findings import (
    add_follow_up,
    finding_values,
    improvement_label,
    quarter_of,
    update_finding,
)
from servplan.assessments.domain.records import (
    NOTHING,
    create_assessment,
    load_assessment,
    previous_assessment,
    set_chain,
)
from servplan.assessments.domain.workflow import (
    ChainState,
    chain_state,
    current_round,
    decide,
    reopen_assessment,
    submit_assessment,
    waiting_on,
)

__all__ = [
    "KEEP",
    "MAX_EVIDENCE_BYTES",
    "NOTHING",
    "AlreadyAttached",
    "ChainState",
    "Conflict",
    "NotAllowed",
    "Problem",
    "TooLarge",
    "add_evidence",
    "add_follow_up",
    "blocking",
    "cell_label",
    "chain_state",
    "check_assessment",
    "create_assessment",
    "current_round",
    "date_version",
    "decide",
    "finding_values",
    "improvement_label",
    "load_assessment",
    "previous_assessment",
    "quarter_of",
    "remove_evidence",
    "reopen_assessment",
    "score_cell",
    "set_assessed_on",
    "set_chain",
    "submit_assessment",
    "update_finding",
    "waiting_on",
]
