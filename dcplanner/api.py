"""The Python face: a scenario to change and run, its results as pandas frames.

In the habits of pvlib and pandapower: one object to hold the inputs, one call to run them, the
results as tables with units in the column names::

    import dcplanner
    paris = dcplanner.load()                       # the built-in Paris 40 MW scenario
    bigger = paris.with_(**{"site.grid_mw": 45})   # validated as ``--set site.grid_mw=45``
    run = bigger.run()
    run.to_frame()["facility_peak_mw"]             # one row per scenario (per phase)
    run.hourly(year=2025)                          # 8,760 rows on a Europe/Paris index

Only the frames need pandas (``pip install 'dcplanner[pandas]'``); :meth:`Plan.run` and the
typed :class:`~dcplanner.engine.Result` of :attr:`Run.result` do not. Parquet files need
pyarrow (``pip install 'dcplanner[parquet]'``).

Time index of the hourly frame
------------------------------
A weather year's rows are hours of local *standard* time, as in EPW and TMY files: row k ends
at ``hour`` (1-24) of ``month``/``day`` at the station's fixed offset from UTC
(:attr:`~dcplanner.weather.year.WeatherYear.time_zone_h`, EPW LOCATION field 8; UTC+1 for the
built-in Brétigny-sur-Orge year). The frame labels each row by the start of its hour in the
chosen calendar year at that fixed offset, so the instants are exact and there is no gap or
repeated hour at a daylight-saving change; the built-in Paris year is then shown in
``Europe/Paris`` (CET in winter, CEST in summer: an afternoon hour of standard time 14:00-15:00
reads 15:00 in July), a file's year at its fixed offset unless ``tz=`` names a zone.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from dcplanner import __version__
from dcplanner.config import (
    Loaded,
    Override,
    apply_override,
    blamed,
    parse_override,
    scenario_data,
)
from dcplanner.errors import ConfigError, DcplannerError, Problem
from dcplanner.scenario import ResolvedScenario, Scenario, resolve
from dcplanner.sites import inherited_defaults
from dcplanner.validation import validate

if TYPE_CHECKING:
    import pandas as pd

    from dcplanner.engine import Result

#: The zone the built-in Paris-area weather year is shown in (Bruyères-le-Châtel, France).
PARIS_TZ = "Europe/Paris"
#: Calendar years an hourly index may be built for.
YEARS = (1900, 2100)
#: Parquet key-value metadata written by :func:`to_parquet` (the hash a study's or a scenario's).
PARQUET_KEYS = ("dcplanner.version", "dcplanner.scenario_hash", "dcplanner.study_hash",
                "dcplanner.units")


class MissingExtraError(DcplannerError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingExtraError("frames need pandas, which is not installed: "
                                "pip install 'dcplanner[pandas]'") from None
    return pandas


def _argument(argument: str, message: str) -> ConfigError:
    return ConfigError([Problem.at_argument(argument, message)])


# -- the scenario ---------------------------------------------------------------------------

#: An edit of :meth:`Plan.with_`: dotted path, value, and what errors call it.
_Edit = tuple[str, Any, str]


@dataclass(frozen=True)
class Plan:
    """A scenario read from a file (or the built-in one) with its edits, validated and
    resolved; :meth:`run` runs it, :meth:`with_` gives a changed copy.

    Attributes
    ----------
    path : str or None
        The scenario file; None for the built-in Paris 40 MW scenario.
    edits : tuple
        The changes made since, in order: (dotted path, value, how errors name it).
    """

    path: str | None = None
    edits: tuple[_Edit, ...] = ()

    @cached_property
    def loaded(self) -> Loaded:
        """The resolved scenario and where its values came from (:class:`~dcplanner.config.
        Loaded`), as ``dcplanner.config.load`` gives it."""
        data, source = scenario_data(self.path)
        origins = []
        for path, value, label in self.edits:
            try:
                apply_override(data, path, value)
            except ConfigError as error:
                raise ConfigError(Problem(label, p.path, p.message)
                                  for p in error.problems) from None
            origins.append((path, label))
        # What a scenario file takes from Paris without saying so, as config.load reports it.
        inherited = () if self.path is None else inherited_defaults(data)
        with blamed(source, origins):
            resolved = resolve(validate(Scenario, data))
        return Loaded(resolved, source, tuple(origins), inherited)

    @property
    def resolved(self) -> ResolvedScenario:
        return self.loaded.resolved

    @property
    def scenario(self) -> Scenario:
        """The validated scenario (frozen: change it with :meth:`with_`)."""
        return self.loaded.resolved.scenario

    @property
    def source(self) -> str:
        return self.loaded.source

    @property
    def origins(self) -> tuple[tuple[str, str], ...]:
        return self.loaded.origins

    def errors(self) -> AbstractContextManager[None]:
        """Problems raised inside name the edit or file that set their field."""
        return self.loaded.errors()

    @property
    def digest(self) -> str:
        """SHA-256 of the validated scenario's JSON (keys sorted) and the dcplanner version:
        the same inputs give the same hash, whatever file or edits they came from."""
        text = json.dumps({"scenario": self.scenario.model_dump(mode="json"),
                           "version": __version__}, sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def with_(self, *overrides: str, **values: Any) -> Plan:
        """A copy with fields changed, validated as ``dcplanner run --set`` is.

        Parameters
        ----------
        *overrides : str
            ``"dotted.path=value"``, the value read as YAML, exactly as ``--set`` reads it
            (``"deployments.0.count=300"``).
        **values
            Dotted path (``__`` may stand for the dot: ``site__grid_mw=45``, or
            ``**{"site.grid_mw": 45}``) and a Python value, set as is.

        Raises
        ------
        ConfigError
            The first invalid change, one line naming it (``with_ site.grid_mw=-1``), the
            dotted field and what is allowed; or a path that leads nowhere.
        """
        edits = list(self.edits)
        for item in overrides:
            path, value = _parsed(item)
            edits.append((path, value, f"with_ {item}"))
        for key, value in values.items():
            path = key.replace("__", ".")
            edits.append((path, value, f"with_ {path}={value!r}"))
        plan = Plan(self.path, tuple(edits))
        plan.loaded  # noqa: B018 (validates now: a bad change fails here, not in run())
        return plan

    def run(self, *, annual: bool = True) -> Run:
        """Run the scenario (every phase of a phased one, as one batch): the design point and,
        unless ``annual=False``, the year hour by hour with its economics; the hours are kept
        for :meth:`Run.hourly`.

        Raises
        ------
        ConfigError
            A weather, profile or phase problem, naming the file or the edit that caused it.
        """
        from dcplanner.engine import run as run_batch
        from dcplanner.solvers.phases import expand

        resolved = self.resolved
        with self.errors():
            if resolved.scenario.phases:
                states = expand(resolved)
                batch = [s.resolved for s in states]
                names = tuple(s.phase.name for s in states)
            else:
                batch, names = [resolved], (resolved.scenario.name,)
            keep = tuple(range(len(batch))) if annual else ()
            result = run_batch(batch, annual=annual, keep_hourly=keep)
        return Run(self, result, names, tuple(batch))


def _parsed(item: str) -> tuple[str, Any]:
    try:
        return parse_override(item)
    except ConfigError as error:
        raise ConfigError(Problem(f"with_ {item}", p.path, p.message)
                          for p in error.problems) from None


def load(path: str | Path | None = None, overrides: Sequence[Override] = ()) -> Plan:
    """A scenario file (YAML, TOML or JSON; None: the built-in Paris 40 MW scenario) as a
    :class:`Plan`, with ``overrides`` (``"dotted.path=value"``) applied as ``--set`` does.

    Raises
    ------
    ConfigError
        Every problem of the file, or the first of an override, one line each naming the file
        or override and the dotted field.
    """
    plan = Plan(None if path is None else str(path))
    items = [o if isinstance(o, str) else o[0] for o in overrides]
    return plan.with_(*items)


# -- the results ----------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class Run:
    """The results of a :class:`Plan`: :attr:`result` (the typed
    :class:`~dcplanner.engine.Result`, one scenario per phase) and its frames.

    Attributes
    ----------
    plan : Plan
        What was run.
    result : Result
        The batch's arrays; ``run["facility_peak_mw"]`` reads it as ``result[...]`` does.
    names : tuple of str
        The scenario's name, or each phase's: the index of the frames.
    scenarios : tuple of ResolvedScenario
        What each row ran.
    """

    plan: Plan
    result: Result
    names: tuple[str, ...]
    scenarios: tuple[ResolvedScenario, ...]

    def __len__(self) -> int:
        return len(self.result)

    def __repr__(self) -> str:
        what = "design point and year" if self.result.annual is not None else "design point"
        rows = ", ".join(repr(n) for n in self.names)
        return f"<Run of {self.plan!r}: {what}; rows {rows}>"

    def __getitem__(self, path: str) -> np.ndarray:
        return self.result[path]

    def records(self) -> list[dict]:
        """The JSON of ``dcplanner run`` (each phase's for a phased scenario)."""
        return self.result.records()

    def _index(self, name: str = "name") -> pd.Index:
        pd = _pandas()
        return pd.Index(list(self.names), name="phase" if self.plan.scenario.phases else name)

    def _meta(self, units: Mapping[str, str], **more: Any) -> dict[str, Any]:
        return {"dcplanner_version": __version__, "scenario_hash": self.plan.digest,
                "scenario": self.plan.scenario.name, "source": self.plan.source,
                "units": dict(units), **more}

    def to_frame(self) -> pd.DataFrame:
        """One row per scenario (per phase of a phased one), a column per output that is one
        value: its record path, units in the name (``facility_peak_mw``); ``attrs["units"]``
        and ``attrs["labels"]`` give each column's unit and label. Lists per deployment and
        per month are in :meth:`deployments` and :meth:`monthly`."""
        return self._frame(lambda path: "[]" not in path, self._index())

    def deployments(self) -> pd.DataFrame:
        """One row per deployment of each scenario (``deployments[].*`` outputs), indexed by
        scenario (or phase) and deployment number."""
        pd = _pandas()
        counts = self.result.deployments()
        return self._listed("deployments[].", counts, "deployment", pd)

    def monthly(self) -> pd.DataFrame:
        """One row per month of each scenario's year (``annual.monthly[].*`` outputs), indexed
        by scenario (or phase) and ``month_number`` (1-12; the ``month`` column names it)."""
        pd = _pandas()
        if self.result.annual is None:
            raise _argument("annual", "monthly results need the annual simulation: run with "
                            "{annual}=True")
        months = np.array([len(m) for m in self.result.annual["monthly_month"].tolist()])
        return self._listed("annual.monthly[].", months, "month_number", pd, first=1)

    def _listed(self, head: str, counts: np.ndarray, level: str, pd: Any,
                first: int = 0) -> pd.DataFrame:
        counts = np.asarray(counts, dtype=int)
        scenario = np.repeat(np.arange(counts.size), counts)
        item = np.concatenate([np.arange(n) for n in counts.tolist()] or [np.zeros(0, int)])
        index = pd.MultiIndex.from_arrays(
            [np.asarray(self.names, dtype=object)[scenario], item + first],
            names=[self._index().name, level])
        return self._frame(lambda path: path.startswith(head), index, strip=head,
                           rows=scenario, pick=lambda v: _padded(v)[scenario, item])

    def _frame(self, wanted: Any, index: pd.Index, strip: str = "", rows: Any = None,
               pick: Any = None) -> pd.DataFrame:
        from dcplanner.engine.outputs import ANNUAL_SECTIONS, OUTPUTS

        pd = _pandas()
        r = self.result
        plants = r.plants()
        rows = np.arange(len(r)) if rows is None else rows
        present = set(plants.tolist())
        columns, units, labels = {}, {}, {}
        for o in OUTPUTS:
            if not wanted(o.path) or (o.section in ANNUAL_SECTIONS and r.annual is None):
                continue
            if o.plant is not None and o.plant not in present:
                continue
            values = r[o.path] if pick is None else pick(r[o.path])
            name = o.path.removeprefix(strip)
            absent = plants[rows] != o.plant if o.plant is not None else None
            columns[name] = _typed(o.kind, values, absent, pd)
            units[name], labels[name] = o.unit, o.label
        frame = pd.DataFrame(columns, index=index)
        frame.attrs.update(self._meta(units, labels=labels))
        return frame

    def hourly(self, year: int = 2025, *, tz: str | None = None,
               phase: int | str = -1) -> pd.DataFrame:
        """The hours of the simulated year: weather, load and each power of the chain, the
        columns of ``dcplanner run --hourly-output`` (units in the names), on a time-zone-aware
        DatetimeIndex of ``year``.

        Parameters
        ----------
        year : int
            Calendar year of the index (1900-2100; default 2025); the weather year is a
            typical year, so any year may label it. A weather year without 29 February on a
            leap ``year`` skips that day; one with it needs a leap ``year``. The calendar's
            weekdays are the chosen year's: the weather year's own ``start_weekday`` (which
            sets the weekly cycle of an inference profile) may differ.
        tz : str, optional
            IANA zone to show the index in (``"UTC"``, ``"Europe/Paris"``); default
            ``Europe/Paris`` for the built-in year, else the weather's fixed offset.
        phase : int or str
            Which phase of a phased scenario (its index or name); default the last.

        Returns
        -------
        DataFrame
            One row per hour, labelled by the start of the hour; ``attrs`` hold the version,
            scenario hash, units, year, zone and weather.

        Raises
        ------
        ConfigError
            ``year`` outside 1900-2100 or without the weather's 29 February, an unknown ``tz``
            or ``phase``, or a run without the annual simulation.
        """
        from dcplanner.engine.hourly import base_year
        from dcplanner.engine.outputs import OUTPUTS, hourly_columns

        pd = _pandas()
        i = self._phase(phase)
        if i not in self.result.hourly:
            raise _argument("annual", "hourly results need the annual simulation: run with "
                            "{annual}=True")
        if isinstance(year, bool) or not isinstance(year, int | np.integer) \
                or not YEARS[0] <= year <= YEARS[1]:
            raise _argument("year", f"must be a calendar year from {YEARS[0]} to {YEARS[1]}, "
                            f"got {year!r}")
        hours = self.result.hourly[i]
        scenario = self.scenarios[i].scenario
        weather = base_year(scenario.weather)
        offset = weather.time_zone_h
        if offset is None:
            if tz is None:
                raise _argument("tz", f"the weather year {weather.name!r} gives no time zone: "
                                "name one, e.g. tz='UTC'")
            offset = 0.0  # the rows are then read as hours of ``tz``
        zone = _zone(tz if tz is not None else
                     (PARIS_TZ if scenario.weather.file is None else None), offset)
        month, day, hour = (np.asarray(hours[k]) for k in ("month", "day", "hour"))
        if np.any((month == 2) & (day == 29)) and not _leap(int(year)):
            raise _argument("year", f"{year} is not a leap year, but the weather year has 29 "
                            "February: choose a leap year")
        start = pd.to_datetime({"year": np.full(month.size, year), "month": month,
                                "day": day}) + pd.to_timedelta(hour - 1, unit="h")
        fixed = timezone(timedelta(hours=float(offset)))
        local = pd.DatetimeIndex(start).tz_localize(
            fixed if weather.time_zone_h is not None else zone)
        index = (local.tz_convert(zone) if weather.time_zone_h is not None else local)
        index.name = "time"
        spec = hourly_columns(self.result.plants()[i])
        frame = pd.DataFrame({name: np.asarray(hours[key], dtype=float) / scale
                              for name, key, scale in spec}, index=index)
        declared = {o.hourly: o.unit for o in OUTPUTS if o.hourly}
        units = {name: declared.get(name) or _hourly_unit(name) for name, _, _ in spec}
        frame.attrs.update(self._meta(units, year=int(year), tz=str(zone),
                                      weather=str(self.result.annual["weather"][i]),
                                      phase=self.names[i],
                                      time_zone_h=offset, labels_at="start of the hour"))
        return frame

    def _phase(self, phase: int | str) -> int:
        if isinstance(phase, str):
            if phase not in self.names:
                raise _argument("phase", f"no phase {phase!r}; phases: {', '.join(self.names)}")
            return self.names.index(phase)
        n = len(self.names)
        if isinstance(phase, bool) or not isinstance(phase, int | np.integer) \
                or not -n <= phase < n:
            raise _argument("phase", f"no phase {phase!r}; indices 0 to {n - 1}")
        return int(phase) % n


def _padded(values: np.ndarray) -> np.ndarray:
    """A per-item column (S, k) of lists or arrays, as a 2-D object or number array."""
    values = np.asarray(values)
    if values.ndim == 2:
        return values
    items = values.tolist()
    longest = max((len(v) for v in items), default=0)
    out = np.full((len(items), longest), None, dtype=object)
    for s, v in enumerate(items):
        for k, item in enumerate(v):
            out[s, k] = item
    return out


def _typed(kind: str, values: np.ndarray, absent: np.ndarray | None, pd: Any) -> Any:
    """A column of an output's kind; None/NaN where its plant is not the scenario's."""
    values = np.asarray(values)
    if kind == "float":
        out = values.astype(float)
        if absent is not None:
            out = np.where(absent, np.nan, out)
        return out
    if kind == "int":
        numbers = values.astype(float)
        missing = np.isnan(numbers) | (absent if absent is not None else False)
        if not missing.any():
            return numbers.astype(np.int64)
        return pd.array([None if m else int(v) for v, m in zip(numbers.tolist(),
                         missing.tolist(), strict=True)], dtype="Int64")
    if kind == "bool":
        if absent is None or not absent.any():
            return values.astype(bool)
        return pd.array([None if a else bool(v) for v, a in zip(values.tolist(),
                         absent.tolist(), strict=True)], dtype="boolean")
    items = values.tolist()
    if absent is not None:
        items = [None if a else v for v, a in zip(items, absent.tolist(), strict=True)]
    if kind == "text" and all(v is None or isinstance(v, str) for v in items):
        return pd.array(items, dtype="string")
    out = np.empty(len(items), dtype=object)  # lists stay lists, one per cell
    out[:] = items
    return out


def _hourly_unit(name: str) -> str:
    """The unit of an hourly column from its name's suffix (units are in the names)."""
    for suffix, unit in (("_mw", "MW"), ("_c", "°C"), ("_frac", "-"), ("_kw", "kW"),
                         ("_w", "W"), ("_m3_per_h", "m3/h"), ("_g_per_kwh", "gCO2e/kWh"),
                         ("_tco2e", "tCO2e"), ("_eur", "EUR")):
        if name.endswith(suffix):
            return unit
    return ""


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _zone(name: str | None, offset_h: float) -> Any:
    """The zone named, or the fixed offset ``offset_h`` [h] when none is."""
    if name is None:
        return timezone(timedelta(hours=float(offset_h)))
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _argument("tz", f"unknown time zone {name!r}; an IANA name such as "
                        "'Europe/Paris' or 'UTC'") from None


# -- studies and files ----------------------------------------------------------------------

def study_frame(path: str | Path, *, allow_large: bool = False) -> pd.DataFrame:
    """Every case of a study file as a frame, computed in this process (no output folder):
    the rows of its ``cases.csv``, typed (the varied inputs, the outputs kept, ``error``),
    indexed by case number. ``attrs`` hold the version, study hash and output units.

    Raises
    ------
    ConfigError
        The study file's problems, as ``dcplanner study`` reports them.
    """
    from dcplanner.study import load_study
    from dcplanner.study.columns import concat
    from dcplanner.study.runner import run_chunk, study_cases
    from dcplanner.study.spec import column_units

    pd = _pandas()
    job = load_study(path, allow_large=allow_large)
    spec = job.spec
    count = study_cases(job)
    chunks = [run_chunk(job, k)[1] for k in range(math.ceil(count / spec.chunk_size))]
    frame = pd.DataFrame({name: _study_column(concat([c[name] for c in chunks]), pd)
                          for name in spec.columns})
    frame = frame.set_index("case")
    frame.attrs.update({"dcplanner_version": __version__, "study_hash": job.digest,
                        "study": str(path),
                        "units": column_units(spec.outputs, list(frame.columns))})
    return frame


def _study_column(column: Any, pd: Any) -> Any:
    missing = column.missing
    if column.kind == "float":
        return np.where(missing, np.nan, column.values)
    if column.kind == "int":
        if not missing.any():
            return column.values
        return pd.array([None if m else int(v) for v, m in zip(column.values.tolist(),
                         missing.tolist(), strict=True)], dtype="Int64")
    if column.kind == "bool":
        return column.values
    out = np.empty(missing.size, dtype=object)
    out[:] = [None if m else v for v, m in zip(column.values.tolist(), missing.tolist(),
                                               strict=True)]
    return out


def to_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a frame of this module to Parquet, atomically: typed columns, its index (with
    its time zone) and key-value metadata ``dcplanner.version``, ``dcplanner.scenario_hash``
    (``dcplanner.study_hash`` for :func:`study_frame`) and ``dcplanner.units`` (JSON),
    beside pandas' own (``attrs`` come back
    with :func:`pandas.read_parquet`).

    Raises
    ------
    MissingExtraError
        pyarrow is not installed.
    """
    try:
        import pyarrow as pa
        from pyarrow import parquet
    except ImportError:
        raise MissingExtraError("Parquet needs pyarrow, which is not installed: "
                                "pip install 'dcplanner[parquet]'") from None
    from dcplanner.output.files import commit, temporary

    table = pa.Table.from_pandas(frame, preserve_index=True)
    attrs = frame.attrs
    hashes = {f"dcplanner.{key}": str(attrs[key]) for key in ("scenario_hash", "study_hash")
              if key in attrs}
    extra = {"dcplanner.version": str(attrs.get("dcplanner_version", __version__)), **hashes,
             "dcplanner.units": json.dumps(attrs.get("units", {}), ensure_ascii=False),
             # What pandas' own to_parquet writes, so that read_parquet gives ``attrs`` back
             # whatever pyarrow keeps of them.
             "PANDAS_ATTRS": json.dumps(attrs, ensure_ascii=False, default=str)}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           **{k.encode(): v.encode() for k, v in extra.items()}})
    fd, tmp, final = temporary(path)
    try:
        import os

        os.close(fd)
        parquet.write_table(table, str(tmp))
        commit(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The dcplanner key-value metadata of a Parquet file written by :func:`to_parquet`:
    ``version``, ``scenario_hash`` (or ``study_hash``) and ``units`` (a mapping)."""
    from pyarrow import parquet

    meta = parquet.read_schema(str(path)).metadata or {}
    out: dict[str, Any] = {k.decode().removeprefix("dcplanner."): v.decode()
                           for k, v in meta.items() if k.startswith(b"dcplanner.")}
    out["units"] = json.loads(out.get("units") or "{}")
    return out


__all__ = ["MissingExtraError", "Plan", "Run", "load", "read_metadata", "study_frame",
           "to_parquet"]
