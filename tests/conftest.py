"""Shared fixtures: an offscreen Qt, fresh stores in tmp_path, and the demo store built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import: tests run anywhere
# New store headers get the cheapest Argon2 cost in tests (the default cost is kept for real stores).
os.environ.setdefault("POLEDESK_TEST_CHEAP_KDF", "1")

import pytest

from poledesk import paths
from poledesk.data import identity
from poledesk.data.db import Store, open_store


@pytest.fixture
def empty_store(tmp_path: Path):
    """A new store with no identity yet."""
    store = open_store(tmp_path / "donnees")
    yield store
    store.close()


@pytest.fixture
def pole_store(empty_store: Store) -> Store:
    """A new store set up for pole NM-07, with no records but the pole."""
    with empty_store.transaction() as session:
        ident = identity.init_pole(session, "NM-07", name="Pôle de stages du bassin de Nancy",
                                   bassin="Nancy", academie="Nancy-Metz", animator="Claire Lefèvre")
    empty_store.set_owner(ident.code)
    return empty_store


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pole-scale demo store, built once; tests get a copy (the template is closed, so its WAL is merged)."""
    from poledesk.data.demo import build as demo

    folder = tmp_path_factory.mktemp("demo-template")
    store = open_store(folder)
    demo.create_demo_store(store, scale="pole", seed=1)
    store.close()
    return folder


@pytest.fixture
def store(tmp_path: Path, demo_template: Path):
    """A copy of the demo store, opened."""
    folder = tmp_path / "demo"
    folder.mkdir()
    shutil.copy2(paths.store_file(demo_template), paths.store_file(folder))
    opened = open_store(folder)
    yield opened
    opened.close()
