"""The cases of a study: every combination of grid values, zip rows and samples.

Case i is ``(g, z, m) = unravel(i, (grid combinations, zip rows, samples))``, so a study's
cases are the same whatever the chunking or the executor. Samples come from
``scipy.stats.qmc`` (Latin hypercube, Sobol, Halton) or a seeded generator, in [0, 1) per
parameter, and go through each distribution's quantile function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dcplanner.engine.params import object_array
from dcplanner.study.spec import Choice, Distribution, Sample, StudySpec

#: Unit samples are kept this far from 0 and 1, where normal quantiles are infinite.
EDGE = 1e-12


@dataclass(frozen=True)
class Design:
    """The input table of a study: ``columns[path][i]`` is the value of case i."""

    paths: list[str]
    columns: dict[str, NDArray]
    count: int
    sobol_base: int | None  # base points of a Saltelli design, when the sample is one

    def overrides(self, i: int) -> dict[str, Any]:
        """The varied values of case ``i``, by dotted path."""
        return {path: plain(self.columns[path][i]) for path in self.paths}


def plain(value: Any) -> Any:
    """numpy scalars as Python values (for pydantic and CSV)."""
    return value.item() if isinstance(value, np.generic) else value


def latin_hypercube(n: int, d: int, seed: int) -> NDArray:
    """A Latin hypercube of ``n`` points in [0, 1)^d: each dimension's n strata taken once, in
    a random order, at a random place in each (McKay, Beckman and Conover, Technometrics 21,
    1979). The same draws as ``scipy.stats.qmc.LatinHypercube(d, rng=seed).random(n)``
    (scrambled, strength 1), without importing ``scipy.stats``, which costs a study about
    a second."""
    # scipy's engines draw from the first child of the seed's sequence.
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed).spawn(1)[0]))
    offsets = rng.uniform(size=(n, d))
    strata = np.tile(np.arange(1, n + 1), (d, 1))
    for row in strata:
        rng.shuffle(row)
    return (strata.T - offsets) / n


def unit_samples(sample: Sample) -> NDArray:
    """Points in [0, 1)^D, shape (cases, D); for ``sobol``, Saltelli's layout: for each base
    point j the rows A_j, AB_j^1 ... AB_j^D, B_j (SALib's order without second-order terms)."""
    d = len(sample.parameters)
    if sample.method == "random":
        u = np.random.default_rng(sample.seed).random((sample.n, d))
    elif sample.method == "lhs":
        u = latin_hypercube(sample.n, d, sample.seed)
    elif sample.method == "halton":
        from scipy.stats import qmc


        u = qmc.Halton(d=d, rng=sample.seed).random(sample.n)
    else:
        from scipy.stats import qmc

        base = qmc.Sobol(d=2 * d, rng=sample.seed).random_base2(int(np.log2(sample.n)))
        a, b = base[:, :d], base[:, d:]
        blocks = [a]
        for k in range(d):
            ab = a.copy()
            ab[:, k] = b[:, k]
            blocks.append(ab)
        blocks.append(b)
        u = np.stack(blocks, axis=1).reshape(-1, d)
    return np.clip(u, EDGE, 1 - EDGE)


def quantiles(dist: Distribution, u: NDArray) -> NDArray:
    """Values of a distribution at unit samples ``u`` (its quantile function); ``scipy.stats``
    is imported only for the truncated normal."""
    if isinstance(dist, Choice):
        w = np.ones(len(dist.values)) if dist.weights is None else np.asarray(dist.weights)
        edges = np.cumsum(w) / w.sum()
        index = np.minimum(np.searchsorted(edges, u, side="right"), len(dist.values) - 1)
        return _numeric_if_possible(object_array(dist.values)[index])
    if dist.dist == "uniform":
        return dist.low + u * (dist.high - dist.low)
    if dist.dist == "triangular":
        # The inverse of the triangular CDF, as scipy.stats.triang's ppf.
        width = dist.high - dist.low
        c = (dist.mode - dist.low) / width
        unit = np.where(u < c, np.sqrt(c * u), 1.0 - np.sqrt((1.0 - c) * (1.0 - u)))
        return dist.low + width * unit
    from scipy.special import ndtri

    if dist.dist == "normal":
        return dist.mean + dist.sd * ndtri(u)
    if dist.dist == "truncnormal":
        from scipy import stats

        a, b = (dist.low - dist.mean) / dist.sd, (dist.high - dist.mean) / dist.sd
        return stats.truncnorm.ppf(u, a, b, loc=dist.mean, scale=dist.sd)
    return dist.median * np.exp(dist.sigma * ndtri(u))  # lognormal


def _numeric_if_possible(values: NDArray) -> NDArray:
    """An int or float array when every value is a number (not a bool), else the objects."""
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return values.astype(np.int64)
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return values.astype(float)
    return values


def _column(values: list[Any]) -> NDArray:
    return _numeric_if_possible(object_array(values))


def case_count(spec: StudySpec) -> int:
    """How many cases :func:`build_design` gives, from the design's shape alone: what a study
    is refused on before anything is built."""
    grid = math.prod(len(v) for v in spec.grid.values())
    paired = len(next(iter(spec.zip.values()))) if spec.zip else 1
    sampled = 1
    if spec.sample:  # sobol: Saltelli's D + 2 rows per base point (unit_samples)
        per_point = len(spec.sample.parameters) + 2 if spec.sample.method == "sobol" else 1
        sampled = spec.sample.n * per_point
    return grid * paired * sampled


def build_design(spec: StudySpec) -> Design:
    """Every case of the study, as columns of values (one row per case)."""
    grid_sizes = [len(v) for v in spec.grid.values()]
    g = int(np.prod(grid_sizes)) if grid_sizes else 1
    z = len(next(iter(spec.zip.values()))) if spec.zip else 1
    u = unit_samples(spec.sample) if spec.sample else np.zeros((1, 0))
    m = len(u)
    count = g * z * m
    gi, zi, mi = np.unravel_index(np.arange(count), (g, z, m))
    columns: dict[str, NDArray] = {}
    grid_index = np.unravel_index(gi, grid_sizes) if grid_sizes else ()
    for (path, values), index in zip(spec.grid.items(), grid_index, strict=True):
        columns[path] = _column(values)[index]
    for path, values in spec.zip.items():
        columns[path] = _column(values)[zi]
    if spec.sample:
        for k, (path, dist) in enumerate(spec.sample.parameters.items()):
            columns[path] = quantiles(dist, u[:, k])[mi]
    sobol = spec.sample.n if spec.sample and spec.sample.method == "sobol" else None
    return Design(spec.varied, columns, count, sobol)
