"""Registers the ``radlink.qualifiers`` factory."""

from edsnlp.core import registry

from .qualifiers import ImagingQualifiers

create_component = registry.factory.register(
    "radlink.qualifiers",
    assigns=["span._.negation", "span._.hypothesis", "span._.comparison"],
)(ImagingQualifiers)
