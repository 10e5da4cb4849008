"""EPW reading on small generated files, including missing values, leap years and bad files."""

import numpy as np
import pytest

from dcplanner.errors import ConfigError
from dcplanner.models.climate import dew_point_from_rh_c, standard_pressure_pa
from dcplanner.weather import read_epw
from dcplanner.weather.epw import MAX_FILE_BYTES
from tests.conftest import EPW_HEADER as HEADER
from tests.conftest import epw_rows, write_epw


def test_reads_a_year(tmp_path):
    w = read_epw(write_epw(tmp_path, epw_rows()))
    assert w.dry_bulb_c.shape == (8760,) and w.filled_values == 0
    assert w.name == "w.epw (Test Site,,FRA)"
    assert w.start_weekday == 0  # no DATA PERIODS line: Monday
    assert (w.month[0], w.day[0], w.hour[0]) == (1, 1, 1)
    assert w.hour[-1] == 24 and w.month[-1] == 12
    np.testing.assert_allclose(w.dew_point_c, 5.0)
    # LOCATION: time zone +1.0 h, elevation 78.0 m; every row's station pressure 101,325 Pa.
    assert (w.time_zone_h, w.altitude_m) == (1.0, 78.0)
    np.testing.assert_array_equal(w.station_pressure_pa, 101325.0)


def test_leap_year_has_8784_hours(tmp_path):
    assert read_epw(write_epw(tmp_path, epw_rows(2020, leap=True))).dry_bulb_c.size == 8784


