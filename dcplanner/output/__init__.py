"""Rendering results as tables, JSON and CSV, and writing files atomically."""

from dcplanner.output.commands import (
    accounting_table,
    fit_table,
    optimum_table,
    requirements_table,
    study_table,
    training_table,
    weather_table,
)
from dcplanner.output.files import FORMATS, csv_text, flat_row, hourly_csv, write_atomic
from dcplanner.output.scenario import render, render_timeline
from dcplanner.output.text import eur, grid, pairs, sig

__all__ = [
    "FORMATS", "accounting_table", "csv_text", "eur", "fit_table", "flat_row", "grid", "hourly_csv",
    "optimum_table", "pairs", "render", "render_timeline", "requirements_table", "sig",
    "study_table", "training_table", "weather_table", "write_atomic",
]
