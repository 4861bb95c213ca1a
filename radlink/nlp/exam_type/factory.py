"""Registers the ``radlink.exam_type`` factory."""

from edsnlp.core import registry

from .exam_type import ExamTypeDetector

create_component = registry.factory.register(
    "radlink.exam_type",
    assigns=["doc._.modality", "doc._.tracer"],
)(ExamTypeDetector)
