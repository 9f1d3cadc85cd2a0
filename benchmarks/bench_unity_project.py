"""Checking C# inside a Unity project: the whole project, and one file at a time, two ways.

For a Unity project (a public game repo: get it yourself, never commit its code) it prints:

- the whole-project check (`UnityProject.verdicts()`), cold and from the cache: scripts, how many
  compile, each failure class, files/s;
- one file at a time, for N files: a *new* script that uses a passing project class (it replaces
  nothing) and a *rewrite* of a passing script (its text plus a comment, standing in its place), each
  checked with the rest of the project built once into a cached reference library (`library`) and
  with everything compiled together (`together`), with the ratio. The first library build is timed
  apart; for rewrites every file needs a library of its own, so the cold cost is shown too.

    python benchmarks/bench_unity_project.py PROJECT [-n 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("-n", type=int, default=10, help="files checked one at a time")
    args = parser.parse_args()
    os.environ["MODSMITH_CACHE"] = tempfile.mkdtemp(prefix="bench-unity-")
    from modsmith.ground.csharp.compile_csharp import build_stub_assembly
    from modsmith.ground.csharp.csharp_syntax import scan_declared_types
    from modsmith.ground.csharp.unity_project import UnityProject

    build_stub_assembly()
    project = UnityProject.open(args.project)
    start = time.perf_counter()
    verdicts = project.verdicts()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    UnityProject.open(args.project).verdicts()
    warm = time.perf_counter() - start
    failed = Counter(v.result.failure_class for v in verdicts.values() if not v.result.passed)
    passed = [v.file for v in verdicts.values() if v.result.passed]
    print(f"project: {len(verdicts)} scripts ({len(project.editor_scripts)} editor-only not checked)")
    print(f"  compile: {len(passed)}; fail: {dict(failed.most_common())}")
    print(f"  whole project cold {cold:.2f} s ({len(verdicts) / cold:.0f} files/s), cached {warm:.3f} s")

    targets = []
    for rel in passed:
        if "namespace " in project.script(rel).text:
            continue  # keep the new scripts free of usings
        types = sorted(t for t in scan_declared_types(project.script(rel).text) if t[0].isupper())
        if types:
            targets.append((rel, types[0]))
    targets = targets[: args.n]
    if not targets:
        print("no passing script declares a type; nothing to check one at a time")
        return
    new_scripts = [
        (None, f"using UnityEngine;\npublic class BenchUser{i} : MonoBehaviour {{ {t} used; }}\n")
        for i, (_, t) in enumerate(targets)
    ]
    rewrites = [(rel, project.script(rel).text + "\n// rewritten\n") for rel, _ in targets]
    for label, cases in (("new script", new_scripts), ("rewrite", rewrites)):
        timings = {}
        for strategy in ("together", "library"):
            seconds, first = [], None
            for rel, source in cases:
                began = time.perf_counter()
                verdict = project.check_source(source, rel, strategy=strategy)
                seconds.append(time.perf_counter() - began)
                if not verdict.result.passed:
                    print(f"  {label} {rel}: {verdict.result.failure_class}: {verdict.result.detail[:120]}")
            if strategy == "library":  # the first pass built the libraries
                first = statistics.median(seconds)  # cold: each with its library build
                for rel, source in cases:  # again: the libraries are cached now
                    began = time.perf_counter()
                    project.check_source(source, rel, strategy=strategy)
                    seconds.append(time.perf_counter() - began)
                seconds = seconds[len(cases) :]
            timings[strategy] = (statistics.median(seconds), first)
        together, (library, first) = timings["together"][0], timings["library"]
        print(
            f"{label} x{len(cases)}: together {together:.2f} s/file; library {library:.2f} s/file cached "
            f"(cold, building it: {first:.2f} s/file); together/library = {together / library:.1f}"
        )


if __name__ == "__main__":
    main()
