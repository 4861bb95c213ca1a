"""Batch jobs: DICOM header ingestion, synthetic warehouse data, dataset loading."""
