"""The dated tables the rules read, and the rule table itself: every row well formed, every rule sourced and dated."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from poledesk.data.conventions.rule_tables import (
    gratification_rate,
    gratification_rates,
    seconde_window,
    seconde_windows,
)
from poledesk.data.conventions.rules import BLOCKING, RULES, WARNING


def test_each_hourly_minimum_is_its_share_of_the_ceiling():
    rates = gratification_rates()
    assert [r.applies_from for r in rates] == sorted(r.applies_from for r in rates)
    for rate in rates:
        if rate.hourly is not None:
            share = (rate.percent * rate.ceiling / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            assert share == rate.hourly, rate


def test_the_rate_in_force_on_a_day():
    assert gratification_rate(date(2015, 8, 31)).hourly == Decimal("3.30")
    assert gratification_rate(date(2015, 9, 1)).hourly == Decimal("3.60")
    assert gratification_rate(date(2026, 1, 1)).text().startswith("4,50 € par heure de présence, soit 15 %")
    assert gratification_rate(date(2060, 1, 1)) == gratification_rates()[-1]
    assert gratification_rate(date(2001, 1, 1)) == gratification_rates()[0]    # the oldest text known, never none


def test_seconde_windows_are_two_weeks_of_june_monday_to_friday():
    for window in seconde_windows():
        assert window.start.month == window.end.month == 6 and window.start.weekday() == 0
        assert (window.end - window.start).days == 11 and window.source
    assert seconde_window(date(2025, 6, 20)).start == date(2025, 6, 16)
    assert seconde_window(date(2024, 9, 2)) is seconde_window(date(2025, 6, 1))      # the same school year
    assert seconde_window(date(2023, 6, 20)) is None


def test_every_rule_has_a_level_a_date_and_an_explanation_in_french():
    for rule in RULES.values():
        assert rule.level in (BLOCKING, WARNING) and rule.title
        assert [v.applies_from for v in rule.versions] == sorted(v.applies_from for v in rule.versions)
        for version in rule.versions:
            assert version.source and version.explanation.endswith(".")
    assert RULES["gratification"].version_on(date(2013, 1, 7)).source == "Code de l'éducation, L612-11"
    assert RULES["gratification"].version_on(date(2027, 1, 7)).source == "Code de l'éducation, L124-6 et D124-6"
    assert RULES["host_time"].version_on(date(2005, 1, 1)).source == "Code de l'éducation, L612-9"
