"""Warehouse quality profile: per year and site, what was attached, re-attached, reported, found.

- :mod:`~radlink.profile.figures` counts (a :class:`WarehouseProfile` of DataFrames);
- :mod:`~radlink.profile.report` renders them as one offline HTML page;
- :mod:`~radlink.profile.cli` is ``radlink profile DATASET_DIR -o profile.html``.
"""

from radlink.profile.figures import WarehouseProfile, warehouse_profile
from radlink.profile.report import profile_html, write_profile_html

__all__ = ["WarehouseProfile", "warehouse_profile", "profile_html", "write_profile_html"]
