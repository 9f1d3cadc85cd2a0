"""Benchmark `ingest.code` against a bare tree-sitter parse of the same files.

    python benchmarks/bench_ingest.py                # generate a 2,000-file C tree in a temp dir
    python benchmarks/bench_ingest.py --tree DIR     # reuse (or create) a tree at DIR

Prints files/s and MB/s for (a) reading + parsing every file with tree-sitter, the floor, and
(b) the full ingest stage serialising every document to JSON Lines (written to /dev/null, so the
disk is not measured), their ratio, and the peak RSS growth of an ingest of a 500-file subset
and of the whole tree, each in a fresh subprocess; a control run that keeps every document in a
list shows that the measurement does see growth when there is some.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from modsmith.code.languages import code_parser
from modsmith.ingest.code import IngestCode
from modsmith.stage import Rejects

FILES_PER_DIR = 100
TYPES = ["s8", "u8", "s16", "u16", "s32", "u32", "f32"]


# --- synthetic tree --------------------------------------------------------------------------


def generate_tree(root: Path, files: int, seed: int = 7) -> None:
    """Write `files` synthetic C files (one in six a header) in folders of 100."""
    rng = random.Random(seed)
    (root / "include").mkdir(parents=True, exist_ok=True)
    (root / "include" / "common.h").write_text(_common_header())
    for index in range(files):
        folder = root / f"mod{index // FILES_PER_DIR:03d}"
        folder.mkdir(exist_ok=True)
        if index % 6 == 0:
            (folder / f"z_part_{index:04d}.h").write_text(_header(rng, index))
        else:
            (folder / f"z_part_{index:04d}.c").write_text(_source(rng, index))


def _common_header() -> str:
    types = "\n".join(
        f"typedef {c} {t};"
        for t, c in zip(
            TYPES,
            ["signed char", "unsigned char", "short", "unsigned short", "int", "unsigned int", "float"],
            strict=True,
        )
    )
    return f"#ifndef COMMON_H\n#define COMMON_H\n\n{types}\n\n#define NULL ((void*)0)\n\n#endif\n"


def _header(rng: random.Random, index: int) -> str:
    tag = f"Part{index:04d}"
    upper = tag.upper()
    out = [f"#ifndef Z_{upper}_H", f"#define Z_{upper}_H", "", '#include "common.h"', ""]
    for m in range(rng.randint(3, 8)):
        out += [f"/** Scale factor number {m} of {tag}. */", f"#define {upper}_SCALE{m}(x) ((x) * {m + 2})"]
    out += [
        f"#define {upper}_BLEND(dst, a, b) \\",
        "    do {                       \\",
        "        (dst) = ((a) + (b)) / 2; \\",
        "    } while (0)",
        "",
        "/**",
        f" * States of {tag}.",
        " */",
        f"typedef enum {tag}State {{",
    ]
    out += [f"    /* {k:02d} */ {upper}_STATE_{k}," for k in range(rng.randint(4, 12))]
    out += [f"}} {tag}State;", "", f"typedef struct {tag} {{"]
    out += [f"    /* 0x{k * 4:02X} */ {rng.choice(TYPES)} field{k};" for k in range(rng.randint(4, 14))]
    out += [f"}} {tag}; // size = 0x40", ""]
    for p in range(rng.randint(8, 20)):
        ret = rng.choice(TYPES + [f"{tag}*"])
        args = ", ".join(f"{rng.choice(TYPES)} arg{a}" for a in range(rng.randint(0, 4))) or "void"
        out.append(f"{ret} {tag}_Func{p}({args});")
    out += ["", "#endif", ""]
    return "\n".join(out)


def _source(rng: random.Random, index: int) -> str:
    tag = f"Part{index:04d}"
    out = ['#include "common.h"', "", f"static s32 s{tag}Counter = 0;", ""]
    if rng.random() < 0.4:  # decomp overlays carry data tables next to their code
        values = [str(rng.randint(-999, 999)) for _ in range(rng.randint(8, 64))]
        rows = [", ".join(values[i : i + 8]) for i in range(0, len(values), 8)]
        out += [f"static s16 s{tag}Table[] = {{", *(f"    {row}," for row in rows), "};", ""]
    for number in range(rng.randint(1, 5)):
        out += _function(rng, tag, number)
    return "\n".join(out)


def _function(rng: random.Random, tag: str, number: int) -> list[str]:
    """A function of varied length: mostly short, some medium, a few long switch-based ones."""
    static = "static " if number % 3 == 0 else ""
    out = ["/**", f" * Step {number} of {tag}: updates the counter from `value`.", " */"]
    out.append(f"{static}s32 {tag}_Step{number}(s32 value, f32 scale) {{")
    out.append("    s32 result = 0;")
    out.append("")
    size = rng.random()
    blocks = rng.randint(1, 2) if size < 0.6 else rng.randint(3, 6) if size < 0.93 else 1
    for block in range(blocks):
        kind = rng.randint(0, 1) if size < 0.93 else 2
        if kind == 0:
            out += [
                f"    if (value > {block}) {{",
                f"        result += value * {block + 1};",
                "    } else {",
                f"        result -= (s32)(scale * {block}.0f);",
                "    }",
            ]
        elif kind == 1:
            out += [f"    for (s32 i = 0; i < {block + 2}; i++) {{", "        result ^= i + value;", "    }"]
        else:
            out.append("    switch (value) {")
            for case in range(rng.randint(15, 40)):
                out += [f"        case {case}:", f"            result += {case * 3};", "            break;"]
            out += ["        default:", "            break;", "    }"]
    out += [f"    s{tag}Counter += result;", "    return result;", "}", ""]
    return out


# --- measurements ----------------------------------------------------------------------------


def source_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".c", ".h") and p.is_file())


def bare_parse(root: Path) -> tuple[float, int, int]:
    """Seconds, files and bytes to read and parse every file: the floor for ingest."""
    parser = code_parser("c")
    files = source_files(root)
    total = 0
    start = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        parser.parse(data)
        total += len(data)
    return time.perf_counter() - start, len(files), total


def full_ingest(
    root: Path, out: Path | None = None, include: list[str] | None = None, workers: int = 0
) -> tuple[float, dict]:
    """Seconds for the whole ingest stage writing JSON Lines (to /dev/null by default), and its summary."""
    stage = IngestCode({"root": str(root), "include": include or [], "workers": workers})
    start = time.perf_counter()
    with open(out or os.devnull, "w", encoding="utf-8") as handle:
        for document in stage.process([], Rejects()):
            handle.write(document.model_dump_json(exclude_none=True) + "\n")
    return time.perf_counter() - start, stage.summary()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def measure_in_subprocess(root: Path, dirs: int | None, keep: bool = False) -> dict:
    """Run one ingest in a fresh interpreter and return its figures (clean peak RSS)."""
    cmd = [sys.executable, __file__, "--tree", str(root), "--measure"]
    if dirs is not None:
        cmd += ["--dirs", str(dirs)]
    if keep:
        cmd.append("--keep")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(root: Path, dirs: int | None, keep: bool) -> None:
    """Child side of `measure_in_subprocess`: print one JSON line."""
    include = [f"mod{d:03d}/" for d in range(dirs)] + ["include/"] if dirs is not None else None
    code_parser("c").parse(b"int warm_up(void) { return 0; }")
    before = peak_rss_mib()
    if keep:  # control: holding every document must show up as growth
        start = time.perf_counter()
        stage = IngestCode({"root": str(root)})
        kept = list(stage.process([], Rejects()))
        seconds, summary = time.perf_counter() - start, stage.summary()
        del kept
    else:
        seconds, summary = full_ingest(root, None, include)
    after = peak_rss_mib()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "files": summary["files_parsed"],
                "seconds": seconds,
                "rss_before_mib": before,
                "rss_peak_mib": after,
                "worker_peak_mib": children,
                "symbols": sum(summary["symbols"].values()),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", type=Path, help="tree to reuse; generated there when missing")
    parser.add_argument("--files", type=int, default=2000, help="files to generate")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dirs", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        _measure(args.tree, args.dirs, args.keep)
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = args.tree or Path(tmp) / "tree"
        if not root.exists() or not any(root.iterdir()):
            start = time.perf_counter()
            generate_tree(root, args.files)
            print(f"generated {args.files} files in {time.perf_counter() - start:.1f}s at {root}")
        run(root, Path(tmp))


def run(root: Path, tmp: Path) -> None:
    started = time.perf_counter()
    files = source_files(root)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"tree: {len(files)} files, {lines:,} lines, {sum(p.stat().st_size for p in files) / 1e6:.2f} MB")

    full_ingest(root, tmp / "docs.jsonl")  # warms the page cache and imports; keeps a sample of the output
    bare_s, n_files, n_bytes = bare_parse(root)
    ingest_s, summary = full_ingest(root)
    serial_s, _ = full_ingest(root, workers=1)
    mb = n_bytes / 1e6
    symbols = sum(summary["symbols"].values())
    print()
    print(f"{'':24}{'seconds':>10}{'files/s':>12}{'MB/s':>10}")
    print(f"{'(a) bare parse':24}{bare_s:10.2f}{n_files / bare_s:12.0f}{mb / bare_s:10.2f}")
    print(
        f"{'(b) ingest -> JSONL':24}{ingest_s:10.2f}{summary['files_parsed'] / ingest_s:12.0f}"
        f"{summary['bytes'] / 1e6 / ingest_s:10.2f}"
    )
    print(
        f"{'(b1) same, 1 process':24}{serial_s:10.2f}{summary['files_parsed'] / serial_s:12.0f}"
        f"{summary['bytes'] / 1e6 / serial_s:10.2f}"
    )
    print(
        f"ratio ingest / bare: {ingest_s / bare_s:.2f}x (1 process: {serial_s / bare_s:.2f}x)   "
        f"documents: {symbols:,} "
        f"({symbols / lines * 1000:.0f} per 1,000 lines)   "
        f"cost above the parse: {(ingest_s - bare_s) / symbols * 1e6:.1f} us per document   "
        f"JSONL: {(tmp / 'docs.jsonl').stat().st_size / 1e6:.1f} MB"
    )

    n_dirs = len(list(root.glob("mod*")))
    print()
    header = f"{'memory (fresh process)':24}{'files':>8}{'seconds':>10}{'RSS before':>12}{'peak RSS':>10}"
    print(f"{header}{'growth':>9}{'worker peak':>13}")
    runs = [
        ("subset", min(5, n_dirs), False),
        ("whole tree", None, False),
        ("control: kept in a list", None, True),
    ]
    for label, dirs, keep in runs:
        figures = measure_in_subprocess(root, dirs, keep)
        growth = figures["rss_peak_mib"] - figures["rss_before_mib"]
        print(
            f"{label:24}{figures['files']:8d}{figures['seconds']:10.2f}{figures['rss_before_mib']:10.1f}MB"
            f"{figures['rss_peak_mib']:8.1f}MB{growth:7.1f}MB{figures['worker_peak_mib']:11.1f}MB"
        )

    ratio = ingest_s / bare_s
    print()
    print(
        f"target ratio <= 2x: {'met' if ratio <= 2 else 'MISSED'} ({ratio:.2f}x)   "
        f"target whole tree < 30 s: {'met' if ingest_s < 30 else 'MISSED'} ({ingest_s:.2f} s)   "
        f"benchmark wall time: {time.perf_counter() - started:.1f} s on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
