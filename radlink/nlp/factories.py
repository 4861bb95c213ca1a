"""Imports every radlink factory so that they are registered (``radlink.<pipe>``).

Installed, radlink declares them as ``spacy_factories`` entry points too, so that
``nlp.add_pipe("radlink.suvmax")`` works in any process without this import.
"""

from .cleaning.factory import create_component as cleaning  # noqa: F401
from .exam_type.factory import create_component as exam_type  # noqa: F401
from .indication.factory import create_component as indication  # noqa: F401
from .lesions.factory import create_component as lesions  # noqa: F401
from .qualifiers.factory import create_component as qualifiers  # noqa: F401
from .sections.factory import create_component as sections  # noqa: F401
from .suvmax.factory import create_component as suvmax  # noqa: F401
from .technique.factory import create_component as technique  # noqa: F401
