"""Reading labeled files and scoring an NLI model on them."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from checker.calibration import Calibration
from checker.errors import InputError, LabeledDataError
from checker.evaluate import (
    RESULT_KEYS,
    TUNED_KEYS,
    LabeledRow,
    LabeledSet,
    evaluate_set,
    read_labeled,
    write_plots,
)

E, N, C, NE = "entailment", "neutral", "contradiction", "not_entailment"
LABEL_MAP = {"0": E, "1": N, "2": C}


def write_jsonl(path: Path, records, gz: bool = False) -> Path:
    lines = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")
    return path


def write_table(path: Path, header, rows, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def rec(premise, hypothesis, label):
    return {"premise": premise, "hypothesis": hypothesis, "label": label}


# ---------------------------------------------------------------------------------------
# read_labeled: formats
# ---------------------------------------------------------------------------------------


def test_jsonl(tmp_path):
    path = write_jsonl(
        tmp_path / "dev.jsonl",
        [
            rec("A dog runs.", "An animal moves.", E),
            rec("A dog runs.", "A cat sleeps.", N),
            rec("A dog runs.", "Nothing moves.", C),
        ],
    )
    data = read_labeled(path)
    assert data.rows == [
        LabeledRow("A dog runs.", "An animal moves.", E),
        LabeledRow("A dog runs.", "A cat sleeps.", N),
        LabeledRow("A dog runs.", "Nothing moves.", C),
    ]
    assert data.two_way is False
    assert data.skipped == {}
    assert data.path == path


def test_gzipped_jsonl(tmp_path):
    path = write_jsonl(tmp_path / "dev.jsonl.gz", [rec("p", "h", C), rec("p2", "h2", E)], gz=True)
    data = read_labeled(path)
    assert [r.label for r in data.rows] == [C, E]


def test_csv_with_quotes_commas_and_newlines(tmp_path):
    path = write_table(
        tmp_path / "dev.csv",
        ["premise", "hypothesis", "label"],
        [['He said "no", twice.', "He refused.", E], ["Line one\nline two", "Two lines.", N]],
    )
    data = read_labeled(path)
    assert data.rows[0] == LabeledRow('He said "no", twice.', "He refused.", E)
    assert data.rows[1].premise == "Line one\nline two"


def test_tsv_reads_unbalanced_quotes_literally(tmp_path):
    path = tmp_path / "dev.tsv"
    path.write_text(
        'premise\thypothesis\tlabel\nHe said "hi.\tHe spoke.\tentailment\nIt rained.\tIt was "dry".\tcontradiction\n',
        encoding="utf-8",
    )
    data = read_labeled(path)
    assert data.rows == [LabeledRow('He said "hi.', "He spoke.", E), LabeledRow("It rained.", 'It was "dry".', C)]


def test_snli_aliases_and_no_consensus_label(tmp_path):
    path = write_jsonl(
        tmp_path / "snli.jsonl",
        [
            {"sentence1": "A man plays.", "sentence2": "A man sleeps.", "gold_label": "contradiction"},
            {"sentence1": "A man plays.", "sentence2": "A person plays.", "gold_label": "entailment"},
            {"sentence1": "A man plays.", "sentence2": "A man is happy.", "gold_label": "-"},
        ],
    )
    data = read_labeled(path)
    assert [r.label for r in data.rows] == [C, E]
    assert data.rows[0].premise == "A man plays."
    assert data.skipped == {"unknown label '-'": 1}


def test_short_labels_case_and_spaces(tmp_path):
    rows = [["p", "h", "e"], ["p", "h", " N "], ["p", "h", "C"], ["p", "h", "Entailment"]]
    path = write_table(tmp_path / "dev.csv", ["premise", "hypothesis", "label"], rows)
    assert [r.label for r in read_labeled(path).rows] == [E, N, C, E]


@pytest.mark.parametrize(
    "labels, two_way",
    [
        pytest.param([E, NE, NE], True, id="two_way"),
        pytest.param(["Entailment", "NOT_ENTAILMENT"], True, id="two_way_case"),
        pytest.param([E, E], False, id="only_entailment_is_three_way"),
        pytest.param([E, N, C], False, id="three_way"),
    ],
)
def test_two_way_detection(tmp_path, labels, two_way):
    path = write_jsonl(tmp_path / "dev.jsonl", [rec("p", "h", lab) for lab in labels])
    data = read_labeled(path)
    assert data.two_way is two_way
    assert data.labels == ((E, NE) if two_way else (E, N, C))


def test_mixed_two_way_and_three_way_raises(tmp_path):
    path = write_jsonl(tmp_path / "dev.jsonl", [rec("p", "h", NE), rec("p", "h", C)])
    with pytest.raises(LabeledDataError, match="mixes"):
        read_labeled(path)


# ---------------------------------------------------------------------------------------
# read_labeled: numeric labels
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", [0, "1", 2.0], ids=["int", "string", "float"])
def test_numeric_labels_need_label_map(tmp_path, label):
    path = write_jsonl(tmp_path / "dev.jsonl", [rec("p", "h", label)])
    with pytest.raises(LabeledDataError, match="--label-map"):
        read_labeled(path)


def test_numeric_labels_with_label_map(tmp_path):
    path = write_jsonl(
        tmp_path / "dev.jsonl", [rec("p", "h", 0), rec("p", "h", "1"), rec("p", "h", 2), rec("p", "h", 3)]
    )
    data = read_labeled(path, label_map=LABEL_MAP)
    assert [r.label for r in data.rows] == [E, N, C]
    assert data.skipped == {"label '3' not in the label map": 1}


def test_numeric_csv_labels_with_two_way_map(tmp_path):
    path = write_table(tmp_path / "rte.csv", ["sentence1", "sentence2", "label"], [["p", "h", "0"], ["p", "h", "1"]])
    data = read_labeled(path, label_map={"0": "entailment", "1": "not_entailment"})
    assert [r.label for r in data.rows] == [E, NE]
    assert data.two_way


def test_label_map_with_bad_value_raises(tmp_path):
    path = write_jsonl(tmp_path / "dev.jsonl", [rec("p", "h", 0)])
    with pytest.raises(LabeledDataError, match="not a label"):
        read_labeled(path, label_map={"0": "yes"})


# ---------------------------------------------------------------------------------------
# read_labeled: skipped rows and bad files
# ---------------------------------------------------------------------------------------


def test_missing_fields_and_unknown_labels_are_counted(tmp_path):
    path = write_jsonl(
        tmp_path / "dev.jsonl",
        [
            rec("p", "h", E),
            {"premise": "p", "label": E},
            {"premise": "p", "hypothesis": "  ", "label": E},
            {"hypothesis": "h"},
            rec("p", "h", "maybe"),
            rec("p", "h", "maybe"),
            rec(7, "h", E),
            "{not json",
            "[1, 2]",
            "",
        ],
    )
    data = read_labeled(path)
    assert len(data.rows) == 1
    assert data.skipped == {
        "bad JSON line": 1,
        "JSON line is not an object": 1,
        "missing hypothesis": 2,
        "missing premise and label": 1,
        "premise or hypothesis is not text": 1,
        "unknown label 'maybe'": 2,
    }


def test_csv_missing_column_raises(tmp_path):
    path = write_table(tmp_path / "dev.csv", ["premise", "text", "label"], [["p", "h", E]])
    with pytest.raises(LabeledDataError, match="hypothesis/sentence2 column"):
        read_labeled(path)


def test_csv_short_row_is_counted(tmp_path):
    path = tmp_path / "dev.csv"
    path.write_text("premise,hypothesis,label\np,h,entailment\np,h\n", encoding="utf-8")
    data = read_labeled(path)
    assert len(data.rows) == 1
    assert data.skipped == {"missing label": 1}


@pytest.mark.parametrize(
    "name, content",
    [
        pytest.param("dev.jsonl", "", id="empty_jsonl"),
        pytest.param("dev.jsonl", "\n  \n", id="blank_jsonl"),
        pytest.param("dev.csv", "", id="empty_csv"),
        pytest.param("dev.csv", "premise,hypothesis,label\n", id="header_only_csv"),
    ],
)
def test_empty_file_raises(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LabeledDataError, match="no usable labeled row"):
        read_labeled(path)


def test_no_valid_row_raises_with_reasons(tmp_path):
    path = write_jsonl(tmp_path / "dev.jsonl", [rec("p", "h", "maybe"), "{oops"])
    with pytest.raises(LabeledDataError, match=r"bad JSON line: 1; unknown label 'maybe': 1"):
        read_labeled(path)


def test_non_utf8_raises(tmp_path):
    path = tmp_path / "dev.csv"
    path.write_bytes("premise,hypothesis,label\nCafé,h,entailment\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_labeled(path)


def test_utf8_bom_is_ignored(tmp_path):
    path = tmp_path / "dev.csv"
    path.write_bytes("premise,hypothesis,label\nCafé,h,entailment\n".encode("utf-8-sig"))
    assert read_labeled(path).rows == [LabeledRow("Café", "h", E)]


@pytest.mark.parametrize(
    "name, message",
    [
        pytest.param("missing.jsonl", "does not exist", id="missing"),
        pytest.param("dev.txt", "unknown labeled file type", id="extension"),
        pytest.param("broken.jsonl.gz", "cannot read", id="corrupt_gzip"),
        pytest.param("folder.jsonl", "not a file", id="directory"),
    ],
)
def test_unreadable_files_raise_input_error(tmp_path, name, message):
    (tmp_path / "dev.txt").write_text("premise\thypothesis\tlabel\n")
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip at all")
    (tmp_path / "folder.jsonl").mkdir()
    with pytest.raises(InputError, match=message):
        read_labeled(tmp_path / name)


# ---------------------------------------------------------------------------------------
# evaluate_set with a fake NLI
# ---------------------------------------------------------------------------------------


class FakeNli:
    """Fixed probabilities for known pairs; an unknown pair is a test bug, so it raises."""

    def __init__(self, table: dict[tuple[str, str], list[float]]):
        self.table = table
        self.calls: list[int] = []

    def predict(self, pairs, progress=None):
        out = np.array([self.table[tuple(p)] for p in pairs], dtype=np.float32)
        self.calls.append(len(pairs))
        if progress:
            progress(len(pairs))
        return out


# the six-row example of tests/test_metrics.py: gold E E N N C C, argmax E N N N C E
SIX = [
    ("p1", "h1", E, [0.85, 0.10, 0.05]),
    ("p2", "h2", E, [0.35, 0.55, 0.10]),
    ("p3", "h3", N, [0.10, 0.75, 0.15]),
    ("p4", "h4", N, [0.15, 0.65, 0.20]),
    ("p5", "h5", C, [0.05, 0.10, 0.85]),
    ("p6", "h6", C, [0.45, 0.20, 0.35]),
]


def six_set(two_way: bool = False, skipped=None) -> LabeledSet:
    rows = [LabeledRow(p, h, (NE if two_way and lab != E else lab)) for p, h, lab, _ in SIX]
    return LabeledSet(Path("dev.jsonl"), rows, two_way, dict(skipped or {}))


def six_nli() -> FakeNli:
    return FakeNli({(p, h): probs for p, h, _, probs in SIX})


def test_fake_nli_raises_on_unknown_pair():
    with pytest.raises(KeyError):
        six_nli().predict([("who", "knows")])


def test_evaluate_set_three_way():
    ticks = []
    labeled = six_set(skipped={"unknown label '-'": 2})
    result = evaluate_set(labeled, six_nli(), progress=ticks.append)
    assert tuple(result) == RESULT_KEYS
    assert result["file"] == "dev.jsonl"
    assert result["n"] == 6
    assert result["accuracy"] == pytest.approx(4 / 6)
    assert result["macro_f1"] == pytest.approx(59 / 90)
    assert result["confusion"] == {"labels": [E, N, C], "matrix": [[1, 1, 0], [0, 2, 0], [1, 0, 1]]}
    assert result["per_class"][N] == pytest.approx({"precision": 2 / 3, "recall": 1.0, "f1": 0.8, "support": 2})
    # p(c): C rows 0.85, 0.35; others 0.05 0.10 0.15 0.20 -> every C above every other: 1.0
    assert result["roc_auc_contradiction"] == pytest.approx(1.0)
    # confidence / correct: .85 1, .55 0, .75 1, .65 1, .85 1, .45 0 (no value on a bin edge)
    # bins: (.8,.9] 2 rows, gap .15; (.7,.8] gap .25; (.6,.7] gap .35; (.5,.6] gap .55;
    # (.4,.5] gap .45 -> ECE = (2*.15 + .25 + .35 + .55 + .45) / 6 = 1.9 / 6
    assert result["ece"] == pytest.approx(1.9 / 6)
    assert result["skipped"] == {"unknown label '-'": 2}
    assert ticks == [6]
    assert result.seconds >= 0 and result.pairs_per_second >= 0
    assert result.gold == [E, E, N, N, C, C]
    assert result.probs.shape == (6, 3)
    json.dumps(result)


def test_evaluate_set_two_way():
    result = evaluate_set(six_set(two_way=True), six_nli())
    # gold E E NE NE NE NE; argmax E N N N C E -> E NE NE NE NE E
    # confusion E: 1 1 / NE: 1 3; accuracy 4/6
    assert result["confusion"] == {"labels": [E, NE], "matrix": [[1, 1], [1, 3]]}
    assert result["accuracy"] == pytest.approx(4 / 6)
    # E: P 1/2 R 1/2 F1 1/2; NE: P 3/4 R 3/4 F1 3/4 -> macro 5/8
    assert result["macro_f1"] == pytest.approx(5 / 8)
    assert set(result["per_class"]) == {E, NE}
    # p(n)+p(c): E rows 0.15, 0.65; NE rows 0.90, 0.85, 0.95, 0.55
    # pairs NE > E: 0.90, 0.85, 0.95 beat both (6); 0.55 beats 0.15 only (1) -> 7/8
    assert result["roc_auc_contradiction"] == pytest.approx(7 / 8)


def test_evaluate_set_with_calibration_reports_raw_and_tuned():
    # threshold 0.3 turns row 6 (p(c) 0.35, gold C) into contradiction and no other row
    # (their p(c) <= 0.20 or already contradiction): 5/6 right
    cal = Calibration(temperature=1.0, contradiction_threshold=0.3)
    result = evaluate_set(six_set(), six_nli(), calibration=cal)
    assert tuple(result) == RESULT_KEYS + ("tuned",)
    assert tuple(result["tuned"]) == TUNED_KEYS
    assert result["accuracy"] == pytest.approx(4 / 6)
    assert result["tuned"]["accuracy"] == pytest.approx(5 / 6)
    assert result["tuned"]["confusion"]["matrix"] == [[1, 1, 0], [0, 2, 0], [0, 0, 2]]
    assert result["tuned"]["contradiction_threshold"] == 0.3
    assert result["tuned"]["temperature"] == 1.0
    json.dumps(result)


def test_evaluate_set_limit():
    nli = six_nli()
    result = evaluate_set(six_set(), nli, limit=3)
    assert result["n"] == 3 and nli.calls == [3]
    with pytest.raises(ValueError):
        evaluate_set(six_set(), nli, limit=0)


def test_evaluate_set_rejects_wrong_shape():
    class Broken:
        def predict(self, pairs, progress=None):
            return np.zeros((len(pairs), 2))

    with pytest.raises(ValueError, match="shape"):
        evaluate_set(six_set(), Broken())


def test_read_then_evaluate(tmp_path):
    path = write_jsonl(tmp_path / "dev.jsonl", [rec(p, h, lab) for p, h, lab, _ in SIX] + ["{bad"])
    result = evaluate_set(read_labeled(path), six_nli())
    assert result["file"] == str(path)
    assert result["macro_f1"] == pytest.approx(59 / 90)
    assert result["skipped"] == {"bad JSON line": 1}


@pytest.mark.parametrize("two_way", [False, True], ids=["three_way", "two_way"])
def test_write_plots(tmp_path, two_way):
    result = evaluate_set(six_set(two_way=two_way), six_nli())
    result["file"] = str(tmp_path / "news-dev.jsonl.gz")
    paths = write_plots(result, result.probs, result.gold, tmp_path / "plots")
    assert [p.name for p in paths] == ["news-dev_confusion.png", "news-dev_reliability.png"]
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------------------
# the real shipped model
# ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_evaluate_set_with_shipped_model(tmp_path):
    from checker.nli import NliModel, default_nli_model_path

    if not (default_nli_model_path() / "config.json").exists():
        pytest.skip(f"no shipped NLI model at {default_nli_model_path()} (train it first)")
    path = write_jsonl(
        tmp_path / "tiny.jsonl",
        [
            rec("The council approved the budget on Monday.", "The budget was approved.", E),
            rec("The council approved the budget on Monday.", "The council rejected the budget.", C),
            rec("The council approved the budget on Monday.", "The mayor was born in 1970.", N),
        ],
    )
    result = evaluate_set(read_labeled(path), NliModel())
    assert result["n"] == 3
    assert result.probs.sum(axis=1) == pytest.approx([1, 1, 1], abs=1e-4)
    assert result["roc_auc_contradiction"] is not None
    # any working NLI model: the contradicting pair scores p(c) above the entailed one
    assert result.probs[1, 2] > result.probs[0, 2]
