"""A merge writes partners and contacts with the search index's triggers paused and indexes the partners it
touched once at its end: the index must then hold exactly what the triggers would have written, and the partner
search find a merged partner by the start of its name or of a contact's."""

from __future__ import annotations

from sqlalchemy import select, text

from poledesk.data.models import Contact, Partner
from poledesk.data.partners import fulltext
from poledesk.data.partners.listing import search_partners

INDEX_ROWS = f"SELECT rowid, name, commune, postcode, siret, sector, contacts, tags FROM {fulltext.FTS_TABLE} " \
             "ORDER BY rowid"
TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"


def index_and_rebuilt(store) -> tuple[list[tuple], list[tuple]]:
    """The index as the merge left it, and as rebuilding it from the partners and contacts gives it (what the
    triggers keep it equal to); the rebuild is rolled back."""
    with store.session() as session:
        merged = [tuple(row) for row in session.execute(text(INDEX_ROWS))]
        for statement in fulltext.REBUILD:
            session.execute(text(statement))
        rebuilt = [tuple(row) for row in session.execute(text(INDEX_ROWS))]
        session.rollback()
    return merged, rebuilt


def found(store, query: str) -> list[str]:
    with store.session() as session:
        return [row.name for row in search_partners(session, query)]


def triggers(store) -> list[tuple]:
    with store.session() as session:
        return [tuple(row) for row in session.execute(text(TRIGGERS))]


def test_merged_partners_are_found_by_a_prefix_of_their_name(small, tmp_path):
    pole, coordinator = small
    before = triggers(coordinator.store)
    assert {name for name, _sql in before} >= set(fulltext.TRIGGERS)
    result = coordinator.load(pole.export(coordinator, tmp_path / "b1.age"))
    assert result.summary.added["partner"] == 2 and result.summary.added["contact"] == 1

    merged, rebuilt = index_and_rebuilt(coordinator.store)
    assert len(merged) == 2 and merged == rebuilt
    assert found(coordinator.store, "boul") == ["Boulangerie L'Épi d'Or"]
    assert found(coordinator.store, "epi") == ["Boulangerie L'Épi d'Or"]
    assert found(coordinator.store, "gaë") == ["Garage Leclerc"]          # by its contact's first name
    assert triggers(coordinator.store) == before                           # back, as the store had them


def test_a_renamed_partner_and_a_moved_contact_are_indexed_where_they_now_are(small, tmp_path):
    pole, coordinator = small
    coordinator.load(pole.export(coordinator, tmp_path / "b1.age"))
    with pole.store.transaction() as session:
        garage = session.scalars(select(Partner).where(Partner.name == "Garage Leclerc")).one()
        bakery = session.scalars(select(Partner).where(Partner.name != "Garage Leclerc")).one()
        bakery.name = "Pâtisserie Vauban"
        moved = session.scalars(select(Contact).where(Contact.partner_id == garage.id)).one()
        moved.partner = bakery            # Gaëlle Thiébaut leaves the garage, which is not otherwise changed
        session.add(Contact(partner=bakery, first_name="Hélène", last_name="Marchal", is_tutor=False))
    result = coordinator.load(pole.export(coordinator, tmp_path / "b2.age"))
    assert result.summary.updated["partner"] == 1 and result.summary.updated["contact"] == 1
    assert result.summary.added["contact"] == 1

    merged, rebuilt = index_and_rebuilt(coordinator.store)
    assert merged == rebuilt
    assert found(coordinator.store, "pât") == ["Pâtisserie Vauban"]
    assert found(coordinator.store, "vaub") == ["Pâtisserie Vauban"]
    assert found(coordinator.store, "thiéb") == ["Pâtisserie Vauban"]      # the garage no longer has her
    assert found(coordinator.store, "hélè") == ["Pâtisserie Vauban"]
    assert found(coordinator.store, "gara") == ["Garage Leclerc"]


def test_a_refused_merge_leaves_the_index_and_its_triggers_as_they_were(small, tmp_path, monkeypatch):
    from poledesk.sync import merge
    from poledesk.sync.errors import BundleError

    pole, coordinator = small
    before = triggers(coordinator.store)
    real_write_links = merge.write_links

    def failing(session, spec, **kwargs):
        real_write_links(session, spec, **kwargs)
        if spec.name == "contact":        # partners and contacts written, triggers paused: then it fails
            from sqlalchemy.exc import IntegrityError
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(merge, "write_links", failing)
    try:
        coordinator.load(pole.export(coordinator, tmp_path / "b1.age"))
    except BundleError as error:
        assert error.reason == "store_constraint"
    else:
        raise AssertionError("the merge should have been refused")
    assert triggers(coordinator.store) == before
    assert index_and_rebuilt(coordinator.store) == ([], [])
    monkeypatch.undo()
    coordinator.load(pole.export(coordinator, tmp_path / "b2.age"))        # and the next merge goes through
    assert found(coordinator.store, "boul") == ["Boulangerie L'Épi d'Or"]
