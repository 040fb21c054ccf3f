"""Installs that exchange bundles: the demo pole NM-07, a coordinator, more poles on demand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sync_support import Install, coordinator_at, pair, pole_at, populate

from poledesk.data.db import Store, open_store
from poledesk.sync import keys


@pytest.fixture
def installs(tmp_path: Path):
    opened: list[Install] = []

    def make(kind: str, code: str = "") -> Install:
        folder = tmp_path / f"{kind}-{code or len(opened)}"
        install = coordinator_at(folder) if kind == "coordinator" else pole_at(folder, code)
        opened.append(install)
        return install

    yield make
    for install in opened:
        install.store.close()


@pytest.fixture
def pole(store: Store) -> Install:
    """The demo pole NM-07 (a copy per test), with keys."""
    return Install(store, keys.ensure_keys(store.folder))


@pytest.fixture
def coordinator(installs) -> Install:
    return installs("coordinator")


@pytest.fixture
def paired(pole: Install, coordinator: Install) -> tuple[Install, Install]:
    pair(pole, coordinator)
    return pole, coordinator




@pytest.fixture(scope="session")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small pole and the coordinator, paired, built once; tests get copies (stores closed, WAL merged)."""
    root = tmp_path_factory.mktemp("small-pair")
    pole, coordinator = pole_at(root / "pole", "NM-07"), coordinator_at(root / "coordination")
    populate(pole)
    pair(pole, coordinator)
    pole.store.close()
    coordinator.store.close()
    return root


@pytest.fixture
def small(small_template: Path, tmp_path: Path):
    """A small pole NM-07 (a few records) and the coordinator, paired and verified: fresh copies."""
    opened = []
    for name in ("pole", "coordination"):
        shutil.copytree(small_template / name, tmp_path / name)
        store = open_store(tmp_path / name)
        opened.append(Install(store, keys.load_keys(store.folder)))
    yield tuple(opened)
    for install in opened:
        install.store.close()
