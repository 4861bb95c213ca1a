"""radlink.nlp.cleaning: HTML residue removed, offsets mapped back to the original."""

from __future__ import annotations

import edsnlp
import pytest

from radlink.nlp.cleaning import clean_text

HTML = (
    "R&eacute;sultats :<br>- ganglion <span style=\"background-color:yellow\"><b>[NOM]</b></span> "
    "hilaire&nbsp;droit (SUVmax 7,7) de 14 mm.<br>"
)


class TestCleanText:
    def test_clean_text_without_markup_is_identity(self):
        c = clean_text("Nodule de 14 mm.")
        assert c.text == "Nodule de 14 mm." and not c.changed
        assert c.to_original(0, 6) == (0, 6)

    def test_tags_entities_and_placeholders(self):
        c = clean_text(HTML)
        assert c.text == "Résultats :\n- ganglion [NOM] hilaire droit (SUVmax 7,7) de 14 mm.\n"

    @pytest.mark.parametrize("word", ["Résultats", "hilaire droit", "SUVmax 7,7", "14 mm", "[NOM]"])
    def test_offsets_map_back_to_the_original(self, word):
        c = clean_text(HTML)
        start = c.text.index(word)
        a, b = c.to_original(start, start + len(word))
        original = HTML[a:b]
        # the original span reads the same once cleaned again
        assert clean_text(original).text == word

    def test_entity_maps_to_the_whole_entity(self):
        c = clean_text("m&eacute;diastinal")
        assert c.text == "médiastinal"
        assert c.to_original(1, 2) == (1, 9)  # "é" <- "&eacute;"
        assert c.to_original(0, len(c.text)) == (0, len("m&eacute;diastinal"))

    def test_a_line_break_tag_and_the_source_line_end_are_one_line_end(self):
        # exports write "<br>" then a newline: HTML renders one line end, not a blank line
        c = clean_text("Foie : RAS<br>\nRate : RAS<br>\n<br>\nConclusion : normal")
        assert c.text == "Foie : RAS\nRate : RAS\n\nConclusion : normal"
        start = c.text.index("Rate")
        assert c.original[slice(*c.to_original(start, start + 4))] == "Rate"
        # after an inline tag the source line end stays
        assert clean_text("<b>Foie</b>\nRAS").text == "Foie\nRAS"

    def test_unknown_entity_is_kept(self):
        assert clean_text("a &foo; b").text == "a &foo; b"


@pytest.mark.slow
def test_cleaning_pipe_retokenizes_on_the_cleaned_text():
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("radlink.cleaning")
    doc = nlp("Foyer m&eacute;diastinal<br>SUVmax 5")
    assert doc.text == "Foyer médiastinal\nSUVmax 5"
    assert doc._.cleaning.original == "Foyer m&eacute;diastinal<br>SUVmax 5"


def test_table_cells_become_cell_separators():
    from radlink.nlp.cleaning import clean_text

    cleaned = clean_text("<table><tr><td>Foie</td><td>14 mm</td></tr></table>")
    assert cleaned.text.strip() == "Foie | 14 mm |"
    # offsets still map back into the original text
    start = cleaned.text.index("14 mm")
    a, b = cleaned.to_original(start, start + 5)
    assert cleaned.original[a:b] == "14 mm"
