"""Placements (stages): the form with its weekly timetable, and the list the Stages tab shows."""

from poledesk.data.placements.form import (
    STANDARD_WEEK,
    WEEKDAYS,
    DaySlot,
    PlacementForm,
    cancel_placement,
    placement_form,
    save_placement,
    timetable_problems,
    tutors_of,
)
from poledesk.data.placements.listing import (
    PlacementContext,
    PlacementRow,
    count_placements,
    list_placements,
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
