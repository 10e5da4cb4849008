"""Config-driven batch studies: grids, paired lists and samples of scenarios, in chunks."""

from dcplanner.study.runner import StudyError, StudyJob, load_study, run_study

__all__ = ["StudyError", "StudyJob", "load_study", "run_study"]
