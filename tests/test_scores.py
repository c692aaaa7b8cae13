from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servplan.core.scores import ScoreError, format_score, parse_score, to_json_number

MAX = Decimal(100)


@given(st.integers(0, 200))
def test_every_whole_and_half_point_up_to_the_maximum_is_accepted(halves):
    score = Decimal(halves) / 2
    assert parse_score(str(score), maximum=MAX, where="格") == score


@given(st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=2))
def test_anything_else_is_refused_naming_the_cell(value):
    ok = 0 <= value <= MAX and (value * 2) % 1 == 0
    if ok:
        assert parse_score(value, maximum=MAX, where="創新性／公私協力") == value
    else:
        with pytest.raises(ScoreError, match="創新性／公私協力"):
            parse_score(value, maximum=MAX, where="創新性／公私協力")


def test_above_maximum_message_names_the_maximum():
    with pytest.raises(ScoreError, match="超過最高分 100 分"):
        parse_score("101", maximum=MAX, where="創新性／公私協力")


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", "1e400x"])
def test_not_a_number(value):
    with pytest.raises(ScoreError, match="不是數字"):
        parse_score(value, maximum=MAX, where="格")


def test_blank_means_not_scored():
    assert parse_score("", maximum=MAX, where="格") is None
    assert parse_score(None, maximum=MAX, where="格") is None


def test_formatting():
    assert format_score(Decimal("95.0")) == "95"
    assert format_score(Decimal("94.5")) == "94.5"
    assert format_score(None) == ""
    assert to_json_number(Decimal("939.0")) == 939
    assert isinstance(to_json_number(Decimal("939.0")), int)
    assert to_json_number(Decimal("94.5")) == 94.5


@pytest.mark.parametrize(
    "value",
    ["1e308", "1E2", "-inf", "inf", "nan", "9" * 400, "1" * 10, 10**400, 1e308, True, "0x10"],
)
def test_exponents_infinities_and_huge_numbers_are_not_scores(value):
    with pytest.raises(ScoreError, match="格：分數「.*」不是數字"):
        parse_score(value, maximum=MAX, where="格")


def test_full_width_digits_are_read():
    assert parse_score("９５", maximum=MAX, where="格") == Decimal(95)
    assert parse_score(" ９４.５ ", maximum=MAX, where="格") == Decimal("94.5")


@given(
    st.one_of(
        st.text(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.from_regex(
            r"[+-]?[0-9０-９]{0,12}(\.[0-9]{0,12})?([eE][+-]?[0-9]{1,4})?", fullmatch=True
        ),
    )
)
def test_anything_sent_is_a_score_or_a_score_error(value):
    """Whatever a client sends, the parser answers a valid score or a refusal, nothing else."""
    try:
        score = parse_score(value, maximum=MAX, where="格")
    except ScoreError as exc:
        assert str(exc).startswith("格：分數")
        return
    assert score is None or (0 <= score <= MAX and score * 2 == int(score * 2))
    assert score is None or format_score(score)
