"""Engine outputs declared once: records, columns, names, facility parts, hourly columns."""

import numpy as np
import pytest

from dcplanner.config import load_resolved
from dcplanner.engine import OUTPUTS, output_names, run
from dcplanner.engine.outputs import facility_parts, find, hourly_columns
from dcplanner.output import flat_row
from tests.conftest import CONFIGS


@pytest.fixture(scope="module")
def batch():
    """The Paris site, the H100 SuperPOD and the Paris site on cooling towers, hours kept."""
    resolved = [load_resolved(), load_resolved(CONFIGS / "h100-superpod.yaml"),
                load_resolved(CONFIGS / "paris-40mw-cooling-tower.yaml")]
    return run(resolved, keep_hourly=(0, 2))


def test_every_output_gives_a_column_per_scenario(batch):
    for o in OUTPUTS:
        column = batch[o.path]
        assert len(column) == 3, o.path
        if "[]" in o.path:
            assert np.ndim(column) == 2 or column.dtype == object, o.path


def test_names_without_a_run_are_the_record_leaves(batch):
    record = batch.records()[0]
    json_leaves = {o.path for o in OUTPUTS if o.kind == "json"}
    leaves = {k for k in flat_row(record) if not any(k.startswith(j) for j in json_leaves)}
    names = set(output_names(annual=True, deployments=1))
    assert leaves == names - json_leaves


def test_a_run_without_the_year_has_no_annual_sections():
    r = run([load_resolved()], annual=False)
    record = r.records()[0]
    assert "annual" not in record and "economics" not in record and "carbon" not in record
    names = output_names(annual=False)
    assert not any(n.startswith(("annual.", "economics.", "carbon.")) for n in names)


def test_columns_are_in_record_units(batch):
    record = batch.records()[0]
    # The engine's arrays are in W; a column and a record are in the declared MW.
    assert batch["facility_peak_mw"][0] == batch.design["design_facility_w"][0] / 1e6
    assert batch["annual.facility_peak_mw"][0] == batch.annual["facility_peak_w"][0] / 1e6
    assert batch["facility_peak_mw"][0] == record["facility_peak_mw"]
    assert batch["deployments.0.gpus"][0] == record["deployments"][0]["gpus"] == 18000
    assert batch["annual.monthly.6.pue"][0] == record["annual"]["monthly"][6]["pue"]
    assert find("annual.monthly.6.pue")[1] == 6
    with pytest.raises(KeyError):
        find("annual.nothing")


@pytest.mark.parametrize("basis", ["design", "operating"])
def test_facility_parts_add_up_to_facility_power(batch, basis):
    for i, plant in enumerate(batch.plants()):
        parts = [o.path.replace("design.", f"{basis}.", 1) for o in facility_parts(plant)]
        total = sum(batch[p][i] for p in parts)
        assert total == pytest.approx(batch[f"{basis}.facility_mw"][i], rel=1e-12)


@pytest.mark.parametrize(("index", "plant"), [(0, "dry_cooler"), (2, "cooling_tower")])
def test_hourly_columns_are_keys_of_the_hourly_chain(batch, index, plant):
    hourly = batch.hourly[index]
    for name, key, _ in hourly_columns(plant):
        assert hourly[key].shape == (8760,), name
        assert np.isfinite(hourly[key]).all(), name


def test_nullable_outputs_are_none_where_unset(batch):
    record = batch.records()[0]
    assert record["constraints"]["racks"]["limit"] is None
    assert record["constraints"]["racks"]["status"] == "not set"
    assert record["annual"]["heat_rejection"]["exceeded_hours"] is None
    h100 = batch.records()[1]
    assert h100["compute"]["peak_pflops"]["fp4"] is None  # no deployed chip supports it
