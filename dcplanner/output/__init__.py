"""Rendering results as tables, JSON and CSV, and writing files atomically."""

from dcplanner.output.commands import (
    accounting_table,
    catalog_table,
    entry_table,
    fit_table,
    optimum_table,
    requirements_table,
    study_table,
    training_table,
    weather_table,
)
from dcplanner.output.files import csv_text, flat_row, hourly_csv, write_atomic
from dcplanner.output.scenario import scenario_view, timeline_view
from dcplanner.output.text import eur, grid, pairs, sig
from dcplanner.output.view import FORMATS, View, render

__all__ = [
    "FORMATS", "View", "accounting_table", "catalog_table", "csv_text", "entry_table", "eur",
    "fit_table", "flat_row", "grid", "hourly_csv", "optimum_table", "pairs", "render",
    "requirements_table", "scenario_view", "sig", "study_table", "timeline_view",
    "training_table", "weather_table", "write_atomic",
]
