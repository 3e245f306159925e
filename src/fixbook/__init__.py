"""Fixbook: reproduced, verified bugs of the Python probabilistic and deep-learning stack."""

from fixbook.knowledge.case import Case, CaseError, FixSpec, ReproSpec, find_case_folders, load_case
from fixbook.knowledge.outcomes import Outcome
from fixbook.knowledge.vocabulary import CaseStatus
from fixbook.results.store import EnvironmentResults, ResultsError, read_results, read_results_dir

__all__ = [
    "Case",
    "CaseError",
    "CaseStatus",
    "EnvironmentResults",
    "FixSpec",
    "Outcome",
    "ReproSpec",
    "ResultsError",
    "find_case_folders",
    "load_case",
    "read_results",
    "read_results_dir",
]
