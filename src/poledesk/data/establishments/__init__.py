"""Establishments of the pole: schools, their formations and pupil counts, archive and restore."""

from poledesk.data.establishments.archive import (
    ArchivedEstablishmentRow,
    search_archived_establishments,
)
from poledesk.data.establishments.edits import (
    SCHOOL_YEAR_SHAPE,
    EstablishmentForm,
    FormationChoice,
    archive_establishment,
    checked_establishment,
    establishment_form,
    establishment_form_of,
    list_formations,
    pupil_counts,
    restore_establishment,
    save_establishment,
    set_pupil_counts,
)
from poledesk.data.establishments.listing import (
    OPEN_ESCALATION,
    EstablishmentDetail,
    EstablishmentRow,
    FormationLine,
    count_establishments,
    current_school_year,
    establishment_detail,
    search_establishments,
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
