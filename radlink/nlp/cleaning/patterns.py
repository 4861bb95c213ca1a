"""Patterns of the ``radlink.cleaning`` pipe (data only).

Sources: HTML residue seen in hospital report exports (rich-text editors leave
``<span style=...>``, ``<b>``, ``<br>`` and entities such as ``&eacute;``), and the
placeholders written by pseudonymisation tools (``[NOM]``, ``[DATE]``, ...).
"""

from __future__ import annotations

# Tags that end a line in the rendered report: replaced by a line break so that
# section titles and bullets stay on their own line.
BLOCK_TAGS = r"br|p|div|li|ul|ol|tr|table|h[1-6]"

# The source line end right after a tag: HTML renders it as a space, so after a tag
# that ends a line ("<br>\n", the way report exports write each line) it is the same
# line end, not a blank line (rows of a pipe table or items of a list stay adjacent).
TAG_LINE_END = r"[ \t]*\r?\n"

# Table cells: a closing cell tag becomes a cell separator (" | "), so that an HTML
# table reads as the pipe table it renders ("<tr><td>Foie</td><td>14 mm</td></tr>").
CELL_TAGS = r"td|th"

# Any HTML/XML tag, opening or closing, with attributes; HTML comments.
TAG = r"<!--.*?-->|</?(?P<tag>[a-zA-Z][a-zA-Z0-9]*)\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*/?>"

# Named (&eacute;), decimal (&#233;) and hexadecimal (&#xE9;) character references.
ENTITY = r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"

# Pseudonymisation placeholders: an upper-case word in brackets, [NOM], [DATE],
# [PRENOM], [IPP], [ADRESSE], [VILLE], [TEL], [NDA], possibly with digits or "_".
PLACEHOLDER = r"\[(?:[A-ZÉÈ][A-ZÉÈ_]{1,24}[0-9]*)\]"

# What a placeholder is replaced with; ``None`` keeps it as it is (a bracketed word
# already keeps word boundaries, and indication or conclusion texts quote it). Only
# the HTML around it is removed.
PLACEHOLDER_REPLACEMENT: str | None = None

# Characters replaced one for one (no offset change).
CHAR_MAP = {
    "\xa0": " ",  # non-breaking space
    "\u202f": " ",  # narrow non-breaking space
    "\t": " ",
    "\r": "\n",
    "\u2019": "'",  # typographic apostrophe
    "\u2018": "'",
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2212": "-",  # minus sign
    "\u00ad": " ",  # soft hyphen
}

# Page furniture of reports extracted from PDF: a line that numbers its page ("Page 1/2",
# "Centre d'imagerie X - Page 1 sur 2", "- 2 -" under a page word elsewhere). It and the
# lines repeated on every page around it (the letterhead, the patient banner, blank
# lines) are removed, so that a section or a table cut by a page break reads as one.
PAGE_NUMBER_LINE = (
    r"^[^\n]{0,120}?\bpages?[ \t]*:?[ \t]*\d{1,3}[ \t]*(?:/|sur|de)[ \t]*\d{1,3}\b[^\n]{0,80}$"
    r"|^[ \t]*pages?[ \t]*:?[ \t]*\d{1,3}[ \t]*$"
)
# A repeated line shorter than this is not taken as a page header ("RAS", "Conclusion").
PAGE_HEADER_MIN_CHARS = 8

# Reports typed in capitals without accents by legacy RIS (night emergency exports):
# a text whose letters are at least this share of capitals is read as one.
CAPITALS_SHARE = 0.8

# In such a text the apostrophe of an elided article is often a space ("PAS D EPANCHEMENT",
# "N ATTEIGNANT PAS", "L ARTERE"): a one-letter article before a word that starts with a
# vowel or an h. Not a side ("REIN D ET G", "HANCHE D A ..."): the word after it is then
# a conjunction or a preposition, and stays as written.
ELIDED_ARTICLE = (
    r"(?<![\w'])(?:[DLNJSC]|QU|JUSQU|LORSQU|PUISQU)(?P<space> )"
    r"(?=(?!(?:ET|OU|A|AU|AUX|EN|ES|EST|ETAIT|IL|ELLE)(?![\w']))[AEIOUYHÀÂÄÉÈÊËÎÏÔÖÙÛÜ][\w])"
)

# Such exports also wrap their lines at a fixed width, in the middle of a sentence
# ("FRACTURES DES 8E, 9E ET 10E COTES GAUCHES, ARC POSTERIEUR, NON" then "DEPLACEES."): a
# line as long as this share of the report's longest line (itself at least
# WRAP_MIN_WIDTH characters) that ends without a sentence stop goes on with the next one,
# unless that one opens a list item, a heading ("DATE :") or a placeholder ("[DATE]").
WRAP_SHARE = 0.75
WRAP_MIN_WIDTH = 50
WRAP_END = r"[.:;!?][ \t]*$"
WRAP_NOT_NEXT = r"[ \t]*(?:$|[-–•*·>\[]|\d{1,2}[).][ \t]|[^\W\d][\w' /()-]{0,30}?[ \t]*:(?!\d))"
