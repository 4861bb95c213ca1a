"""Registers the ``radlink.sections`` factory."""

from edsnlp.core import registry

from .sections import ImagingSections

create_component = registry.factory.register(
    "radlink.sections",
    assigns=["doc.spans"],
)(ImagingSections)
