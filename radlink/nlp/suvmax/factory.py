"""Registers the ``radlink.suvmax`` factory."""

from edsnlp.core import registry

from .suvmax import SuvmaxMatcher

create_component = registry.factory.register(
    "radlink.suvmax",
    assigns=["doc.spans"],
)(SuvmaxMatcher)
