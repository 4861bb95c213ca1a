"""Learned or estimated scorers, shipped as small files, with their retraining commands.

``FellegiSunterScorer`` follows the scikit-learn estimator contract. The fitted
exam→patient scorer ships as ``exam_patient_fs.json`` beside this module; retrain it
with ``radlink train-linkage-model`` (see :mod:`radlink.synth.train_cli`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from radlink.models.fellegi_sunter import FellegiSunterScorer

__all__ = ["FellegiSunterScorer", "load_exam_patient_scorer", "EXAM_PATIENT_MODEL"]

EXAM_PATIENT_MODEL = Path(__file__).with_name("exam_patient_fs.json")
"""Path of the shipped exam→patient Fellegi–Sunter scorer."""


@lru_cache(maxsize=1)
def _load(path: str) -> FellegiSunterScorer:
    return FellegiSunterScorer.load(path)


def load_exam_patient_scorer(path: str | Path | None = None) -> FellegiSunterScorer:
    """The fitted exam→patient scorer (the shipped one unless ``path`` is given).

    Examples
    --------
    >>> load_exam_patient_scorer().comparison_names[:2]
    ('family', 'given')
    """
    return _load(str(path or EXAM_PATIENT_MODEL))
