"""Standard formats out: OMOP CDM 5.4 with the imaging extension, and files for annotators.

- :func:`radlink.export.omop.to_omop`: a timeline as OMOP CDM 5.4 tables (``person``,
  ``visit_occurrence``, ``procedure_occurrence``, ``note``, ``note_nlp``,
  ``measurement``) and MI-CDM ``image_occurrence``/``image_feature``; the schema they
  follow is :mod:`radlink.export.schema` (a file written from the specifications).
- ``radlink export --format brat|labelstudio`` writes the findings over the report
  texts with :mod:`radlink.nlp.annotation`, which also reads them back as gold.
"""
