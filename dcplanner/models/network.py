"""Compute-fabric sizing: a non-blocking fat tree from the endpoint count and switch radix.

Each switch below the top tier gives half its ports to endpoints (or the tier below) and half
to the tier above; the top tier uses all its ports downwards. ``t`` tiers connect at most
``2 * (radix / 2) ** t`` endpoints. Checked against NVIDIA's DGX SuperPOD reference
architectures (reference/hardware.md §4): 1,016 H100 at 400G on 64-port QM9700 give 32 leaf +
16 spine; 4,096 B200 give 128 leaf + 128 spine + 64 core.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Deepest fat tree considered; 5 tiers of 64-port switches connect 2 * 32**5 = 67 M endpoints.
MAX_TIERS = 5


def fat_tree_capacity(radix: ArrayLike, tiers: int = MAX_TIERS) -> NDArray:
    """Most endpoints a non-blocking fat tree of ``tiers`` tiers of ``radix``-port switches
    connects, ``2 * (radix / 2) ** tiers`` [-]."""
    return 2.0 * (np.asarray(radix, dtype=float) / 2.0) ** tiers


def fat_tree_tiers(endpoints: ArrayLike, radix: ArrayLike) -> NDArray:
    """Number of switch tiers a non-blocking fat tree needs (0 for no endpoints; NaN beyond
    :data:`MAX_TIERS`, which no fabric here is built with: not a silent cap).

    Parameters
    ----------
    endpoints : array_like
        Fabric endpoints, GPUs x ports per GPU [-].
    radix : array_like
        Ports per switch [-].
    """
    endpoints = np.asarray(endpoints, dtype=float)
    half = np.asarray(radix, dtype=float) / 2.0
    # Exact integer comparisons with capacities, so that 2,048 endpoints on 64 ports is 2 tiers.
    tiers = np.where(endpoints > 0, 1, 0)
    for t in range(1, MAX_TIERS):
        tiers = tiers + (endpoints > 2.0 * half**t)
    return np.where(endpoints > fat_tree_capacity(radix), np.nan, tiers)


def fat_tree_switches(endpoints: ArrayLike, radix: ArrayLike) -> NDArray:
    """Switch count of a non-blocking fat tree [-].

    ``t - 1`` lower tiers of ``ceil(E / (radix/2))`` switches each, and a top tier of
    ``ceil(lower / 2)`` switches (``ceil(E / radix)`` when there is one tier).
    """
    endpoints = np.asarray(endpoints, dtype=float)
    radix = np.asarray(radix, dtype=float)
    tiers = fat_tree_tiers(endpoints, radix)
    lower = np.ceil(endpoints / (radix / 2.0))
    top = np.where(tiers == 1, np.ceil(endpoints / radix), np.ceil(lower / 2.0))
    return np.where(tiers > 0, (tiers - 1) * lower + top, 0.0)


def fat_tree_optical_ends(endpoints: ArrayLike, radix: ArrayLike) -> NDArray:
    """Optical link ends (one transceiver port each) [-].

    Every tier carries one link per endpoint (non-blocking), and each link has two ends, so a
    2-tier tree has 4 ends per endpoint: about two twin-port 800G modules per 400G GPU port, as
    in the DGX H100 SuperPOD bill of materials (reference/hardware.md §4).
    """
    return 2.0 * np.asarray(endpoints, dtype=float) * fat_tree_tiers(endpoints, radix)


def fabric_power_w(
    endpoints: ArrayLike,
    radix: ArrayLike,
    switch_w: ArrayLike,
    host_transceiver_w_per_port: ArrayLike,
) -> NDArray:
    """Fabric power [W]: switches at their power with optics, plus endpoint-side optics.

    Switch power already includes the switch-side transceivers (reference/hardware.md §8 note
    9), so only the host-side end of each endpoint link is added.
    """
    switches = fat_tree_switches(endpoints, radix)
    return switches * np.asarray(switch_w, dtype=float) + np.asarray(
        endpoints, dtype=float
    ) * np.asarray(host_transceiver_w_per_port, dtype=float)
