"""spaCy/edsnlp pipes for French imaging reports."""
