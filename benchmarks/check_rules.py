"""Benchmark: check the convention rules on many placements, as a batch of conventions or an audit does.

    .venv/bin/python benchmarks/check_rules.py [--placements 2000] [--seed 15]

Prints the time per placement of the full check, beside a floor measured in the same run: walking the period's
days once against the timetable and the public holidays, which any check of the dates has to do.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

from poledesk.data.conventions.rules import ConventionFacts, HostPeriod, check_convention, presence_days
from poledesk.data.enums import Audience, LegalKind
from poledesk.data.placements.form import STANDARD_WEEK


def sample(rng: random.Random, count: int) -> list[ConventionFacts]:
    facts = []
    for _ in range(count):
        start = date(2026, 9, 7) + timedelta(weeks=rng.randrange(36))
        end = start + timedelta(days=rng.choice((4, 11, 25, 39, 81)))
        others = tuple(HostPeriod(start - timedelta(weeks=6 * (n + 1)), start - timedelta(weeks=6 * n + 4),
                                  STANDARD_WEEK) for n in range(rng.randrange(3)))
        facts.append(ConventionFacts(
            audience=rng.choice(list(Audience)), start_date=start, end_date=end,
            timetable=STANDARD_WEEK[:rng.randint(3, 5)], birth_date=date(rng.randint(2004, 2013), 3, 1),
            representative_name="R", tutor_name="T", referent_teacher_name="E", host_siret="73282932000074",
            host_legal_kind=rng.choice(list(LegalKind)), site_postcode=rng.choice(("54000", "57000", "67000")),
            other_periods=others, today=start, first_print=False))
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--placements", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    facts = sample(random.Random(args.seed), args.placements)
    check_convention(facts[0])                        # load the dated tables once, as the app does
    started = time.perf_counter()
    for item in facts:
        presence_days(item.start_date, item.end_date, item.timetable, item.department)
    floor = time.perf_counter() - started
    started = time.perf_counter()
    findings = sum(len(check_convention(item)) for item in facts)
    full = time.perf_counter() - started
    per, per_floor = full / len(facts) * 1000, floor / len(facts) * 1000
    print(f"{len(facts)} placements, {findings} findings")
    print(f"full check : {per:.3f} ms per placement ({full:.2f} s in all)")
    print(f"floor      : {per_floor:.3f} ms per placement (one walk of the period's days)")
    print(f"ratio      : {per / per_floor:.1f} x the floor")


if __name__ == "__main__":
    main()
