"""Registers the ``radlink.indication`` factory."""

from edsnlp.core import registry

from .indication import IndicationExtractor

create_component = registry.factory.register(
    "radlink.indication",
    assigns=["doc._.indication", "doc._.indication_category", "doc.spans"],
)(IndicationExtractor)
