"""Registers the ``radlink.lesions`` factory."""

from edsnlp.core import registry

from .lesions import LesionMatcher

create_component = registry.factory.register(
    "radlink.lesions",
    assigns=["doc.spans"],
    requires=["doc.spans"],
)(LesionMatcher)
