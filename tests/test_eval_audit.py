import json

import pytest

from checker.errors import LabeledDataError
from checker.eval_audit import PlantedEdit, read_expected, score_planted


def _pair(pid, a_doc, a_text, b_doc, b_text, verdict="contradiction", score=0.9):
    return {
        "id": pid,
        "a_doc": a_doc,
        "b_doc": b_doc,
        "a_text": a_text,
        "b_text": b_text,
        "verdict": verdict,
        "score": score,
    }


def test_found_missed_and_other_alarms_are_counted():
    edits = [
        PlantedEdit("e1", "number", "He has 12,000 fighters.", "He has 21,000 fighters."),
        PlantedEdit("e2", "role", "Al-Shami, governor of Tartus, spoke.", "Al-Shami, mayor of Tartus, spoke."),
    ]
    report = {
        "pairs": [
            _pair("p1", "real1", "Hassan has 12,000 fighters.", "doc", "He has 21,000 fighters."),
            _pair("p2", "doc", "Al-Shami, mayor of Tartus, spoke.", "real2", "The governor spoke.", verdict="neutral"),
            _pair("p3", "doc", "An unrelated doctored-outlet sentence.", "real1", "Something else."),
            _pair("p4", "real1", "A real conflict.", "real2", "Another real claim."),
        ]
    }
    result = score_planted(report, edits, "doc")
    assert (result["expected"], result["found"], result["recall"]) == (2, 1, 0.5)
    assert [r["found"] for r in result["per_edit"]] == [True, False]
    assert result["other_contradictions_doctored"] == 1
    assert result["contradictions_between_real_outlets"] == 1


def test_expected_file_errors(tmp_path):
    bad = tmp_path / "e.jsonl"
    bad.write_text(json.dumps({"id": "x", "original": "a"}) + "\n")
    with pytest.raises(LabeledDataError, match="line 1"):
        read_expected(bad)
