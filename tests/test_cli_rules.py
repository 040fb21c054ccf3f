"""`poledesk rules check`: the documented examples give the documented findings; bad input is refused in French."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from poledesk.cli import main
from poledesk.data.conventions.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
EXPECTED = {
    "observation_4e_3e.json": [],
    "seconde_gt.json": [],
    "pfmp_cap.json": ["public_holiday", "local_holiday"],
    "pfmp_bacpro.json": [],
    "sts.json": ["gratification"],
    "apprentissage.json": [],
}


def test_there_is_one_example_per_audience_and_the_doc_names_each():
    audiences = {json.loads(path.read_text(encoding="utf-8"))["audience"] for path in EXAMPLES.glob("*.json")}
    assert audiences == {"observation_4e_3e", "seconde_gt", "pfmp_cap", "pfmp_bacpro", "sts", "apprentissage"}
    doc = (ROOT / "docs" / "rules-check.md").read_text(encoding="utf-8")
    assert all(name in doc for name in EXPECTED)
    assert all(f"`{rule_id}`" in doc for rule_id in RULES if rule_id not in ("mandatory", "referent_load",
                                                                             "tutor_load"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_example_runs_and_gives_its_findings(name, tmp_path, capsys):
    code = main(["--data-dir", str(tmp_path), "rules", "check", str(EXAMPLES / name)])
    output = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in output["findings"]] == EXPECTED[name]
    assert output["version"] == 1 and output["blocking"] == bool(EXPECTED[name])
    assert code == (2 if EXPECTED[name] else 0)
    for found in output["findings"]:
        assert set(found) == {"rule", "level", "source", "message", "explanation", "field"}
        assert found["source"] and found["source"] in found["message"]


def test_the_gratification_example_shows_the_legal_minimum(tmp_path, capsys):
    main(["--data-dir", str(tmp_path), "rules", "check", str(EXAMPLES / "sts.json")])
    message = json.loads(capsys.readouterr().out)["findings"][0]["message"]
    assert message.startswith("313 h de présence chez « Librairie Kléber » en 2026-2027")
    assert "au moins 4,50 € par heure de présence" in message


def test_stdin_is_read_with_a_dash_in_a_real_process(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "poledesk", "--data-dir", str(tmp_path), "rules", "check", "-"],
                          input=(EXAMPLES / "pfmp_cap.json").read_bytes(), capture_output=True, env=env, timeout=120, check=False)
    assert done.returncode == 2
    findings = json.loads(done.stdout.decode("utf-8"))["findings"]
    assert [f["source"] for f in findings] == ["Code du travail, L3164-6", "Code du travail, L3164-6 et L3134-13"]


def test_a_period_ending_before_it_starts_is_a_finding_not_a_crash(tmp_path, capsys):
    data = json.loads((EXAMPLES / "pfmp_bacpro.json").read_text(encoding="utf-8"))
    data["period"] = {"start": "2027-01-29", "end": "2027-01-04"}
    data["timetable"] = []
    file = tmp_path / "odd.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    assert main(["--data-dir", str(tmp_path), "rules", "check", str(file)]) == 2
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule"], f["field"]) for f in findings] == [("consistency", "end_date"), ("consistency", "timetable")]


@pytest.mark.parametrize(("change", "expected"), [
    ({"version": 2}, "Version du format attendue : 1"),
    ({"audience": "stage"}, "« audience » : une de ces valeurs est attendue"),
    ({"pupil": {"birth_date": "2010-02-30"}}, "« pupil.birth_date » : une date AAAA-MM-JJ est attendue"),
    ({"timetable": [{"day": "lundi", "start": "8h30", "end": "25:00"}]}, "« timetable[0].end » : une heure HH:MM"),
    ({"legal_representative": "oui"}, "« legal_representative » : true ou false"),
    ({"colour": "bleu"}, "Champ inconnu « colour »"),
])
def test_bad_input_is_refused_with_a_french_message_and_nothing_on_stdout(change, expected, tmp_path, capsys):
    data = {**json.loads((EXAMPLES / "pfmp_bacpro.json").read_text(encoding="utf-8")), **change}
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    assert main(["--data-dir", str(tmp_path), "rules", "check", str(file)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and expected in captured.err


def test_a_file_that_is_not_json_or_missing_is_refused(tmp_path, capsys):
    file = tmp_path / "broken.json"
    file.write_text("{ not json", encoding="utf-8")
    assert main(["--data-dir", str(tmp_path), "rules", "check", str(file)]) == 1
    assert "n'est pas du JSON valide (ligne 1" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path), "rules", "check", str(tmp_path / "absent.json")]) == 1
    assert "impossible de lire" in capsys.readouterr().err
