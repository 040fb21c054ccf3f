"""Partner search (FTS5): accents, case, prefixes, contacts and sectors, and the index kept in step."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from poledesk.data.models import Partner
from poledesk.data.partners import contacts as contacts
from poledesk.data.partners import edits as partner_edits
from poledesk.data.partners.edits import PartnerForm
from poledesk.data.partners.fulltext import fts_query, partner_ids_matching
from poledesk.data.text import ABBREVIATIONS, search_text


def found(store, text: str) -> list[str]:
    with store.session() as session:
        return sorted(session.scalars(select(Partner.name).where(partner_ids_matching(text))).all())


@pytest.fixture
def network(pole_store):
    with pole_store.transaction() as session:
        epi = partner_edits.save_partner(session, PartnerForm(
            name="Boulangerie L'Épi d'Or", siret="73282932000074", postcode="88100",
            commune="Saint-Dié-des-Vosges", naf_code="10.71C", tags="alimentaire; apprentissage"))
        contacts.save_contact(session, epi, contacts.ContactForm(last_name="Thiébaut", first_name="Gaëlle"))
        partner_edits.save_partner(session, PartnerForm(name="Garage Leclerc", postcode="54000", commune="Nancy",
                                                        naf_code="45.20A"))
    return pole_store


@pytest.mark.parametrize(("text", "expected"), [
    ("epinal", []),
    ("saint-die", ["Boulangerie L'Épi d'Or"]),
    ("SAINT DIÉ", ["Boulangerie L'Épi d'Or"]),
    ("epi", ["Boulangerie L'Épi d'Or"]),
    ("thiebaut", ["Boulangerie L'Épi d'Or"]),
    ("gael", ["Boulangerie L'Épi d'Or"]),
    ("732 829 320", ["Boulangerie L'Épi d'Or"]),
    ("patisserie", ["Boulangerie L'Épi d'Or"]),
    ("appren", ["Boulangerie L'Épi d'Or"]),
    ("vehicules", ["Garage Leclerc"]),
    ("45.20", ["Garage Leclerc"]),
    ("nan gar", ["Garage Leclerc"]),
    ("garage epi", []),
])
def test_search_finds_by_any_field_without_accents_and_by_prefix(network, text, expected):
    assert found(network, text) == expected


def test_the_index_follows_renames_contacts_and_removals(network):
    with network.transaction() as session:
        partner_id = session.scalar(select(Partner.id).where(Partner.name == "Garage Leclerc"))
        partner_edits.save_partner(session, PartnerForm(name="Garage Lefèvre", postcode="54520", commune="Laxou",
                                                        naf_code="45.20A"), partner_id)
        contact_id = contacts.save_contact(session, partner_id, contacts.ContactForm(last_name="N'Diaye"))
    assert found(network, "leclerc") == []
    assert found(network, "lefevre laxou") == ["Garage Lefèvre"]
    assert found(network, "ndiaye") == found(network, "diaye") == found(network, "n'diaye") == ["Garage Lefèvre"]
    with network.transaction() as session:
        contacts.archive_contact(session, contact_id)
    assert found(network, "diaye") == []


def test_query_syntax_typed_by_a_user_is_never_an_error(network):
    for text in ['"', "*", "NEAR(", "AND OR NOT", "l'épi -", "^x"]:
        found(network, text) if fts_query(text) else None
    assert fts_query("  ") == "" and partner_ids_matching("*") is None
    assert found(network, "AND") == []


@pytest.fixture
def lorraine(pole_store):
    with pole_store.transaction() as session:
        for name, commune, postcode, tags in (
                ("Mairie de Vandœuvre", "Vandœuvre-lès-Nancy", "54500", ""),
                ("Cæcilia Coiffure", "Nancy", "54000", "coiffure"),
                ("Pharmacie de la Gare", "St-Dié-des-Vosges", "88100", ""),
                ("Garage Sainte-Marguerite", "Sainte-Marguerite", "88100", ""),
                ("Stade municipal", "Laxou", "54520", "sport"),
                ("Boulangerie L’Épi d’Or", "Épinal", "88000", "")):
            partner_edits.save_partner(session, PartnerForm(name=name, commune=commune, postcode=postcode,
                                                            tags=tags))
    return pole_store


@pytest.mark.parametrize(("text", "expected"), [
    ("vandoeuvre", ["Mairie de Vandœuvre"]),
    ("VANDŒUVRE les nancy", ["Mairie de Vandœuvre"]),
    ("vandoeuvre-lès-nancy", ["Mairie de Vandœuvre"]),
    ("caecilia", ["Cæcilia Coiffure"]),
    ("saint die", ["Pharmacie de la Gare"]),
    ("saint-dié", ["Pharmacie de la Gare"]),
    ("st die", ["Pharmacie de la Gare"]),
    ("ste marguerite", ["Garage Sainte-Marguerite"]),
    ("st", ["Pharmacie de la Gare", "Stade municipal"]),
    ("l'epi", ["Boulangerie L’Épi d’Or"]),
    ("l’épi d’or", ["Boulangerie L’Épi d’Or"]),
    ("lepi", ["Boulangerie L’Épi d’Or"]),
    ("pharmacie de la gare", ["Pharmacie de la Gare"]),
    ("garage et sainte marguerite", ["Garage Sainte-Marguerite"]),
    ("de", ["Mairie de Vandœuvre", "Pharmacie de la Gare"]),
])
def test_search_folds_ligatures_apostrophes_hyphens_and_saints_as_users_type(lorraine, text, expected):
    assert found(lorraine, text) == expected


@given(st.text(alphabet="aeoœæ’'- stdéÉ", max_size=30))
@settings(max_examples=60, deadline=None)
def test_the_query_is_folded_as_the_index_is(typed):
    """Whatever is typed, the words the query asks for are words the index holds for the same text."""
    words = fts_query(typed).replace("(", " ").replace(")", " ").replace(" OR ", " ").replace(" AND ", " ").split()
    indexed = set(search_text(typed).split())
    for word in (w.strip('"*') for w in words):
        assert word in indexed or ABBREVIATIONS.get(word) in indexed


# --- At scale: the page picked two ways, the count capped ------------------------------------------------------


@pytest.mark.parametrize("text", ["a", "pain", "garage", "nancy", "boulangerie laxou", "zzz", "de"])
def test_a_page_picked_from_the_matches_or_in_name_order_is_the_same(store, monkeypatch, text):
    """The demo network searched both ways the service may take (from the index's matches when they are few,
    by walking the names when many): the same partners, in the same order, with the same counts."""
    from poledesk.data.partners import listing

    with store.session() as session:
        monkeypatch.setattr(listing, "FEW_MATCHES", 10**9)       # always from the matches
        from_matches = listing.search_partners(session, text, limit=40)
        monkeypatch.setattr(listing, "FEW_MATCHES", -1)          # always in name order
        in_name_order = listing.search_partners(session, text, limit=40)
        everything = listing.search_partners(session, text)
    assert from_matches == in_name_order == everything[:40]


def test_the_count_stops_past_its_cap(store):
    from poledesk.data.partners import listing

    with store.session() as session:
        total = listing.count_matching(session, "a")
        assert total > 30
        assert listing.count_matching(session, "a", cap=30) == 31
        assert listing.count_matching(session, "a", cap=total) == total
        assert listing.count_matching(session, "zzzz", cap=30) == 0


@pytest.mark.parametrize("text", ["a", "nancy", "boulangerie", "de la", "zzz"])
def test_the_capped_count_is_the_count_up_to_its_cap_whatever_the_filter(store, text):
    """The capped count reads the index's matches by id; it must say what the whole count says, below its cap,
    for the live partners, a filter, and the archived ones."""
    from poledesk.data.enums import PartnerStatus
    from poledesk.data.partners import listing

    with store.transaction() as session:
        for row in listing.search_partners(session, text, limit=3):
            partner_edits.archive_partner(session, row.id)
    with store.session() as session:
        for filters in (listing.PartnerFilter(), listing.PartnerFilter(archived=True),
                        listing.PartnerFilter(status=PartnerStatus.ACTIVE), listing.PartnerFilter(commune="Nancy")):
            total = listing.count_matching(session, text, filters=filters)
            assert total == len(listing.search_partners(session, text, filters=filters)), filters
            for cap in (0, 2, total, total + 5):
                assert listing.count_matching(session, text, filters=filters, cap=cap) == min(total, cap + 1), \
                    (filters, cap)


@given(st.text(alphabet="abé st-'", min_size=1, max_size=6), st.lists(st.text(alphabet="abé st-'Œ", max_size=12),
                                                                      max_size=4))
@settings(max_examples=200, deadline=None)
def test_a_word_among_the_index_words_is_a_word_of_the_text_it_starts(word, fields):
    """The substring test on the joined index words says what a word-by-word reading of each field says."""
    from poledesk.data.partners.fulltext import index_words, word_among

    word = search_text(word).split()[0] if search_text(word).split() else "a"
    tokens = [token for field in fields for token in search_text(field).split()]
    expected = any(token.startswith(word) or token == ABBREVIATIONS.get(word) for token in tokens)
    assert word_among(word, "".join(index_words(field) for field in fields)) == expected


def test_a_partner_found_by_a_contact_or_a_tag_says_by_which(network):
    from poledesk.data.partners import listing

    with network.session() as session:
        by_contact = listing.search_partners(session, "thieb")
        by_tag = listing.search_partners(session, "apprent")
        by_own_name = listing.search_partners(session, "leclerc")
    assert [(r.name, r.matched_by) for r in by_contact] == [("Boulangerie L'Épi d'Or", "contact Gaëlle Thiébaut")]
    assert [(r.name, r.matched_by) for r in by_tag] == [("Boulangerie L'Épi d'Or", "étiquette apprentissage")]
    assert [(r.name, r.matched_by) for r in by_own_name] == [("Garage Leclerc", "")]
