"""Hourly weather years: the built-in Paris-area year, EPW files, and heatwave stress."""

from dcplanner.weather.epw import read_epw
from dcplanner.weather.synthetic import builtin_year
from dcplanner.weather.year import WeatherYear

__all__ = ["WeatherYear", "builtin_year", "read_epw"]
