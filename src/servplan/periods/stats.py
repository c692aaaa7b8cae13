"""The numeric rules of HQ's comparison: mean, median, spread, rank, gap to the median, and
how far a value stands from others in robust units.

Pure functions on Decimals (scores are whole or half points), so that the pages, the API and
the exports print the same figure; tests/test_periods_stats.py checks the rules with
hypothesis. A missing value (None) is left out of every figure, never counted as zero.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

# 1.4826 × MAD estimates the standard deviation of normally spread values, so a robust
# distance of 3 reads like "three standard deviations" without one outlier setting the scale.
MAD_SCALE = Decimal("1.4826")


def _present(values: Iterable[Decimal | None]) -> list[Decimal]:
    return [Decimal(v) for v in values if v is not None]


def median(values: Iterable[Decimal | None]) -> Decimal | None:
    """The middle value; for an even count, the mean of the two middle ones."""
    ordered = sorted(_present(values))
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = _present(values)
    return sum(present, Decimal(0)) / len(present) if present else None


def spread(values: Iterable[Decimal | None]) -> Decimal | None:
    """The range: the highest value minus the lowest."""
    present = _present(values)
    return max(present) - min(present) if present else None


def gap(value: Decimal | None, centre: Decimal | None) -> Decimal | None:
    """How far `value` lies above (positive) or below (negative) `centre`."""
    if value is None or centre is None:
        return None
    return Decimal(value) - centre


def ranks(values: Mapping[K, Decimal | None]) -> dict[K, int]:
    """Competition ranking, highest first: 1 + the number of strictly higher values, so equal
    values share the better rank and the next one skips (1, 2, 2, 4). Missing values get none."""
    # Sorted once, then each value's rank is where the first value not above it stands:
    # counting the higher values for every value was quadratic (2,000 offices × 16 units
    # took seconds on the comparison page).
    descending = sorted(_present(values.values()), reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(descending, 1):
        first.setdefault(value, position)
    return {key: first[value] for key, value in values.items() if value is not None}


def mad(values: Iterable[Decimal | None]) -> Decimal | None:
    """The median absolute deviation from the median."""
    present = _present(values)
    centre = median(present)
    if centre is None:
        return None
    return median(abs(v - centre) for v in present)


def robust_distance(
    value: Decimal | None, values: Iterable[Decimal | None], *, floor: Decimal
) -> Decimal | None:
    """(value − median) in units of 1.4826 × MAD of `values`, the unit at least `floor`: when
    nearly everyone gives the same score the MAD is about zero, and any difference would
    otherwise look infinitely far."""
    present = _present(values)
    if value is None or not present:
        return None
    unit = max(MAD_SCALE * mad(present), floor)
    return (Decimal(value) - median(present)) / unit


@dataclass(frozen=True)
class Summary:
    """What stands beside every average: the median and the spread, so one outlier can't
    hide behind a mean."""

    n: int
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None

    @property
    def spread(self) -> Decimal | None:
        return None if self.n == 0 else self.maximum - self.minimum


def summarize(values: Iterable[Decimal | None]) -> Summary:
    present = _present(values)
    if not present:
        return Summary(0, None, None, None, None)
    return Summary(len(present), mean(present), median(present), min(present), max(present))


def summarize_and_rank(values: Mapping[K, Decimal | None]) -> tuple[Summary, dict[K, int]]:
    """`summarize` and `ranks` of the same values, sorting them once: the comparison asks
    both of every column over thousands of offices."""
    present = {key: Decimal(v) for key, v in values.items() if v is not None}
    descending = sorted(present.values(), reverse=True)
    if not descending:
        return Summary(0, None, None, None, None), {}
    first: dict[Decimal, int] = {}
    for position, value in enumerate(descending, 1):
        first.setdefault(value, position)
    n, middle = len(descending), len(descending) // 2
    centre = descending[middle] if n % 2 else (descending[middle] + descending[middle - 1]) / 2
    summary = Summary(n, sum(descending, Decimal(0)) / n, centre, descending[-1], descending[0])
    return summary, {key: first[value] for key, value in present.items()}
