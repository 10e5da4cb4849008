"""The HTML report: a scenario (its design point, year, phases) or a finished study.

One self-contained file: the figures are inline SVG (text as paths, rasters embedded), with no
script and no link to fetch, so it can be mailed or archived next to the config that made it.
"""


from dcplanner.report.page import file_hash
from dcplanner.report.scenario import scenario_report
from dcplanner.report.study import study_report

__all__ = ["file_hash", "scenario_report", "study_report"]
