"""Benchmark the invented-name check: examples/s on one core.

    python benchmarks/bench_names.py                 # 2,000 examples, ~10k-name synthetic index
    python benchmarks/bench_names.py --examples 5000 --names 20000

Builds a symbol index of the mini decomp (tests/ground/mini_decomp) plus synthetic headers with
about `--names` symbols (prototypes, macros, structs and their fields, enums), then checks
synthetic examples - each an assistant answer with three inline code spans in its prose and one
20-line C block - with `code_spans` + `check_names` (no git history: those lookups are cached
per name and measured separately by their own tests). Prints the index build time, examples/s
and the share of examples that had an invented name.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from modsmith.ground.code_spans import code_spans
from modsmith.ground.names.invented import check_names
from modsmith.ground.names.symbol_index import SymbolIndex
from modsmith.records import Example, Message

MINI_DECOMP = Path(__file__).resolve().parents[1] / "tests" / "ground" / "mini_decomp"
SUBSYSTEMS = [
    "Actor",
    "Math",
    "Matrix",
    "Collider",
    "Camera",
    "Audio",
    "Message",
    "Player",
    "Scene",
    "Effect",
]
VERBS = ["Update", "Init", "Get", "Set", "Apply", "Step", "Find", "Draw", "Calc", "Reset", "Spawn", "Load"]
NOUNS = [
    "Pos",
    "Rot",
    "Scale",
    "Speed",
    "Flag",
    "Timer",
    "Target",
    "Shape",
    "Range",
    "State",
    "Color",
    "Anim",
]


def write_headers(root: Path, names: int, rng: random.Random) -> dict[str, list[str]]:
    """Synthetic headers with about `names` symbols; returns the names by kind for the examples."""
    made: dict[str, list] = {"function": [], "macro": [], "struct": []}
    folder = root / "include" / "synth"
    folder.mkdir(parents=True)
    count, header = 0, 0
    while count < names:
        lines = [f"#ifndef SYNTH_{header}_H", f"#define SYNTH_{header}_H", '#include "ultra64.h"', ""]
        subsystem = f"{rng.choice(SUBSYSTEMS)}{header}"
        struct = f"{subsystem}Data"
        fields = [f"{rng.choice(NOUNS).lower()}{i}" for i in range(6)]
        lines.append(f"typedef struct {struct} {{")
        lines += [f"    /* 0x{i * 4:02X} */ s32 {f};" for i, f in enumerate(fields)]
        lines += [f"}} {struct};", ""]
        made["struct"].append((struct, fields))
        count += 1 + len(fields)
        for i in range(40):
            name = f"{subsystem}_{rng.choice(VERBS)}{rng.choice(NOUNS)}{i}"
            lines.append(f"s32 {name}({struct}* data, s32 arg{i}, f32 value);")
            made["function"].append(name)
        for i in range(12):
            macro = f"{subsystem.upper()}_{rng.choice(NOUNS).upper()}_{i}"
            lines.append(f"#define {macro}(x, y) ((x) + (y) * {i})")
            made["macro"].append(macro)
        count += 52
        lines.append("#endif")
        (folder / f"synth_{header:03d}.h").write_text("\n".join(lines) + "\n")
        header += 1
    return made


class Workload:
    """What the examples draw from: a working set of structs and macros, and either a fixed set of
    recurring invented names (models repeat their mistakes) or a new invented name every time."""

    def __init__(self, rng: random.Random, made: dict[str, list], structs: int, hallucinations: int):
        self.rng = rng
        self.made = made
        self.structs = (
            rng.sample(made["struct"], min(structs, len(made["struct"]))) if structs else made["struct"]
        )
        self.hallucinations = [f"{rng.choice(made['function'])}Ex" for _ in range(hallucinations)]

    def invented_name(self) -> str:
        if self.hallucinations:
            return self.rng.choice(self.hallucinations)
        return f"{self.rng.choice(self.made['function'])}Ex{self.rng.randrange(10**6)}"


def make_example(work: Workload, number: int) -> Example:
    """An answer with 3 inline spans and a 20-line C block; one in four uses an invented name."""
    rng, made = work.rng, work.made
    function = rng.choice(made["function"])
    macro = rng.choice(made["macro"])
    struct, fields = rng.choice(work.structs)
    field = rng.choice(fields)
    called = work.invented_name() if number % 4 == 0 else function
    body = [
        f"void EnBench{number}_Update(Actor* thisx, PlayState* play) {{",
        "    EnTest* this = (EnTest*)thisx;",
        f"    {struct}* data = ({struct}*)thisx;",
        "    s32 i;",
        "    f32 dist;",
        "",
        "    dist = Actor_WorldDistXZToActor(&this->actor, play->player);",
        "    for (i = 0; i < ARRAY_COUNT(this->actor.params); i++) {",
        f"        data->{field} += {macro}(i, 2);",
        "    }",
        f"    if ({called}(data, i, dist) != 0) {{",
        "        Math_StepToF(&this->spinSpeed, 0.0f, 0.5f);",
        "    }",
        "    this->actor.rot.y += (s16)this->spinSpeed;",
        "    this->actor.scale.x = CLAMP(dist, 0.0f, 1.0f);",
        "    Matrix_Translate(this->actor.pos.x, this->actor.pos.y, this->actor.pos.z, MTXMODE_NEW);",
        "    if (this->timer > 0) {",
        "        this->timer--;",
        "    }",
        "}",
    ]
    prose = (
        f"Call `{called}()` from the update function, clamp with `CLAMP(x, min, max)` and read "
        f"`this->actor.pos` before moving.\n\n```c\n" + "\n".join(body) + "\n```\n"
    )
    messages = [
        Message(role="user", content="Write an update function."),
        Message(role="assistant", content=prose),
    ]
    return Example.create("bench.names", messages)


def _check_all(examples: list[Example], index: SymbolIndex) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, failed examples) of one pass over the examples."""
    cpu, wall = time.process_time(), time.perf_counter()
    failed = 0
    for example in examples:
        failed += not check_names(code_spans(example), index).passed
    return time.process_time() - cpu, time.perf_counter() - wall, failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--names", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="steady-state runs to take the best of")
    parser.add_argument("--structs", type=int, default=100, help="working set of struct types")
    parser.add_argument("--hallucinations", type=int, default=100, help="recurring invented names")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="modsmith-bench-names-") as tmp:
        root = Path(tmp) / "decomp"
        shutil.copytree(MINI_DECOMP, root)
        made = write_headers(root, args.names, rng)
        started = time.perf_counter()
        index = SymbolIndex.build(root, Path(tmp) / "index.sqlite")
        built = time.perf_counter() - started
        total = sum(index.stats().values())
        files = index.file_count()
        results = {}
        for label, structs, hallucinations in (
            (f"{args.structs} structs in use, {args.hallucinations} recurring invented names", args.structs,
             args.hallucinations),
            ("every struct in use, a new invented name every time", 0, 0),
        ):  # fmt: skip
            work = Workload(rng, made, structs, hallucinations)
            sets = [
                [make_example(work, n + k * args.examples) for n in range(args.examples)]
                for k in range(args.repeat + 1)
            ]
            with SymbolIndex.open(Path(tmp) / "index.sqlite") as fresh:
                started = time.perf_counter()
                check_names([], fresh)  # what a check loads once per index: languages, arity table
                fresh.all_names()
                loaded = time.perf_counter() - started
                cold = _check_all(sets[0], fresh)
                # steady state: the same index, new examples
                warm = [_check_all(examples, fresh) for examples in sets[1:]]
            results[label] = (loaded, cold, warm)
        started = time.perf_counter()
        SymbolIndex.build(root, Path(tmp) / "index.sqlite").close()
        rebuilt = time.perf_counter() - started
        index.close()
    print(
        f"index: {total} symbols in {files} files, built in {built:.2f} s, "
        f"re-index unchanged {rebuilt * 1000:.0f} ms"
    )
    n = args.examples
    for label, (loaded, cold, warm) in results.items():
        cpu = min(r[0] for r in warm)
        wall = min(r[1] for r in warm)
        print(f"\n{label}: {n} examples a run, {cold[2]} with invented names or arity errors")
        print(f"  loading the index for checking: {loaded * 1000:.0f} ms")
        print(f"  first run (fills the per-index caches): {n / cold[0]:,.0f} examples/s of CPU time")
        print(
            f"  steady state, best of {len(warm)} runs of new examples: "
            f"{n / cpu:,.0f} examples/s of CPU time "
            f"({n / wall:,.0f} wall)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
