"""Registers the ``radlink.technique`` factory."""

from edsnlp.core import registry

from .technique import TechniqueExtractor

create_component = registry.factory.register(
    "radlink.technique",
    assigns=["doc._.dose_mbq", "doc._.glycemia", "doc._.injection_delay_min", "doc.spans"],
)(TechniqueExtractor)
