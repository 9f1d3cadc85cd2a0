"""Benchmark the rename history on a real repository: one pass over the history, then lookups.

    python benchmarks/bench_rename_history.py /path/to/oot
    python benchmarks/bench_rename_history.py /path/to/oot --names Matrix_NewMtx GlobalContext OBJECT_KUSA

Reads the history cold into a fresh cache (the one `git log -p`), then opens the cache again as a
new process would, and prints: build seconds, commits scanned, names gone from HEAD, renames
found, the git commands run, lookups/s from the cache (every lookup a new name, so each is a
query), and the answer for each of `--names`. For scale it also times `git log -S` for the first
of `--names`: the old way ran one of those for every unknown name.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import tempfile
import time
from pathlib import Path

from modsmith.ground.names.rename_history import RenameHistory

NAMES = [
    "GlobalContext",
    "globalCtx",
    "Matrix_NewMtx",
    "MATRIX_NEW",
    "NA_SE_EV_PLANT_BROKEN",
    "OBJECT_KUSA",
    "NA_SE_EN_DODO_M_DEAD",
    "func_8002D7EC",
    "MATRIX_NEWMTX",
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("repo", type=Path)
    parser.add_argument("--names", nargs="*", default=NAMES, help="names to look up and print")
    parser.add_argument("--lookups", type=int, default=200_000, help="lookups to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "renames.sqlite"
        cold = RenameHistory(args.repo, cache)
        started = time.perf_counter()
        build = cold.build()
        build_s = time.perf_counter() - started
        if build is None:
            raise SystemExit(f"{args.repo}: not a git repository")
        gone = cold.entries()
        print(f"repo: {args.repo} at {build.head[:12]}")
        print(f"cold build: {build_s:.1f} s, {build.commits} commits scanned, {cold.git_runs} git commands")
        print(f"names gone from HEAD: {build.gone}; renamed (current name known): {build.renames}")
        cold.close()

        started = time.perf_counter()
        warm = RenameHistory(args.repo, cache)
        warm.history(args.names[0])
        opened = time.perf_counter() - started
        print(f"warm open + first lookup: {opened:.3f} s ({warm.git_runs} git command)")
        pool = [g.old for g in gone] + [f"{g.old}Made" for g in gone] or ["Nothing"]
        asked = [pool[i % len(pool)] + (f"_{i}" if i >= len(pool) else "") for i in range(args.lookups)]
        random.Random(0).shuffle(asked)
        started = time.perf_counter()
        for name in asked:
            warm.history(name)
        took = time.perf_counter() - started
        print(f"lookups: {len(asked)} distinct names in {took:.2f} s = {len(asked) / took:,.0f}/s")
        for name in args.names:
            found = warm.history(name)
            if found is None:
                answer = "exists at HEAD or never in the code: no history"
            elif found.new:
                via = f" via {' -> '.join(found.via)}" if found.via else ""
                answer = f"renamed to {found.new}{via} in {found.commit[:10]} ({found.date}) {found.subject}"
            else:
                answer = f"removed in {found.commit[:10]} ({found.date}) {found.subject}"
            print(f"  {name}: {answer}")
        warm.close()
    started = time.perf_counter()
    subprocess.run(
        ["git", "-C", str(args.repo), "log", f"-S{args.names[0]}", "--format=%H", "HEAD", "--", "*.c", "*.h"],
        capture_output=True,
        check=False,
    )
    per_name = time.perf_counter() - started
    print(
        f"one `git log -S{args.names[0]}` (the old per-name cost): {per_name:.1f} s; "
        f"the one-pass build costs as much as {build_s / per_name:.1f} of them"
    )


if __name__ == "__main__":
    main()
