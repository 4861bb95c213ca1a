"""Reconciliation of exams, patients, reports and stays."""
