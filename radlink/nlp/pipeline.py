"""The default radlink pipeline for French imaging reports."""

from __future__ import annotations

__all__ = ["PIPES", "pipeline"]

PIPES: tuple[str, ...] = (
    "radlink.cleaning",
    "radlink.sections",
    "radlink.exam_type",
    "radlink.indication",
    "radlink.technique",
    "radlink.suvmax",
    "radlink.lesions",
)
"""Factories of the default pipeline, in order."""


def pipeline(pipes: tuple[str, ...] = PIPES):
    """A blank ``eds`` pipeline with the radlink pipes.

    No model is downloaded and torch is not needed: every pipe is rule-based.

    Parameters
    ----------
    pipes : tuple of str
        Factory names to add, in order (default: :data:`PIPES`).

    Returns
    -------
    edsnlp.Pipeline

    Examples
    --------
    >>> from radlink.nlp import pipeline
    >>> nlp = pipeline()
    >>> doc = nlp("TEP-TDM au FDG. Résultats : ganglion hilaire droit (SUVmax 5,3) de 11 mm.")
    >>> doc._.modality, [(f._.site, f._.suvmax, f._.size_mm) for f in doc.spans["findings"]]
    ('PT', [('ln_hilar', 5.3, 11.0)])
    """
    import edsnlp

    # the factories register on import (entry points do it too once installed)
    from . import factories  # noqa: F401

    nlp = edsnlp.blank("eds")
    for name in pipes:
        nlp.add_pipe(name)
    return nlp
