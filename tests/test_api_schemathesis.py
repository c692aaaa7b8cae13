"""schemathesis against the API, in process (WSGI), on the sample records: no answer is a server
error, and every answer is one the OpenAPI schema documents, in the shape it documents.

Bounded and deterministic: a few derandomized examples per operation, for each of two
tokens (台東's clerk, an HQ reviewer), in valid and invalid data; path ids are drawn from real
records as well as made up, so that the answers are not only 404s. The records change as the
run goes (a submit, a delete): the examples are the same each run, so the run is too.
Runs once, on SQLite (`sqlite_only`): it checks the API's shapes, not the database.
"""

import datetime as dt
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.sqlite_only

MAX_EXAMPLES = 6
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def wsgi_app():
    """The app as a server runs it, without closing the test's connection after each request
    (Django's own test client does the same)."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def real_ids(clerk) -> list[dict]:
    """Path parameters that name records the tokens' users can (or cannot) see: 台東's sample
    record, signed through to HQ, with 苗栗's sample plan; and a draft of 台東's next period
    (its improvements carried over, a file on a cell) with a draft plan of 台東's."""
    from servplan.assessments.domain import add_evidence, create_assessment
    from servplan.assessments.models import Assessment
    from servplan.core.roc import Period
    from servplan.offices.models import Role
    from servplan.periods import exports
    from servplan.periods.models import AssessmentPeriod
    from servplan.plans.domain import start_plan
    from servplan.plans.models import OfficePlan
    from servplan.programs.domain.versions import start_program
    from servplan.programs.models import Practice, Strategy
    from tests import factories

    submitted = factories.submitted(
        Assessment.objects.get(office__code="taitung", roc_year=114, start_month=1)
    )
    draft = create_assessment(
        office=submitted.office,
        rubric=submitted.rubric,
        period=Period(114, 7, 12),
        user=clerk,
        copy_previous=True,
    )
    evidence = add_evidence(
        cell_score=draft.cells.order_by("id").first(),
        user=clerk,
        upload=SimpleUploadedFile("佐證.pdf", PDF),
    )
    period = AssessmentPeriod.objects.create(
        roc_year=114,
        start_month=1,
        end_month=6,
        rubric=submitted.rubric,
        deadline=dt.date(2025, 7, 15),
    )
    # the period's data ZIP, built as the background job builds it
    export = exports.start_export(
        period=period, fmt="json", user=factories.user(role=Role.HQ_REVIEWER)
    )
    exports.build_export(export_id=export.pk)
    signoff = submitted.signoffs.order_by("id").first()
    pairs = (
        (submitted, OfficePlan.objects.get(office__code="miaoli", roc_year=112)),
        (draft, start_plan(office=submitted.office, roc_year=114)),
    )
    # HQ's programs: the 苗栗 plan's (published) and a draft of 115's
    programs = (pairs[0][1].program_id, start_program(user=None, roc_year=115).pk)
    sets = []
    for (assessment, plan), program_id in zip(pairs, programs, strict=True):
        finding = assessment.findings.exclude(improvement=None).order_by("id").first()
        practices = Practice.objects.filter(measure__strategy__facet__outline=plan.outline_id)
        strategy = Strategy.objects.filter(facet__outline=plan.outline_id).order_by("-id").first()
        sets.append(
            {
                "assessment_id": assessment.pk,
                "cell_id": assessment.cells.order_by("id").first().pk,
                "finding_id": finding.pk,
                "improvement_id": finding.improvement_id,
                "evidence_id": evidence.pk,
                "signoff_id": signoff.pk,
                "plan_id": plan.pk,
                "practice_id": practices.order_by("-id").first().pk,
                "strategy_id": strategy.pk,
                "program_id": program_id,
                "slug": "114-1-6",
                "export_id": export.pk,
            }
        )
    return sets


def examples(strategy, headers: dict, checks: list):
    """A bounded, derandomized run of `strategy`'s cases, each sent and checked."""

    @seed(15)
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        case.call_and_validate(headers=headers, checks=checks)

    return run


@pytest.mark.django_db
def test_the_api_answers_as_documented(sample, wsgi_app, make):
    import schemathesis
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from servplan.offices.domain import find_office
    from servplan.offices.models import ApiToken, Role

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    clerk = make.user(office=find_office("台東區營業處"), role=Role.CLERK)
    tokens = {
        "clerk": ApiToken.issue(clerk),
        "hq": ApiToken.issue(make.user(role=Role.HQ_REVIEWER)),
    }
    ids = real_ids(clerk)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    failures = []
    runs = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        names = [p.name for p in operation.path_parameters]
        for (who, token), mode in itertools.product(
            tokens.items(), (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        ):
            fixed = [{n: s[n] for n in names} for s in ids] if names else []
            strategy = st.one_of(
                *(operation.as_strategy(mode, path_parameters=p) for p in fixed),
                operation.as_strategy(mode),
            )
            run = examples(strategy, {"Authorization": f"Bearer {token}"}, checks)
            runs += 1
            try:
                run()
            except Unsatisfiable:
                # an operation without parameters or body has no wrong input to send
                if mode != GenerationMode.NEGATIVE:
                    failures.append(f"{operation.label} as {who}: no input could be made")
            except Exception as exc:  # every operation's failure, not just the first
                failures.append(f"{operation.label} as {who} ({mode.value}):\n{exc}")
    assert runs >= 100
    assert not failures, "\n\n".join(failures)
