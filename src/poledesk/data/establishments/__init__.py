"""Establishments of the pole: schools, their formations and pupil counts, archive and restore."""

from poledesk.data.establishments.archive import (
    ArchivedEstablishmentRow,
    search_archived_establishments,
)
from poledesk.data.establishments.edits import (
    SCHOOL_YEAR_SHAPE,
    EstablishmentForm,
    FormationChoice,
    checked_establishment,
    save_establishment,
    establishment_form,
    archive_establishment,
    restore_establishment,
    establishment_form_of,
    list_formations,
    pupil_counts,
    set_pupil_counts,
)
from poledesk.data.establishments.listing import (
    OPEN_ESCALATION,
    EstablishmentRow,
    FormationLine,
    EstablishmentDetail,
    current_school_year,
    search_establishments,
    count_establishments,
    establishment_detail,
)

__all__ = [
    "ArchivedEstablishmentRow",
    "EstablishmentDetail",
    "EstablishmentForm",
    "EstablishmentRow",
    "FormationChoice",
    "FormationLine",
    "OPEN_ESCALATION",
    "SCHOOL_YEAR_SHAPE",
    "archive_establishment",
    "checked_establishment",
    "count_establishments",
    "current_school_year",
    "establishment_detail",
    "establishment_form",
    "establishment_form_of",
    "list_formations",
    "pupil_counts",
    "restore_establishment",
    "save_establishment",
    "search_archived_establishments",
    "search_establishments",
    "set_pupil_counts",
]
