"""Cohort image extraction from a PACS: find, retrieve, pseudonymise the DICOM, register.

Modules, one job each:

- :mod:`~radlink.pacs.config`: the PACS description file (``[dimse]``, ``[dicomweb]``);
- :mod:`~radlink.pacs.query`: a study-level query and the columns of ``studies.parquet``;
- :mod:`~radlink.pacs.request`: the cohort as queries (a timeline and ``count``'s
  criteria, a list of patients or of accessions), opposed patients left out;
- :mod:`~radlink.pacs.dimse` and :mod:`~radlink.pacs.dicomweb`: the two protocols
  (pynetdicom C-FIND/C-GET/C-MOVE; dicomweb-client QIDO-RS/WADO-RS), with retries;
- :mod:`~radlink.pacs.find`: run the queries, split capped date ranges, match exams;
- :mod:`~radlink.pacs.retrieve`: resumable retrieval into a folder;
- :mod:`~radlink.pacs.profile` and :mod:`~radlink.pacs.deidentify_dicom`: PS3.15
  Annex E pseudonymisation with the tables' pseudonyms, date offsets and text scrubber;
- :mod:`~radlink.pacs.register`: the extraction register (the timeline job's registry);
- :mod:`~radlink.pacs.cli`: ``radlink pacs find`` and ``radlink pacs retrieve``.

pynetdicom and dicomweb-client are optional (``pip install 'radlink[pacs]'``) and are
imported only when a client is made. This room sits above :mod:`radlink.timeline`
(it reuses its cohort criteria, manifest and registry).
"""
