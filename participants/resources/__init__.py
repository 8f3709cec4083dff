"""Excel imports (``imports``) and .xlsx exports (``exports``) of participants.

``mentorship.apps`` autodiscovers this package: importing it registers the kinds of import and
the exports. The old names stay importable from here.
"""

from .answers import AnswersImport
from .exports import MenteesExport, MentorsExport, PairsExport, PeopleExport, ProgrammesExport
from .imports import (
    BaseEntryImport,
    BaseEntryResource,
    ConsentImport,
    ConsentResource,
    PairImport,
    PairResource,
    PersonImport,
    PersonResource,
)

__all__ = [
    "AnswersImport",
    "BaseEntryImport",
    "BaseEntryResource",
    "ConsentImport",
    "ConsentResource",
    "MenteesExport",
    "MentorsExport",
    "PairImport",
    "PairResource",
    "PairsExport",
    "PeopleExport",
    "PersonImport",
    "PersonResource",
    "ProgrammesExport",
]
