"""Can the tests fail? Deliberate mutants of the core modules, and the share the test suite kills.

    python benchmarks/bench_mutants.py [--jobs N] [--only records|stage|run|output_paths] [--list]

Each mutant is one small, plausible bug written by hand into `records.py`, `stage.py`, `run.py`
or `output_paths.py` (the run lock): a flipped condition, a dropped call, an off-by-one count.
For each, the source tree is copied to
a scratch folder, the mutant applied there, and the tests that cover the module run against that
copy (`PYTHONPATH`), stopping at the first failure. A mutant is *killed* when a test fails, and
*survives* when every test passes: a bug the tests cannot see. Prints every survivor and the share
killed per module and in all (the target is 90%).

The source tree is copied once, at the start, and every mutant is applied to a copy of that
snapshot; the tests must pass on the snapshot itself first (else every mutant would count as
killed), or the script stops. A mutant whose original text is no longer in the module (the code
moved on) is an error, not a pass: update the list with the code.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "modsmith"

#: the tests run against each module's mutants
TESTS = {
    "records": ["tests/core/test_records.py", "tests/core/test_outputs.py"],
    "stage": ["tests/core/test_run.py", "tests/core/test_recipe.py", "tests/core/test_outside_inputs.py"],
    "run": ["tests/core/test_run.py", "tests/core/test_outputs.py", "tests/core/test_outside_inputs.py"],
    "output_paths": ["tests/core/test_outputs.py"],
}


@dataclass(frozen=True)
class Mutant:
    module: str
    what: str
    original: str
    mutated: str


MUTANTS = [
    # records.py
    Mutant(
        "records",
        "content ids depend on key order",
        "sort_keys=True, ensure_ascii",
        "sort_keys=False, ensure_ascii",
    ),
    Mutant(
        "records", "a BOM on line 1 is not accepted", '"utf-8-sig" if lineno == 1 else "utf-8"', '"utf-8"'
    ),
    Mutant("records", "blank lines are parsed", "            if line.strip():\n", "            if True:\n"),
    Mutant(
        "records",
        "examples read as documents",
        '"messages" in data else Document',
        '"text" in data else Document',
    ),
    Mutant(
        "records",
        "a bad line's error names no line",
        'first[\'msg\']}", where=f"{path}:{lineno}"',
        "first['msg']}\", where=str(path)",
    ),
    Mutant(
        "records",
        "stale temporaries are left",
        "    remove_stale_temporaries(path)\n    return",
        "    return",
    ),
    Mutant("records", "live processes' temporaries are removed", " or _alive(int(pid)):", ":"),
    Mutant(
        "records",
        "a failed block still replaces the file",
        "if exc_type is None and not self._discard:",
        "if not self._discard:",
    ),
    Mutant("records", "records are miscounted", "        self.count += 1\n", "        self.count += 2\n"),
    Mutant(
        "records",
        "a folder is written over",
        "        if self.path.is_dir():\n            raise",
        "        if False:\n            raise",
    ),
    Mutant(
        "records",
        "text files are never put in place",
        "        os.replace(tmp, path)\n    except",
        "        pass\n    except",
    ),
    Mutant(
        "records",
        "a dead writer's temporaries are kept",
        "    except ProcessLookupError:\n        return False",
        "    except ProcessLookupError:\n        return True",
    ),
    Mutant(
        "records", "ids ignore the task", "id=content_id(task, [m.model_dump", "id=content_id([m.model_dump"
    ),
    # stage.py
    Mutant(
        "stage",
        "drops are not counted",
        "        self.counts[reason] += 1\n",
        "        self.counts[reason] += 0\n",
    ),
    Mutant("stage", "every drop is kept as a sample", "if len(kept) < self._samples_per_reason:", "if True:"),
    Mutant(
        "stage", "drops never reach rejected.jsonl", "            self._sink(entry)\n", "            pass\n"
    ),
    Mutant(
        "stage",
        "nested configs' paths are not seen",
        "            yield from config_input_paths(value, (*loc, name))\n",
        "            pass\n",
    ),
    Mutant(
        "stage",
        "a stage reads nothing outside the run",
        "        return [Path(given).expanduser() for _, _, given in config_input_paths(self.config)]",
        "        return []",
    ),
    Mutant(
        "stage",
        "a dict config is ignored",
        "config = self.Config.model_validate(config or {})",
        "config = self.Config.model_validate({})",
    ),
    Mutant(
        "stage",
        "drops without a teacher reply are shown as replies",
        'if item.get("reply") is not None and len(self.reply_samples)',
        "if len(self.reply_samples)",
    ),
    Mutant(
        "stage",
        "every teacher reply is kept",
        "and len(self.reply_samples) < self._samples_per_reason:",
        ":",
    ),
    Mutant(
        "stage",
        "empty paths name an input",
        "            if isinstance(given, str) and given:\n",
        "            if isinstance(given, str):\n",
    ),
    Mutant(
        "stage",
        "a stage works on document kinds it does not handle",
        "or kinds is None or record.kind in kinds",
        "or True",
    ),
    Mutant(
        "stage",
        "records a stage passes through are lost",
        "        if isinstance(record, self.passes_through):\n            yield record\n",
        "        if isinstance(record, self.passes_through):\n            pass\n",
    ),
    Mutant(
        "stage",
        "records a stage does not handle all pass through",
        "        if isinstance(record, self.passes_through):\n",
        "        if True:\n",
    ),
    Mutant(
        "stage",
        "a source drops the records before it",
        "            yield from self.unhandled(record, rejects)\n        yield from self.read(",
        "            pass\n        yield from self.read(",
    ),
    # run.py
    Mutant("run", "records in are not counted", "            result.records_in += 1\n", "            pass\n"),
    Mutant(
        "run",
        "a failed stage's output replaces the old one",
        "        if failure is not None:\n            data.discard()\n",
        "        if False:\n            data.discard()\n",
    ),
    Mutant("run", "a stage may drop any share", "and share > max_drop_share:", "and share < max_drop_share:"),
    Mutant("run", "an empty stage is not an error", "    if result.records_out == 0:\n", "    if False:\n"),
    Mutant(
        "run",
        "changed stages are skipped",
        'if stats.get("fingerprint") == fingerprint and data_path.exists():',
        "if data_path.exists():",
    ),
    Mutant(
        "run",
        "unchanged stages rerun",
        'if stats.get("fingerprint") == fingerprint and data_path.exists():',
        "if False:",
    ),
    Mutant(
        "run",
        "upstream changes do not rerun a stage",
        "        upstream,\n        stage.source_fingerprint()",
        "        stage.source_fingerprint()",
    ),
    Mutant(
        "run",
        "outside changes do not rerun a stage",
        "        outside_fingerprint(stage.outside_paths()),\n",
        "",
    ),
    Mutant(
        "output_paths",
        "two runs share a run directory",
        "        lock.acquire(timeout=0)\n",
        "        pass\n",
    ),
    Mutant(
        "run",
        "an output may overwrite its input",
        "    refuse_output_over_inputs([output, rejected], [*input_paths, *stage.outside_paths()])\n",
        "",
    ),
    Mutant(
        "run",
        "a stage's inputs are ignored",
        "sources = spec.inputs if spec.inputs is not None else ([previous] if previous else [])",
        "sources = [previous] if previous else []",
    ),
    Mutant(
        "run",
        "reports are not written",
        "                write_text_atomic(stage_dir / name, text)\n",
        "                pass\n",
    ),
    Mutant(
        "run",
        "the drop report leaves out the teacher's replies",
        "enumerate(result.reply_samples, 1)",
        "enumerate([], 1)",
    ),
    Mutant(
        "run",
        "the drop report shows no dropped record",
        "    if not result.reply_samples and result.samples:\n",
        "    if False:\n",
    ),
    Mutant(
        "run",
        "long replies are not cut in the drop report",
        'reply[:600] + (" [...]" if len(reply) > 600 else "")',
        "reply",
    ),
    Mutant(
        "run",
        "a skipped stage reports no records",
        'records_out=stats["records_out"],',
        "records_out=0,",
    ),
    Mutant(
        "run",
        "the dataset is exported from the first stage",
        "export_dataset(outputs[previous][0],",
        "export_dataset(next(iter(outputs.values()))[0],",
    ),
    Mutant(
        "run",
        "a stage on files leaves out its reports",
        '        write_text_atomic(output.with_name(f"{output.stem}.{name}"), text)\n',
        "        pass\n",
    ),
    Mutant(
        "run",
        "a stage's own drop limit is ignored",
        "limit = stage.max_drop_share if max_drop_share is None else max_drop_share",
        "limit = max_drop_share",
    ),
    Mutant(
        "run",
        "a recipe cannot loosen a stage's drop limit",
        "limit = stage.max_drop_share if max_drop_share is None else max_drop_share",
        "limit = stage.max_drop_share",
    ),
    Mutant(
        "run",
        "dropping exactly the limit stops a stage",
        "and share > max_drop_share:",
        "and share >= max_drop_share:",
    ),
    Mutant(
        "run",
        "progress is never reported",
        "                on_record(data.count)\n",
        "                pass\n",
    ),
]


def apply(mutant: Mutant, tree: Path) -> None:
    path = tree / "modsmith" / f"{mutant.module}.py"
    text = path.read_text(encoding="utf-8")
    count = text.count(mutant.original)
    if count != 1:
        raise SystemExit(
            f"mutant {mutant.what!r}: its original text is in {mutant.module}.py {count} times, not once; "
            "update benchmarks/bench_mutants.py with the code"
        )
    path.write_text(text.replace(mutant.original, mutant.mutated), encoding="utf-8")


def run_tests(tree: Path, tests: list[str]) -> subprocess.CompletedProcess:
    """The tests, stopping at the first failure, with `tree` (holding `modsmith/`) first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def run_mutant(mutant: Mutant, snapshot: Path) -> tuple[Mutant, bool, float]:
    """(mutant, killed, seconds)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="modsmith-mutant-") as scratch:
        tree = Path(scratch) / "src"
        shutil.copytree(snapshot / "modsmith", tree / "modsmith")
        apply(mutant, tree)
        done = run_tests(tree, TESTS[mutant.module])
    return mutant, done.returncode != 0, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--only", choices=sorted(TESTS), help="only this module's mutants")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    args = parser.parse_args()
    mutants = [m for m in MUTANTS if args.only in (None, m.module)]
    if args.list:
        for mutant in mutants:
            print(f"{mutant.module}: {mutant.what}")
        return 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="modsmith-snapshot-") as snapshot:
        snapshot = Path(snapshot)
        shutil.copytree(SOURCE, snapshot / "modsmith", ignore=shutil.ignore_patterns("__pycache__"))
        with tempfile.TemporaryDirectory() as check:  # every original is there once, before anything runs
            shutil.copytree(snapshot / "modsmith", Path(check) / "modsmith")
            for mutant in mutants:
                original = snapshot / "modsmith" / f"{mutant.module}.py"
                shutil.copy(original, Path(check) / "modsmith" / f"{mutant.module}.py")
                apply(mutant, Path(check))
        tests = sorted({test for mutant in mutants for test in TESTS[mutant.module]})
        unmutated = run_tests(snapshot, tests)
        if unmutated.returncode != 0:
            print(unmutated.stdout[-3000:], unmutated.stderr[-3000:], sep="\n")
            raise SystemExit("the tests fail on the unmutated source: fix them (or the source) first")
        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(lambda mutant: run_mutant(mutant, snapshot), mutants))
    killed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for mutant, dead, seconds in results:
        total[mutant.module] += 1
        killed[mutant.module] += dead
        print(f"{'killed  ' if dead else 'SURVIVED'} {mutant.module}: {mutant.what} ({seconds:.0f} s)")
    print()
    for module in sorted(total):
        print(f"{module}: {killed[module]}/{total[module]} killed ({killed[module] / total[module]:.0%})")
    all_killed, all_total = sum(killed.values()), sum(total.values())
    seconds = time.perf_counter() - started
    print(f"all: {all_killed}/{all_total} killed ({all_killed / all_total:.0%}) in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
