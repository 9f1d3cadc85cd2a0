"""The evaluation report from hand-made answers.jsonl and metrics.json (2 models x 2 tasks)."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from modsmith.errors import ModsmithError
from modsmith.evaluation.report import change, write_report

COMPILE_ERROR = "sample.c:3:5: error: 'gPlayerHealth' undeclared (first use in this function)"
SCRIPT = "<script>alert('x')</script>"


def _answer(id_, task, model, answer, *, chrf=50.0, loops=False, checks=None, reference="the reference"):
    return {
        "id": id_,
        "task": task,
        "model": model,
        "messages": [
            {"role": "system", "content": "You are a modding assistant."},
            {"role": "user", "content": f"question {id_}"},
        ],
        "reference": reference,
        "answer": answer,
        "checks": checks or {},
        "scores": {
            "chrf": chrf,
            "distinct_1": 0.8,
            "distinct_2": 0.9,
            "loops": loops,
            "tokens": 12,
            "judge": None,
        },
    }


def _answers() -> list[dict]:
    compiles = {"c_compile": {"passed": True, "detail": ""}}
    return [
        _answer("c1", "c_code", "base", "int f(void) { return 1; }", chrf=40.0, checks=compiles),
        _answer("c2", "c_code", "base", "int g(void) { return 2; }", chrf=35.0, checks=compiles),
        _answer("q1", "guide_qa", "base", "Press start.", chrf=20.0),
        _answer("q2", "guide_qa", "base", "loop loop loop loop", chrf=10.0, loops=True),
        # tuned: a clean answer with the lowest chrF, a looping one, a failed compile with a high chrF,
        # and one answer that tries to inject a script into the page
        _answer("c1", "c_code", "tuned", "int f(void) { return 1; }", chrf=60.0, checks=compiles),
        _answer(
            "c2",
            "c_code",
            "tuned",
            "int g(void) { return gPlayerHealth; }",
            chrf=70.0,
            checks={
                "c_compile": {"passed": False, "detail": COMPILE_ERROR},
                "invented_names": {"passed": True, "detail": ""},
            },
        ),
        _answer("q1", "guide_qa", "tuned", f"Press start. {SCRIPT} ```", chrf=5.0),
        _answer("q2", "guide_qa", "tuned", "again again again", chrf=30.0, loops=True, reference=None),
    ]


def _metrics() -> dict:
    return {
        "models": {
            "base": {
                "compile_rate": 0.5,
                "invented_name_rate": 0.25,
                "chrf": 26.25,
                "loop_share": 0.25,
                "heldout_loss": 2.5,
                "perplexity": 12.18,
                "judge_mean": None,
                "ir_valid_rate": 1.0,
            },
            "tuned": {
                "compile_rate": 0.75,
                "invented_name_rate": 0.5,
                "chrf": 41.25,
                "loop_share": 0.25,
                "heldout_loss": 1.5,
                "perplexity": 4.48,
                "judge_mean": None,
            },
        },  # fmt: skip
        "per_task": {
            "c_code": {
                "base": {"compile_rate": 1.0, "chrf": 37.5},
                "tuned": {"compile_rate": 0.5, "chrf": 65.0},
            },
            "guide_qa": {"base": {"chrf": 15.0}, "tuned": {"chrf": 17.5}},
        },
        "counts": {
            "base": {"compile_rate": 4, "invented_name_rate": 4, "chrf": 6},
            "tuned": {"compile_rate": 4, "invented_name_rate": 4, "chrf": 5},
        },
        "config": {"adapter": "runs/tiny", "base": "tiny-llama"},
        "formulas": {"compile_rate": "compiled C answers / C answers", "chrf": "mean sentence chrF"},
    }


def _write(folder: Path, answers: list[dict], metrics: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(a) for a in answers]
    (folder / "answers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = _write(tmp_path_factory.mktemp("eval"), _answers(), _metrics())
    paths = write_report(folder, worst=3)
    return paths, paths.markdown.read_text(encoding="utf-8"), paths.html.read_text(encoding="utf-8")


def _row(markdown: str, metric: str) -> list[str]:
    line = next(line for line in markdown.splitlines() if line.startswith(f"| {metric} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_markdown_metrics_table_has_values_changes_directions_counts_and_formulas(report):
    _, markdown, _ = report
    assert _row(markdown, "compile_rate") == [
        "compile_rate", "50.0%", "75.0%", "+25.0 pp (better)", "4", "compiled C answers / C answers"
    ]  # fmt: skip
    assert _row(markdown, "invented_name_rate")[1:5] == ["25.0%", "50.0%", "+25.0 pp (worse)", "4"]
    assert _row(markdown, "chrf")[1:6] == [
        "26.250",
        "41.250",
        "+15.000 (better)",
        "6 / 5",
        "mean sentence chrF",
    ]
    assert _row(markdown, "heldout_loss")[1:4] == ["2.500", "1.500", "-1.000 (better)"]
    assert _row(markdown, "perplexity")[1:4] == ["12.180", "4.480", "-7.700 (better)"]
    assert _row(markdown, "loop_share")[1:4] == ["25.0%", "25.0%", "+0.0 pp (same)"]


def test_missing_metrics_render_as_na_and_absent_ones_are_left_out(report):
    _, markdown, html = report
    assert _row(markdown, "judge_mean")[1:4] == ["n/a", "n/a", "n/a"]
    assert _row(markdown, "ir_valid_rate")[1:4] == ["100.0%", "n/a", "n/a"]
    assert "csharp_compile_rate" not in markdown
    assert "n/a" in html


def test_per_task_tables_have_each_tasks_numbers(report):
    _, markdown, _ = report
    c_code = markdown.split("### c_code", 1)[1].split("###", 1)[0]
    assert _row(c_code, "compile_rate")[1:4] == ["100.0%", "50.0%", "-50.0 pp (worse)"]
    guide = markdown.split("### guide_qa", 1)[1].split("##", 1)[0]
    assert _row(guide, "chrf")[1:4] == ["15.000", "17.500", "+2.500 (better)"]
    assert "compile_rate" not in guide


def _decoded_pngs(html: str) -> list[Image.Image]:
    images = []
    for data in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html):
        image = Image.open(io.BytesIO(base64.b64decode(data, validate=True)))
        image.load()
        images.append(image)
    return images


def test_html_is_one_file_with_every_chart_embedded_as_a_real_png(report):
    paths, _, html = report
    # 7 metrics with a number (judge_mean has none) + compile_rate and chrf per task
    assert len(paths.plots) == 9
    images = _decoded_pngs(html)
    assert len(images) == 9
    assert all(image.format == "PNG" and image.width > 100 and image.height > 100 for image in images)
    assert 'src="http' not in html and "<link" not in html and "<script" not in html
    assert re.findall(r'(?:src|href)="(?!data:)', html) == []


def test_markdown_links_the_png_files_relatively(report):
    paths, markdown, _ = report
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert sorted(links) == sorted(f"plots/{p.name}" for p in paths.plots)
    for link in links:
        assert (paths.markdown.parent / link).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_user_text_is_escaped(report):
    _, markdown, html = report
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    # in Markdown the answer sits in a fence longer than the backticks it holds
    answer = markdown.split("Press start. <script>", 1)[0].rsplit("\n", 2)[-2]
    assert answer == "````text"


def test_worst_examples_put_the_failed_compile_first_with_its_error(report):
    _, markdown, html = report
    tuned = markdown.split("### tuned", 1)[1].split("### base", 1)[0]
    headings = re.findall(r"^#### (\d+)\. (\S+) \((\S+)\): (.*)$", tuned, flags=re.M)
    assert headings == [
        ("1", "c2", "c_code", "1 failed check, chrF 70.0"),
        ("2", "q2", "guide_qa", "loops, chrF 30.0"),
        ("3", "q1", "guide_qa", "chrF 5.0"),
    ]
    first = tuned.split("#### 2.", 1)[0]
    assert "Failed check **c_compile**" in first and COMPILE_ERROR in first
    assert "Passed checks: invented_names" in first
    assert "[user] question c2" in first
    assert html.index("c_compile") < html.index("again again again")
    assert "&#39;gPlayerHealth&#39; undeclared" in html
    # the tuned model's list comes before the base model's
    assert markdown.index("### tuned") < markdown.index("### base", markdown.index("## Worst answers"))


def test_a_bad_answers_line_is_named(tmp_path):
    folder = _write(tmp_path, _answers(), _metrics())
    lines = (folder / "answers.jsonl").read_text().splitlines()
    lines[2] = '{"id": "q1", "task": "guide_qa", "model": "base"'
    (folder / "answers.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(ModsmithError, match="not JSON") as raised:
        write_report(folder)
    assert raised.value.where == f"{folder / 'answers.jsonl'}:3"
    lines[2] = json.dumps({"id": "q1", "task": "guide_qa", "model": "base"})
    (folder / "answers.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(ModsmithError, match="answer: Field required") as raised:
        write_report(folder)
    assert raised.value.where.endswith("answers.jsonl:3")
    assert not (folder / "report.html").exists()


def test_a_missing_or_broken_metrics_file_is_named(tmp_path):
    folder = _write(tmp_path, _answers(), _metrics())
    (folder / "metrics.json").unlink()
    with pytest.raises(ModsmithError, match="file not found") as raised:
        write_report(folder)
    assert raised.value.where == str(folder / "metrics.json")
    (folder / "metrics.json").write_text('{\n  "models": {\n    "base": {,}\n}')
    with pytest.raises(ModsmithError, match="not JSON") as raised:
        write_report(folder)
    assert raised.value.where == f"{folder / 'metrics.json'}:3"
    assert "\n" not in str(raised.value)


def test_a_second_report_replaces_the_first_and_drops_stale_charts(tmp_path):
    folder = _write(tmp_path, _answers(), _metrics())
    first = write_report(folder)
    metrics = _metrics()
    for values in metrics["models"].values():
        values.pop("perplexity")
    _write(folder, _answers(), metrics)
    second = write_report(folder)
    assert {p.name for p in first.plots} - {p.name for p in second.plots} == {"metric-perplexity.png"}
    assert sorted(p.name for p in (folder / "plots").iterdir()) == sorted(p.name for p in second.plots)
    assert "perplexity" not in second.markdown.read_text()
    assert not list(folder.rglob(".*.tmp"))


@pytest.mark.parametrize(
    ("metric", "base", "tuned", "expected"),
    [
        ("compile_rate", 0.5, 0.4, ("-10.0 pp", "worse")),
        ("loop_share", 0.5, 0.4, ("-10.0 pp", "better")),
        ("judge_mean", 3.0, 4.0, ("+1.000", "better")),
        ("heldout_loss", 2.0, 2.5, ("+0.500", "worse")),
        ("distinct_2", 0.5, 0.5, ("+0.000", "same")),
        ("tokens_mean", 10.0, 12.0, ("+2.000", "")),
        ("chrf", None, 40.0, ("n/a", "")),
    ],
)
def test_change_knows_which_way_is_better(metric, base, tuned, expected):
    assert change(metric, base, tuned) == expected


def test_scores_py_metric_names_counts_and_missing_replies(tmp_path):
    """The names scores.aggregate writes (compile_pass_rate, judge, answers as a count) read the same way."""
    metrics = {
        "models": {
            "base": {"answers": 2, "failed": 0, "compile_pass_rate": 0.5, "judge": 2.0, "mean_tokens": 10.0},
            "tuned": {"answers": 2, "failed": 1, "compile_pass_rate": 1.0, "judge": 3.5, "mean_tokens": 8.0},
        },
        "per_task": {},
    }
    answers = [
        _answer("a", "t", "base", "fine", chrf=1.0),
        _answer("b", "t", "base", "fine", chrf=2.0),
        {**_answer("a", "t", "tuned", "", chrf=None), "error": "HTTP 500 from the endpoint", "seconds": 0.1},
        _answer(
            "b", "t", "tuned", "fine", chrf=0.5, checks={"compile_c": {"passed": False, "detail": "err"}}
        ),
    ]
    markdown = write_report(_write(tmp_path, answers, metrics)).markdown.read_text()
    assert _row(markdown, "compile_pass_rate")[1:4] == ["50.0%", "100.0%", "+50.0 pp (better)"]
    assert _row(markdown, "judge")[1:4] == ["2.000", "3.500", "+1.500 (better)"]
    assert _row(markdown, "answers")[1:4] == ["2", "2", "+0"]
    assert _row(markdown, "failed")[1:4] == ["0", "1", "+1 (worse)"]
    assert _row(markdown, "mean_tokens")[1:4] == ["10.000", "8.000", "-2.000"]
    tuned = markdown.split("### tuned", 1)[1].split("### base", 1)[0]
    # one failure each: the lower chrF first, the reply with no chrF last
    assert re.findall(r"^#### \d+\. (\S+)", tuned, flags=re.M) == ["b", "a"]
    assert "Failed check **reply**" in tuned and "HTTP 500 from the endpoint" in tuned


def test_odd_metric_values_render_as_text_and_get_no_chart(tmp_path):
    metrics = {"models": {"base": {"compile_rate": float("nan"), "note": "skipped", "heldout_loss": 2.0}}}
    paths = write_report(_write(tmp_path, [_answer("a", "t", "base", "x")], metrics))
    markdown = paths.markdown.read_text()
    assert _row(markdown, "compile_rate")[1:3] == ["n/a", "n/a"]
    assert _row(markdown, "note")[1:3] == ["skipped", "n/a"]
    assert [p.name for p in paths.plots] == ["metric-heldout_loss.png"]
