"""Estimated precision with a Wilson score interval.

The Wilson interval (Wilson 1927) is the standard interval for a binomial
proportion from a small sample: unlike the normal approximation it never
leaves 0..1 and it stays honest at 0 or n successes, which is exactly
where an audit of mostly-correct merges lands.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054
"""The two-sided 95% normal quantile."""


@dataclass(frozen=True, slots=True)
class Estimate:
    """``successes`` of ``n`` judged, the point estimate and its interval
    (all None when nothing was judged)."""

    successes: int
    n: int
    value: float | None
    low: float | None
    high: float | None

    def percent(self) -> str:
        """E.g. ``96.0% (90.2%–98.4%)``, or ``—`` when nothing was judged."""
        if self.value is None or self.low is None or self.high is None:
            return "—"
        return f"{self.value:.1%} ({self.low:.1%}–{self.high:.1%})"


def wilson(successes: int, n: int, z: float = Z95) -> Estimate:
    """The proportion ``successes / n`` with its Wilson score interval.

    Example:
        >>> e = wilson(81, 263)
        >>> round(e.low, 4), round(e.high, 4)
        (0.2553, 0.3662)

    Raises:
        ValueError: ``successes`` is negative or more than ``n``.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"wilson({successes}, {n}): need 0 <= successes <= n")
    if n == 0:
        return Estimate(0, 0, None, None, None)
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Estimate(successes, n, p, low, high)
