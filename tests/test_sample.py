"""`servplan sample`: the same seed gives the same data, every office is labelled a sample
and none is mixed up with the real offices, every status is there, a second run is refused
unless it replaces the first."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from servplan.assessments.models import Assessment, CellScore, SignOff
from servplan.core.sample import delete_sample, generate_sample, sample_offices
from servplan.offices.models import Office
from servplan.plans.models import OfficePlan
from servplan.public.models import SearchDocument


def snapshot() -> dict:
    """The sample's content without its database ids."""
    return {
        "offices": list(sample_offices().values_list("code", "name", "region", "position")),
        "assessments": list(
            Assessment.objects.filter(office__in=sample_offices())
            .order_by("office__code", "roc_year", "start_month")
            .values_list("office__code", "roc_year", "start_month", "status", "created_at")
        ),
        "cells": list(
            CellScore.objects.filter(assessment__office__in=sample_offices())
            .order_by(
                "assessment__office__code",
                "assessment__roc_year",
                "assessment__start_month",
                "cell_id",
            )
            .values_list("score", "review_score", "narrative")
        ),
        "signoffs": list(
            SignOff.objects.filter(assessment__office__in=sample_offices())
            .order_by(
                "assessment__office__code",
                "assessment__roc_year",
                "assessment__start_month",
                "at",
                "position",
            )
            .values_list("role", "decision", "at", "signer_name")
        ),
        "plans": list(
            OfficePlan.objects.filter(office__in=sample_offices())
            .order_by("office__code")
            .values_list("office__code", "status", "goals")
        ),
        "search": list(
            SearchDocument.objects.filter(office__in=sample_offices())
            .order_by("office__code", "kind", "position", "part", "text")
            .values_list("part", "text")
        ),
    }


def test_the_same_seed_gives_the_same_data_another_seed_other_data(shipped):
    generate_sample(offices=3, periods=2, seed=7)
    first = snapshot()
    generate_sample(offices=3, periods=2, seed=7, replace=True)
    assert snapshot() == first
    generate_sample(offices=3, periods=2, seed=8, replace=True)
    other = snapshot()
    assert other["offices"] == first["offices"] and other["cells"] != first["cells"]


def test_every_sample_office_is_labelled_and_the_real_ones_are_untouched(shipped):
    real = list(Office.objects.values_list("code", "name").order_by("code"))
    report = generate_sample(offices=12, periods=2, seed=1)
    assert report.offices == 12 and sample_offices().count() == 12
    for code, name in sample_offices().values_list("code", "name"):
        assert re.fullmatch(r"S\d{4}", code) and re.fullmatch(r"範例第 \d{4} 區營業處", name)
    assert (
        list(
            Office.objects.exclude(pk__in=sample_offices())
            .values_list("code", "name")
            .order_by("code")
        )
        == real
    )
    assert not Assessment.objects.exclude(office__in=sample_offices()).exists()
    assert delete_sample() == 12
    assert list(Office.objects.values_list("code", "name").order_by("code")) == real
    assert not Assessment.objects.exists() and not SearchDocument.objects.exists()


def test_every_status_and_the_public_text_are_there(shipped):
    report = generate_sample(offices=40, periods=2, seed=1)
    assert set(report.statuses) == {
        "draft",
        "returned",
        "in_signoff",
        "submitted",
        "accepted",
        "reviewed",
    }
    assert report.results_published and report.plans_published
    statuses = set(OfficePlan.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "approved", "published"}
    from servplan.search.public import search

    found = search("電子帳單")
    assert found.count and all(h.office.startswith("範例第") for h in found.hits)


def test_the_command_refuses_a_second_sample_unless_replacing(shipped):
    out = StringIO()
    call_command("sample", "--offices", "2", "--periods", "1", stdout=out)
    assert "完成：2 個範例區營業處" in out.getvalue()
    with pytest.raises(CommandError, match="--replace"):
        call_command("sample", "--offices", "2", "--periods", "1", stdout=StringIO())
    call_command("sample", "--offices", "3", "--periods", "1", "--replace", stdout=StringIO())
    assert sample_offices().count() == 3
