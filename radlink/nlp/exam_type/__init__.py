"""``radlink.exam_type``: modality (DICOM code) and tracer of an imaging report."""

from .exam_type import ExamTypeDetector, detect_modality, detect_tracer, exam_type

__all__ = ["ExamTypeDetector", "detect_modality", "detect_tracer", "exam_type"]
