"""A side said once for several findings: a heading's side carried to the findings under
it that name none (issue 12)."""

from __future__ import annotations

from .conftest import finding_rows


def _rows(extractor, text, **kw):
    return finding_rows(extractor, text, ["site", "laterality", "negated"], **kw)


def test_a_heading_side_reaches_the_labels_under_it(extractor):
    text = (
        "Jambe droite :\n"
        "- Veine tibiale antérieure : thrombus occlusif.\n"
        "- Veine saphène interne : thrombose partielle.\n"
        "\n"
        "Jambe gauche :\n"
        "- Veine poplitée : pas de thrombose.\n"
    )
    assert _rows(extractor, text) == [
        ("vessel", "right", False), ("vessel", "right", False), ("vessel", "left", True),
    ]


def test_the_finding_own_side_wins_over_the_heading(extractor):
    text = "Genou droit :\n- Fracture du plateau tibial.\n- Fissure de la rotule gauche.\n"
    rows = _rows(extractor, text)
    assert [r[1] for r in rows] == ["right", "left"]


def test_a_heading_side_ends_at_the_blank_line(extractor):
    text = "Hanche gauche :\n- Fracture du col fémoral.\n\nFracture de l'humérus.\n"
    assert [r[1] for r in _rows(extractor, text)] == ["left", None]


def test_a_midline_site_takes_no_heading_side(extractor):
    text = "Côté droit :\n- Masse pancréatique de 20 mm.\n"
    assert [r[1] for r in _rows(extractor, text)] == [None]
