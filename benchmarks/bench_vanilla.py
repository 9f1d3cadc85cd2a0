"""Benchmark grounding on a real decomp checkout: every vanilla actor and effect file, cold and warm.

    python benchmarks/bench_vanilla.py REPO --profile NAME [--json] [--workers N] [--limit N]
        [--rename-history] [--no-warm] [--save FILE]

REPO is your own checkout of zeldaret/oot or HackerN64/HackerOoT (nothing of it is copied here).
Every `src/overlays/{actors,effects}/*/*.c` file (`.inc.c` fragments are checked inside the file
that includes them) goes through `modsmith check`'s path (`check_file`: the names check and the
compile check with the profile), first with an empty cache (cold: the index is built, the
precompiled header made), then again with that cache (warm). Shipping code invents nothing, so
every invented name and every arity error is a false alarm. Prints: files, compile passed, each
failure class, files with an invented name or an arity error, distinct invented names (split into
asset names, which the asset XML declares, and the rest), files/s cold and warm.

With no ROM and no `make setup`, the names `make setup` would generate come from the asset XML in
git and the compile check includes declaration headers generated from it (grounding's default for a
repo with `assets/xml`). Every file that fails the compile check is listed with its class and the
compiler's first word on it, and every invented name with its file.

`--json` prints one JSON object without timings, for identical-output comparisons across runs.
Rename lookups are off unless `--rename-history` is given (`bench_rename_history.py` measures them).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def vanilla_files(repo: Path) -> list[Path]:
    found = [*repo.glob("src/overlays/actors/*/*.c"), *repo.glob("src/overlays/effects/*/*.c")]
    return sorted(p for p in found if not p.name.endswith(".inc.c"))


def asset_names(repo: Path) -> frozenset[str] | None:
    """Names the asset XML declares (the asset module, when this checkout of modsmith has it)."""
    try:
        from modsmith.ground.c.asset_xml import read_asset_xml
    except ImportError:
        return None
    try:
        return frozenset(symbol.name for symbol in read_asset_xml(repo))
    except Exception as exc:  # a benchmark reports, it does not stop
        print(f"asset XML not read: {exc}", file=sys.stderr)
        return None


def check_all(repo: Path, profile: str, files: list[Path], workers: int, history: bool) -> tuple[list, float]:
    from modsmith.ground.check_command import check_file
    from modsmith.ground.check_config import GroundCheckConfig
    from modsmith.ground.grounding import Grounding

    started = time.perf_counter()
    config = GroundCheckConfig(repo=str(repo), profile=profile, workers=workers, rename_history=history)
    grounding = Grounding.open(config)
    try:
        with ThreadPoolExecutor(max_workers=workers) as threads:
            verdicts = list(threads.map(lambda path: check_file(path, grounding), files))
    finally:
        grounding.close()
    return verdicts, time.perf_counter() - started


def summarise(repo: Path, verdicts: list, assets: frozenset[str] | None) -> dict:
    classes: Counter[str] = Counter()
    invented_in: dict[str, set[str]] = {}
    arity_files, invented_files, per_file = [], [], {}
    for verdict in verdicts:
        rel = Path(verdict.file).relative_to(repo).as_posix()
        compiled = verdict.checks.get("compile_c")
        compile_class = None if compiled is None or compiled.passed else compiled.data.get("failure_class")
        classes[compile_class or "passed"] += 1
        names = sorted({item["name"] for item in verdict.invented})
        arity = sorted({f"{a['name']}/{a['given']}" for a in verdict.arity_errors})
        for name in names:
            invented_in.setdefault(name, set()).add(rel)
        if names:
            invented_files.append(rel)
        if arity:
            arity_files.append(rel)
        per_file[rel] = {"compile": compile_class or "passed", "invented": names, "arity": arity}
        if compile_class:
            per_file[rel]["why"] = compiled.detail
    distinct = sorted(invented_in)
    asset = [n for n in distinct if assets is not None and n in assets]
    other = [n for n in distinct if assets is None or n not in assets]
    files_other = sorted({f for n in other for f in invented_in[n]})
    return {
        "files": len(verdicts),
        "compile_passed": classes.get("passed", 0),
        "compile_classes": dict(sorted(classes.items())),
        "files_with_invented": len(invented_files),
        "files_with_arity_errors": len(arity_files),
        "files_with_non_asset_invented": len(files_other) if assets is not None else None,
        "distinct_invented": len(distinct),
        "distinct_asset_invented": len(asset) if assets is not None else None,
        "distinct_other_invented": len(other) if assets is not None else None,
        "other_invented": {n: len(invented_in[n]) for n in other},
        "arity_errors": sorted({a for f in per_file.values() for a in f["arity"]}),
        "per_file": per_file,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("repo", type=Path)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--json", action="store_true", help="one JSON object, no timings")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    parser.add_argument("--rename-history", action="store_true")
    parser.add_argument("--no-warm", action="store_true", help="only the cold run")
    parser.add_argument("--save", type=Path, help="also write the JSON object to this file")
    args = parser.parse_args()
    repo = args.repo.resolve()
    files = vanilla_files(repo)[: args.limit]
    if not files:
        print(f"no src/overlays/{{actors,effects}}/*/*.c under {repo}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-vanilla-") as cache:
        os.environ["MODSMITH_CACHE"] = cache
        run = (repo, args.profile, files, args.workers, args.rename_history)
        cold, cold_s = check_all(*run)
        warm, warm_s = (None, 0.0) if args.no_warm else check_all(*run)
    assets = asset_names(repo)
    summary = summarise(repo, cold, assets)
    if warm is not None and summarise(repo, warm, assets) != summary:
        summary["warm_differs"] = True
    text = json.dumps(summary, indent=1, sort_keys=True)
    if args.save:
        args.save.write_text(text + "\n", encoding="utf-8")
    if args.json:
        print(text)
        return 0
    print(f"{repo.name} with {args.profile}: {summary['files']} files")
    print(f"compile passed: {summary['compile_passed']}")
    for name, count in summary["compile_classes"].items():
        print(f"  {name}: {count}")
    for rel, result in summary["per_file"].items():
        if "why" in result:
            print(f"    {rel}: {result['why']}")
    print(f"files with an invented name: {summary['files_with_invented']}")
    print(f"files with an arity error: {summary['files_with_arity_errors']} {summary['arity_errors'][:10]}")
    print(f"distinct invented names: {summary['distinct_invented']}", end="")
    if assets is not None:
        print(
            f" (asset names: {summary['distinct_asset_invented']},"
            f" other: {summary['distinct_other_invented']}"
            f" in {summary['files_with_non_asset_invented']} files)"
        )
        top = sorted(summary["other_invented"].items(), key=lambda item: (-item[1], item[0]))[:40]
        if top:
            print("  other names (files): " + ", ".join(f"{n} ({c})" for n, c in top))
    else:
        print(" (asset XML not read: no split into asset names)")
    for rel, result in summary["per_file"].items():
        if result["invented"] or result["arity"]:
            print(f"    {rel}: invented {result['invented']}, arity {result['arity']}")
    print(f"cold: {cold_s:.1f} s, {len(files) / cold_s:.1f} files/s")
    if warm is not None:
        same = "same results" if "warm_differs" not in summary else "RESULTS DIFFER"
        print(f"warm: {warm_s:.1f} s, {len(files) / warm_s:.1f} files/s ({same})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