def test_missing_values_are_interpolated_or_derived_from_rh(tmp_path):
    rows = epw_rows(dry=lambda i: 99.9 if i in (10, 11) else float(i % 24),
                    dew=lambda i: 99.9 if i == 100 else 5.0)
    w = read_epw(write_epw(tmp_path, rows))
    assert w.dry_bulb_c[10] == pytest.approx(10.0) and w.dry_bulb_c[11] == pytest.approx(11.0)
    # Dew point 99.9 at hour 100 with RH 70 % at 4 °C: derived from RH by Magnus.
    assert w.dew_point_c[100] == pytest.approx(dew_point_from_rh_c(4.0, 70.0))
    assert w.filled_values == 3


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda rows: rows[:-1], "expected 8,760 or 8,784 hourly rows after the 8 header lines, "
                                 "found 8,759"),
        (lambda rows: [*rows[:5], "2021,1,1,6", *rows[6:]], "line 14: 4 fields, at least 10"),
        (lambda rows: [*rows[:7], rows[7].replace(",60,", ",sixty,"), *rows[8:]],
         "line 16: a date or weather field is not a number"),
        (lambda rows: [*rows[:2], "2021,1,1,25" + rows[2][len("2021,1,1,3"):], *rows[3:]],
         "line 11: month 1, day 1, hour 25 where the year's row 3 is month 1, day 1, hour 3"),
        # 30 February, a missing day (2 March after 28 February) and a fractional hour
        (lambda rows: [*rows[:1416], "2021,2,30" + rows[1416][len("2021,3,1"):], *rows[1417:]],
         "line 1425: month 2, day 30, hour 1 where the year's row 1,417 is month 3, day 1"),
        (lambda rows: [*rows[:1416],
                       *(r.replace("2021,3,1,", "2021,3,2,") for r in rows[1416:1440]),
                       *rows[1440:]], "line 1425: month 3, day 2, hour 1 where"),
        (lambda rows: [*rows[:3], "2021,1,1,4.5" + rows[3][len("2021,1,1,4"):], *rows[4:]],
         "line 12: month 1, day 1, hour 4.5 where"),
        # weather values: non-finite, and beyond the EPW dictionary's ranges
        (lambda rows: [*rows[:4], rows[4].replace(",60,?9?9,", ",60,?9?9,nan,", 1), *rows[5:]],
         "line 13: a date or weather field is not a finite number"),
        (lambda rows: [*rows[:4], rows[4].replace(",60,?9?9,", ",60,?9?9,-300,", 1), *rows[5:]],
         "line 13: dry_bulb_c -300 out of range; allowed -70 to 70, or 99.9 for missing"),
        (lambda rows: [*rows[:9], rows[9].replace(",70,101325", ",150,101325"), *rows[10:]],
         "line 18: relative_humidity_pct 150 out of range; allowed 0 to 110"),
        (lambda rows: [*rows[:9], rows[9].replace(",70,101325", ",70,30000"), *rows[10:]],
         "line 18: station_pressure_pa 30000 out of range; allowed 31000 to 120000, or 999999 "
         "for missing"),
    ],
)
def test_malformed_files_name_the_line(tmp_path, mutate, message):
    path = write_epw(tmp_path, mutate(epw_rows()))
    with pytest.raises(ConfigError) as info:
        read_epw(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_a_leap_year_runs_through_29_february(tmp_path):
    w = read_epw(write_epw(tmp_path, epw_rows(2020, leap=True)))
    assert w.hours == 8784 and (w.day[w.month == 2].max()) == 29


def test_a_weather_file_too_large_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.epw"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ConfigError, match=r"big\.epw: weather file of 16\.0 MiB; at most 16 MiB"):
        read_epw(path)


def test_not_an_epw_file(tmp_path):
    path = tmp_path / "x.epw"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 1: not an EPW file"):
        read_epw(path)


def test_start_weekday_from_data_periods(tmp_path):
    header = [*HEADER[:7], "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31"]
    path = tmp_path / "w.epw"
    path.write_text("\n".join(header + epw_rows()) + "\n", encoding="utf-8")
    w = read_epw(path)
    assert w.start_weekday == 6
    assert w.weekday[0] == 6 and w.weekday[24] == 0


def test_months_out_of_order_are_rejected_with_the_line(tmp_path):
    rows = epw_rows()
    rows[744], rows[0] = rows[0], rows[744]  # a February row first
    with pytest.raises(ConfigError, match=r"line 9: month 2, day 1, hour 1 where the year's "
                       r"row 1 is month 1, day 1, hour 1"):
        read_epw(write_epw(tmp_path, rows))


def _with_pressure(rows, pressure):
    """``rows`` with the station pressure of row i set to ``pressure(i)``."""
    return [r.replace(",101325,", f",{pressure(i)},", 1) for i, r in enumerate(rows)]


def test_missing_station_pressure_is_interpolated(tmp_path):
    rows = _with_pressure(epw_rows(), lambda i: 999999 if i == 5 else 100000 + 100 * (i % 7))
    w = read_epw(write_epw(tmp_path, rows))
    assert w.station_pressure_pa[4] == 100400 and w.station_pressure_pa[6] == 100600
    assert w.station_pressure_pa[5] == pytest.approx(100500.0)
    assert w.filled_values == 1


def test_a_file_without_station_pressure_takes_the_standard_atmosphere_at_its_elevation(
        tmp_path):
    w = read_epw(write_epw(tmp_path, _with_pressure(epw_rows(), lambda i: 999999)))
    # ASHRAE 2017 ch. 1 eq 3 at 78 m: 100,391 Pa.
    np.testing.assert_allclose(w.station_pressure_pa, standard_pressure_pa(78.0))
    assert w.station_pressure_pa[0] == pytest.approx(100391.5, abs=0.5)
    assert "no station pressure: standard atmosphere at the 78 m elevation" in w.notes


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("LOCATION,Test Site,,FRA,synthetic,000000,48.6,2.3,15.0,78.0",
         "line 1: LOCATION time_zone_h 15 out of range; allowed -12 to 14"),
        ("LOCATION,Test Site,,FRA,synthetic,000000,48.6,2.3,1.0,-1200",
         "line 1: LOCATION altitude_m -1200 out of range; allowed -1000 to 9999.9"),
        ("LOCATION,Test Site,,FRA,synthetic,000000,48.6,2.3,1.0,high",
         "line 1: LOCATION altitude_m (item 10 of the line) is missing or not a number"),
        ("LOCATION,Test Site,,FRA,synthetic,000000,48.6,2.3",
         "line 1: LOCATION time_zone_h (item 9 of the line) is missing or not a number"),
    ],
)
def test_location_time_zone_and_elevation_are_checked(tmp_path, location, message):
    path = tmp_path / "w.epw"
    path.write_text("\n".join([location, *HEADER[1:], *epw_rows()]) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_epw(path)
    assert message in str(info.value)
