"""Registers the ``radlink.cleaning`` factory."""

from edsnlp.core import registry

from .cleaning import TextCleaner

create_component = registry.factory.register(
    "radlink.cleaning",
    assigns=["doc._.cleaning"],
)(TextCleaner)
