"""Full-text search over partners (SQLite FTS5): the index's SQL, kept in step by triggers, and the query."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, TextClause, column, func, select, table, text
from sqlalchemy.orm import Session

from poledesk.data.text import ABBREVIATIONS, meaningful_words, search_text, split_words

FTS_TABLE = "partner_fts"
# Shadow tables FTS5 creates next to the index; not part of the models.
FTS_TABLES = {FTS_TABLE, *(f"{FTS_TABLE}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config"))}

# The index holds each field through search_fold (text.SEARCH_FOLD_SQL: text.search_text, registered on every
# connection by db.create_store_engine): œ → oe, apostrophes and hyphens split, « St » spelled « saint ».
_CONTACT_NAMES = ("search_fold((SELECT coalesce(group_concat(trim(c.first_name || ' ' || c.last_name), ' '), '') "
                  "FROM contact c WHERE c.partner_id = {id} AND c.deleted_at IS NULL))")
_ROW = ("{p}.id, search_fold({p}.name), search_fold({p}.commune), {p}.postcode, coalesce({p}.siret, ''), "
        "search_fold({p}.naf_code || ' ' || {p}.sector), " + _CONTACT_NAMES + ", search_fold({p}.tags)")
_INSERT = (f"INSERT INTO {FTS_TABLE}(rowid, name, commune, postcode, siret, sector, contacts, tags) "
           "VALUES ({row});")
_REFRESH_CONTACTS = f"UPDATE {FTS_TABLE} SET contacts = " + _CONTACT_NAMES + " WHERE rowid = {id};"

# The triggers that index each inserted row; a bulk insert pauses them and indexes its rows at once after.
INSERT_TRIGGERS = {
    "partner_fts_insert": f"CREATE TRIGGER partner_fts_insert AFTER INSERT ON partner BEGIN "
                          f"{_INSERT.format(row=_ROW.format(p='new', id='new.id'))} END",
    "contact_fts_insert": f"CREATE TRIGGER contact_fts_insert AFTER INSERT ON contact BEGIN "
                          f"{_REFRESH_CONTACTS.format(id='new.partner_id')} END",
}
# A later migration that rebuilds the partner or contact table in batch mode drops these triggers with the
# table: it must run DROP, then CREATE and REBUILD again.
CREATE = [
    # unicode61 with remove_diacritics 2 folds case and accents: 'epinal' finds 'Épinal'. The prefix indexes
    # answer a query of one, two or three letters without merging every word that starts so (migration 0011).
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(name, commune, postcode, siret, sector, contacts, tags, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')",
    INSERT_TRIGGERS["partner_fts_insert"],
    f"CREATE TRIGGER partner_fts_update AFTER UPDATE ON partner BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; {_INSERT.format(row=_ROW.format(p='new', id='new.id'))} END",
    f"CREATE TRIGGER partner_fts_delete AFTER DELETE ON partner BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END",
    INSERT_TRIGGERS["contact_fts_insert"],
    f"CREATE TRIGGER contact_fts_update AFTER UPDATE ON contact BEGIN "
    f"{_REFRESH_CONTACTS.format(id='old.partner_id')} {_REFRESH_CONTACTS.format(id='new.partner_id')} END",
    f"CREATE TRIGGER contact_fts_delete AFTER DELETE ON contact BEGIN "
    f"{_REFRESH_CONTACTS.format(id='old.partner_id')} END",
]
REBUILD = [f"DELETE FROM {FTS_TABLE}",
           f"INSERT INTO {FTS_TABLE}(rowid, name, commune, postcode, siret, sector, contacts, tags) "
           f"SELECT {_ROW.format(p='p', id='p.id')} FROM partner p"]
DROP = [*(f"DROP TRIGGER IF EXISTS {name}" for name in (
    "partner_fts_insert", "partner_fts_update", "partner_fts_delete", "contact_fts_insert", "contact_fts_update",
    "contact_fts_delete")), f"DROP TABLE IF EXISTS {FTS_TABLE}"]

# The index rows of the partners from an id on, with their contacts: what the insert triggers would have written.
INDEX_FROM = (f"INSERT INTO {FTS_TABLE}(rowid, name, commune, postcode, siret, sector, contacts, tags) "
              f"SELECT {_ROW.format(p='p', id='p.id')} FROM partner p WHERE p.id >= :first_id")

_fts = table(FTS_TABLE, column("rowid"))


@contextmanager
def indexed_once_after(session: Session, first_partner_id: int) -> Iterator[None]:
    """Inside the caller's transaction: partners (with their contacts) inserted in the block, all with ids from
    `first_partner_id` on, are indexed by one statement at its end instead of a trigger run per row; contacts
    inserted in the block must belong to those partners. The triggers are back before the block ends, and an
    exception rolls their pause back with the rest of the transaction."""
    for name in INSERT_TRIGGERS:
        session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    yield
    session.execute(text(INDEX_FROM), {"first_id": first_partner_id})
    for statement in INSERT_TRIGGERS.values():
        session.execute(text(statement))


# Every trigger that keeps the index in step, by name: a merge pauses them all (see reindexed_after).
TRIGGERS = ("partner_fts_insert", "partner_fts_update", "partner_fts_delete", "contact_fts_insert",
            "contact_fts_update", "contact_fts_delete")
_CHUNK = 500   # ids per IN (...)


@contextmanager
def reindexed_after(session: Session) -> Iterator[set[int]]:
    """Inside the caller's transaction: the index triggers are paused in the block, which adds to the set it is
    given the id of every partner it inserts or changes and of every partner whose contacts it inserts or changes
    (before and after the change); their index rows are rewritten at its end, as the triggers would have left
    them, and the triggers are put back as this store had them. Partners and contacts are never deleted in the
    block (a deletion is a write of deleted_at). An exception leaves the triggers dropped: the caller's rollback
    brings them back with the rest."""
    kept = [sql for (sql,) in session.execute(text(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({})".format(
            ", ".join(f"'{name}'" for name in TRIGGERS))))]
    for name in TRIGGERS:
        session.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    touched: set[int] = set()
    yield touched
    ids = sorted(touched)
    for start in range(0, len(ids), _CHUNK):
        chunk = ", ".join(str(int(i)) for i in ids[start:start + _CHUNK])
        session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({chunk})"))
        session.execute(text(f"INSERT INTO {FTS_TABLE}(rowid, name, commune, postcode, siret, sector, contacts, tags) "
                             f"SELECT {_ROW.format(p='p', id='p.id')} FROM partner p WHERE p.id IN ({chunk})"))
    for sql in kept:
        session.connection().exec_driver_sql(sql)   # as stored: no bind parameters read into it


def fts_query(user_text: str) -> str:
    """The user's words as an FTS5 query: every word must match, each as a prefix ('epi' finds 'Épinal'),
    folded as the index is (see text.search_text); French stop words are left out when other words remain.

    Nine digits or more typed in groups ('732 829 320') are joined, as people type SIRETs that way; fewer
    stay apart, so that a NAF code ('45.20') still finds its sector.
    """
    return " AND ".join(_term(word) for word in query_words(user_text))


def query_words(user_text: str) -> list[str]:
    """The folded words a query asks for, as fts_query reads them (stop words left out, SIRET groups joined)."""
    compact = user_text.strip()
    if re.fullmatch(r"[\d\s.]+", compact) and sum(c.isdigit() for c in compact) >= 9:
        compact = re.sub(r"[\s.]", "", compact)
    return meaningful_words(split_words(compact))


def word_found_in(word: str, text: str) -> bool:
    """True when the query word finds `text` as the index would (a word of it starts with `word`)."""
    return word_among(word, index_words(text))


def word_among(word: str, words: str) -> bool:
    """True when the query word finds one of these index words (index_words): it starts one, or it is the short
    form of one (« st » for « saint »). A substring test on ' a b c ': a word starts where a space ends."""
    full = ABBREVIATIONS.get(word)
    return f" {word}" in words or (full is not None and f" {full} " in words)


@lru_cache(maxsize=8192)
def index_words(text: str) -> str:
    """The words the index holds for `text`, folded as it folds them, each with a space before and after (' a b ');
    two such strings joined are one for both texts. Communes, sectors and contacts' names come back page after
    page: their words are worked out once."""
    return " " + " ".join(search_text(text).split()) + " "


def _term(word: str) -> str:
    """One query word as a prefix; a short form typed ('st') finds the word the index spells out ('saint',
    for « St-Dié » and « Saint-Dié » alike) as well as the words it starts (« Stade »)."""
    if word in ABBREVIATIONS:
        return f'("{word}"* OR "{ABBREVIATIONS[word]}")'
    return f'"{word}"*'


def count_index_matches(session: Session, user_text: str, *, cap: int) -> int:
    """How many rows of the index match the search text, counted up to `cap` + 1 (the index alone, no partner read)."""
    query = fts_query(user_text)
    if not query:
        return 0
    matching = select(_fts.c.rowid).where(_match(query)).limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(matching)) or 0


def partners_from_matches(user_text: str) -> Select[Any]:
    """The ids of the partners matching the search text, read from the index first (then each partner by its
    id): for a search that finds few, quicker than walking every partner in name order to pick them out."""
    from poledesk.data.models import Partner

    query = fts_query(user_text) or '""'
    return select(Partner.id).select_from(_fts).join(Partner, Partner.id == _fts.c.rowid).where(_match(query))


def _match(query: str) -> TextClause:
    return text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=query)


def partner_ids_matching(user_text: str) -> ColumnElement[bool] | None:
    """A WHERE clause on partner ids for the search text, or None when there is nothing to search."""
    from poledesk.data.models import Partner

    query = fts_query(user_text)
    if not query:
        return None
    return Partner.id.in_(select(_fts.c.rowid).where(_match(query)))
