"""Learned or estimated scorers, shipped as small files."""
