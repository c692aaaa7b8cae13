import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servplan.core.roc import Period, RocError, cjk_number, format_date, parse_date, parse_period


def test_format_date_writes_the_forms_style():
    assert format_date(dt.date(2025, 3, 21)) == "114 年 3 月 21 日"
    assert format_date(dt.date(2023, 3, 21)) == "112 年 3 月 21 日"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    "text", ["114 年 3 月 21 日", "114年3月21日", "民國114年3月21日", "１１４ 年 ３ 月 ２１ 日"]
)
def test_parse_date_accepts_the_ways_people_write_it(text):
    assert parse_date(text) == dt.date(2025, 3, 21)


@pytest.mark.parametrize("text", ["2025-03-21", "114 年 2 月 30 日", "年 月 日", ""])
def test_parse_date_refuses_with_a_chinese_message(text):
    with pytest.raises(RocError, match="日期"):
        parse_date(text)


@given(st.dates(min_value=dt.date(1912, 1, 1), max_value=dt.date(2911, 12, 31)))
def test_date_round_trip(value):
    assert parse_date(format_date(value)) == value


def test_period_reads_and_writes_the_forms_style():
    period = parse_period("114 年度 1 月至 6 月")
    assert period == Period(114, 1, 6)
    assert str(period) == "114 年度 1 月至 6 月"
    assert period.slug == "114-1-6"
    assert parse_period("114-7-12") == Period(114, 7, 12)
    assert parse_period("114年度1月至6月") == Period(114, 1, 6)


@pytest.mark.parametrize(
    "text", ["114 年度 6 月至 1 月", "114 年度 0 月至 6 月", "114-1-13", "上半年"]
)
def test_period_refuses_impossible_months(text):
    with pytest.raises(RocError):
        parse_period(text)


@given(st.integers(1, 300), st.integers(1, 12), st.integers(1, 12))
def test_period_round_trip(year, a, b):
    period = Period(year, min(a, b), max(a, b))
    assert parse_period(str(period)) == period
    assert parse_period(period.slug) == period


def test_previous_period():
    assert Period(114, 7, 12).previous() == Period(114, 1, 6)
    assert Period(114, 1, 6).previous() == Period(113, 7, 12)
    assert Period(114, 1, 12).previous() == Period(113, 1, 12)


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (5, "五"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三")]
)
def test_cjk_number(n, text):
    assert cjk_number(n) == text


@pytest.mark.parametrize("year", [0, -1, 1000, 9999, 40000, 10**30])
def test_a_year_outside_the_range_both_databases_hold_is_refused(year):
    with pytest.raises(RocError, match=f"民國年度 {year} 不正確（應為 1 至 999 年）"):
        Period(year, 1, 6)


def test_the_range_is_what_people_write():
    assert Period(1, 1, 6).roc_year == 1 and Period(999, 7, 12).roc_year == 999
    with pytest.raises(RocError, match="民國年度 9999 不正確"):
        parse_period("9999-1-6")
