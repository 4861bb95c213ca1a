"""Learned or estimated scorers, shipped as small files, with their retraining commands.

``FellegiSunterScorer`` follows the scikit-learn estimator contract. ``HashedLinearScorer`` is a logistic scorer over hashed string features; the
lesion verifier ships as ``lesion_verifier.json`` (retrain with ``radlink
train-lesion-verifier``, :mod:`radlink.nlp.verifier_training`). The fitted
exam→patient scorer ships as ``exam_patient_fs.json`` beside this module; retrain it
with ``radlink train-linkage-model`` (see :mod:`radlink.synth.train_cli`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from radlink.models.fellegi_sunter import FellegiSunterScorer
from radlink.models.hashed_linear import HashedLinearScorer

__all__ = [
    "FellegiSunterScorer",
    "HashedLinearScorer",
    "load_exam_patient_scorer",
    "load_lesion_verifier",
    "EXAM_PATIENT_MODEL",
    "LESION_VERIFIER_MODEL",
]

EXAM_PATIENT_MODEL = Path(__file__).with_name("exam_patient_fs.json")
"""Path of the shipped exam→patient Fellegi–Sunter scorer."""

LESION_VERIFIER_MODEL = Path(__file__).with_name("lesion_verifier.json")
"""Path of the shipped lesion verifier (:mod:`radlink.nlp.verifier`)."""


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


@lru_cache(maxsize=4)
def _load_verifier(path: str) -> HashedLinearScorer:
    return HashedLinearScorer.load(path)


def load_lesion_verifier(path: str | Path | None = None) -> HashedLinearScorer:
    """The lesion verifier (the shipped one unless ``path`` is given), loaded once.

    Examples
    --------
    >>> load_lesion_verifier().name
    'lesion_verifier'
    """
    return _load_verifier(str(path or LESION_VERIFIER_MODEL))
