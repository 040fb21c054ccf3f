"""placement_file: everything the Stages tab shows of a placement, the same as the services it replaces, read once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from poledesk.data import conventions
from poledesk.data.conventions import facts, rules, tracking
from poledesk.data.models import Placement, Pupil
from poledesk.data.placements import form as placements
from poledesk.data.placements import listing as placement_list

TODAY = date.today()


def some_placements(store, count: int = 12) -> list[int]:
    with store.session() as session:
        return [row.id for row in placement_list.list_placements(session, "")][:count]


def test_the_file_is_what_the_four_services_said(store):
    for placement_id in some_placements(store):
        with store.session() as session:
            found = conventions.placement_file(session, placement_id, TODAY)
        with store.session() as session:
            form = placements.placement_form(session, placement_id)
            context = placement_list.placement_context(session, form, placement_id=placement_id)
            state = tracking.convention_state(session, placement_id, today=TODAY)
        assert found is not None
        assert (found.form, found.context, found.convention) == (form, context, state)
        assert found.findings == state.findings


def test_a_deleted_placement_has_no_file_and_a_purged_pupils_keeps_its_findings(store):
    deleted, purged = some_placements(store, 2)
    with store.transaction() as session:
        session.get(Placement, deleted).deleted_at = session.get(Placement, deleted).updated_at
        placement = session.get(Placement, purged)
        session.get(Pupil, placement.pupil_id).purged_at = placement.updated_at
    with store.session() as session:
        assert conventions.placement_file(session, deleted, TODAY) is None
        found = conventions.placement_file(session, purged, TODAY)
        form = placements.placement_form(session, purged)
        expected = tuple(rules.check_convention(facts.convention_facts(session, form, placement_id=purged,
                                                                       today=TODAY)))
    assert found is not None and found.convention is None and found.findings == expected


def test_the_placement_and_the_records_around_it_are_read_once(store):
    placement_id = some_placements(store, 1)[0]
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        with store.session() as session:
            conventions.placement_file(session, placement_id, TODAY)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    for table in ("placement", "pupil", "partner", "establishment"):   # each looked up by its id once
        lookup = f"FROM {table} WHERE {table}.id = ?"
        by_id = [s for s in statements if s.startswith(f"SELECT {table}.") and lookup in s]
        assert len(by_id) == 1, (table, by_id)
    assert len([s for s in statements if "FROM timetable_day" in s]) == 1
