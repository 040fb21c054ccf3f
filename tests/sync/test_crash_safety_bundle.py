"""kill -9 at random points while the coordinator applies a pole's whole bundle: the store is sound, and holds
either nothing of it or all of it."""

from __future__ import annotations

import random
import shutil

from poledesk.data.db import open_store
from test_crash_safety import check, environment, kill_at_random, poledesk, row_counts, timed_run

KILLS = 6


def test_kill_9_while_a_bundle_is_applied(paired, tmp_path):
    pole, coordinator = paired
    bundle = pole.export(coordinator, tmp_path / "nm07.age", full=True)
    folder = coordinator.folder
    coordinator.store.close()
    template = tmp_path / "coordination-avant"
    shutil.copytree(folder, template)
    env = environment()
    before = row_counts(template)
    whole = tmp_path / "entier"
    shutil.copytree(template, whole)
    length = timed_run(poledesk(whole, "bundle", "import", str(bundle)), env)
    after = row_counts(whole)
    assert after["partner"] > before["partner"] + 500
    rng = random.Random(7)
    for attempt in range(KILLS):
        copy = tmp_path / f"tue-{attempt}"
        shutil.copytree(template, copy)
        kill_at_random(poledesk(copy, "bundle", "import", str(bundle)), env, within=length * 1.1, rng=rng)
        assert row_counts(copy) in (before, after), f"kill {attempt}"
        check(copy)
    coordinator.store = open_store(folder)   # the fixture closes it
