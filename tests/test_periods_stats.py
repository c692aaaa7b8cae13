"""The comparison's numeric rules (periods.stats), checked on arbitrary scores."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from servplan.periods import stats

# Scores are whole or half points, 0 to 1000.
score = st.integers(min_value=0, max_value=2000).map(lambda n: Decimal(n) / 2)
scores = st.lists(score, min_size=1, max_size=40)
shift = st.integers(min_value=-200, max_value=200).map(Decimal)


@given(scores)
def test_the_median_has_half_the_values_on_either_side(values):
    m = stats.median(values)
    assert min(values) <= m <= max(values)
    assert 2 * sum(v <= m for v in values) >= len(values)
    assert 2 * sum(v >= m for v in values) >= len(values)


@given(scores, st.randoms())
def test_the_median_ignores_order_and_moves_with_a_shift(values, rnd):
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert stats.median(shuffled) == stats.median(values)


@given(scores, shift)
def test_median_spread_and_gaps_move_with_a_shift(values, by):
    moved = [v + by for v in values]
    assert stats.median(moved) == stats.median(values) + by
    assert stats.spread(moved) == stats.spread(values)
    assert [stats.gap(v, stats.median(moved)) for v in moved] == [
        stats.gap(v, stats.median(values)) for v in values
    ]


@given(scores)
def test_the_spread_is_highest_minus_lowest_and_zero_only_when_all_agree(values):
    s = stats.spread(values)
    assert s == max(values) - min(values) >= 0
    assert (s == 0) == (len(set(values)) == 1)


@given(scores)
def test_the_mean_lies_between_the_extremes(values):
    assert min(values) <= stats.mean(values) <= max(values)


@given(st.lists(st.one_of(st.none(), score), max_size=30))
def test_missing_values_count_nowhere(values):
    present = [v for v in values if v is not None]
    summary = stats.summarize(values)
    assert summary.n == len(present)
    assert summary.median == (stats.median(present) if present else None)
    ranked = stats.ranks(dict(enumerate(values)))
    assert set(ranked) == {i for i, v in enumerate(values) if v is not None}


@given(st.lists(st.one_of(st.none(), score), max_size=30))
def test_summarize_and_rank_is_summarize_and_ranks(values):
    summary, ranked = stats.summarize_and_rank(dict(enumerate(values)))
    assert summary == stats.summarize(values)
    assert ranked == stats.ranks(dict(enumerate(values)))


@given(scores)
def test_ranks_go_highest_first_and_ties_share_the_better_rank(values):
    ranked = stats.ranks(dict(enumerate(values)))
    for i, v in enumerate(values):
        assert ranked[i] == 1 + sum(w > v for w in values)
        for j, w in enumerate(values):
            if v == w:
                assert ranked[i] == ranked[j]
            elif v > w:
                assert ranked[i] < ranked[j]
    assert min(ranked.values()) == 1
    assert len(set(ranked.values())) == len(set(values))
    # competition ranking (1, 2, 2, 4): rank r is held by as many as the next rank skips
    held = sorted(set(ranked.values()))
    for r, after in zip(held, [*held[1:], len(values) + 1], strict=True):
        assert list(ranked.values()).count(r) == after - r


@given(scores)
def test_at_most_half_lie_above_or_below_the_median(values):
    m = stats.median(values)
    gaps = [stats.gap(v, m) for v in values]
    assert 2 * sum(g > 0 for g in gaps) <= len(values)
    assert 2 * sum(g < 0 for g in gaps) <= len(values)


@given(score, scores, st.integers(min_value=1, max_value=20).map(Decimal))
def test_the_robust_distance_points_away_from_the_median_and_is_bounded_by_its_floor(
    value, values, floor
):
    d = stats.robust_distance(value, values, floor=floor)
    away = value - stats.median(values)
    assert (d > 0) == (away > 0) and (d < 0) == (away < 0)
    assert abs(d) <= abs(away) / floor


@given(scores, shift)
def test_the_robust_distance_moves_with_nothing_but_the_value(values, by):
    value = values[0]
    moved = [v + by for v in values]
    floor = Decimal(2)
    assert stats.robust_distance(value + by, moved, floor=floor) == stats.robust_distance(
        value, values, floor=floor
    )


def test_one_outlier_does_not_move_the_median_as_it_moves_the_mean():
    values = [Decimal(v) for v in (90, 91, 92, 93, 10)]
    assert stats.median(values) == 91
    assert stats.mean(values) == Decimal("75.2")
    assert stats.robust_distance(Decimal(10), values, floor=Decimal(2)) < -3


def test_nothing_gives_nothing():
    assert stats.median([]) is None and stats.spread([]) is None and stats.mean([]) is None
    assert stats.summarize([None]).spread is None
    assert stats.ranks({}) == {}
    assert stats.robust_distance(Decimal(1), [], floor=Decimal(2)) is None
