# %% [markdown]
# # The Paris questions, from Python
#
# Eleven cells on the 40 MW Paris-area site (Bruyères-le-Châtel, 250 GB200 NVL72 racks), with
# the `dcplanner` API and pandas. A plain script in the percent format: run it with
# `python examples/paris.py` from the repository root, or open it as a notebook in Jupyter
# (jupytext) or VS Code. The tests run it (tests/test_examples.py). Needs
# `pip install 'dcplanner[pandas,parquet]'`.

# %% 1. The scenario: the built-in Paris 40 MW site
import tempfile
from pathlib import Path

import pandas as pd

import dcplanner
from dcplanner.solvers.fit import fit
from dcplanner.solvers.provision import policy

paris = dcplanner.load()  # or dcplanner.load("configs/paris-40mw.yaml")
print(paris.scenario.name, "|", paris.scenario.site.grid_mw, "MW grid |",
      paris.scenario.deployments[0].count, "x", paris.scenario.deployments[0].system)

# %% 2. Do 18,000 GB200 fit in 40 MW at the 42 °C design hour?
run = paris.run()
row = run.to_frame().iloc[0]
print(f"feasible: {row['feasible']}; facility peak {row['facility_peak_mw']:.1f} MW "
      f"against {row['grid_mw']:g} MW ({row['grid_headroom_mw']:+.1f} MW), "
      f"binding: {row['binding_constraint']}")

# %% 3. The facility peak under each provisioning basis
provisioning = run.to_frame().filter(like="provisioning.").T
provisioning.columns = ["MW"]
print(provisioning.round(1))

# %% 4. What grid connection would the design hour need? (validated as --set)
for grid_mw in (42, 44, 46):
    bigger = paris.with_(**{"site.grid_mw": grid_mw})
    print(grid_mw, "MW:", bool(bigger.run().to_frame()["feasible"].iloc[0]))

# %% 5. The year, hour by hour, on the Paris clock
hours = run.hourly(year=2025)  # Europe/Paris; the rows are hours of standard time (UTC+1)
peak = hours["facility_mw"].idxmax()
print(f"facility peak hour starts {peak:%d %b %H:%M %Z}: "
      f"{hours.loc[peak, 'facility_mw']:.1f} MW at {hours.loc[peak, 'dry_bulb_c']:.1f} °C")

# %% 6. How often does the year come near the grid limit?
near = hours["facility_mw"] > 0.85 * paris.scenario.site.grid_mw
print(f"{int(near.sum())} hours above 85 % of the grid connection; "
      f"mean {hours['facility_mw'].mean():.1f} MW")

# %% 7. Month by month: PUE and water
monthly = run.monthly().droplevel(0)
print(monthly[["month", "pue", "water_m3"]].round(3).to_string(index=False))

# %% 8. Per deployment: GPUs, racks and rack power
print(run.deployments()[["system", "gpus", "racks", "rack_design_kw"]].to_string())

# %% 9. Energy, cost and carbon of the year
frame = run.to_frame()
units = frame.attrs["units"]
for column in ("annual.pue", "annual.facility_mwh", "economics.cost_per_gpu_hour_eur",
               "carbon.total_tco2e"):
    print(f"{column}: {frame[column].iloc[0]:,.3f} {units[column]}")

# %% 10. Chip x cooling x redundancy as a frame, and the hours to Parquet with their units
cases = dcplanner.study_frame("configs/studies/paris-chip-cooling-redundancy.yaml")
print(cases.groupby("deployments.0.system")["fit.gpus"].max())
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "paris-hours.parquet"
    dcplanner.to_parquet(hours, path)
    back = pd.read_parquet(path)
    print(dcplanner.read_metadata(path)["units"]["facility_mw"], back.index.tz,
          back.equals(hours))

# %% 11. How many GB200 does the 40 MW connection host under a p99.9 or 0.5 % budget?
site = paris.resolved
for name in ("design", "percentile", "curtailment"):
    f = fit(site, "gb200-nvl72", policy=policy(site, name))
    over = f.judged.get("hours_over", 0.0)
    print(f"{name}: {f.gpus:,} GPUs ({f.count} racks), {over:g} h a year over the connection")
