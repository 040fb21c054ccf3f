"""Placements (stages): the form with its weekly timetable, and the list the Stages tab shows."""

from poledesk.data.placements.form import (
    WEEKDAYS,
    DaySlot,
    STANDARD_WEEK,
    PlacementForm,
    timetable_problems,
    save_placement,
    placement_form,
    cancel_placement,
    tutors_of,
)
from poledesk.data.placements.listing import (
    PlacementRow,
    PlacementContext,
    list_placements,
    count_placements,
    placement_context,
)

__all__ = [
    "DaySlot",
    "PlacementContext",
    "PlacementForm",
    "PlacementRow",
    "STANDARD_WEEK",
    "WEEKDAYS",
    "cancel_placement",
    "count_placements",
    "list_placements",
    "placement_context",
    "placement_form",
    "save_placement",
    "timetable_problems",
    "tutors_of",
]
