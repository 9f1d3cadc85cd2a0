"""Benchmark of the C compile check: naive (one plain check per snippet, no precompiled header, one
worker) against modsmith's pool (precompiled header + parallel workers), in the same run.

It writes a synthetic decomp-like tree (about 200 headers and several thousand declarations:
structs, enums, prototypes, macros, GBI-style statement macros, nested includes under a
`global.h` umbrella, one header per actor) and 200 actor-like snippets, most valid and some with
the classic mistakes, then prints snippets/s for both ways and their ratio. Everything it writes
is generated here; nothing comes from a real decomp.

    python benchmarks/bench_check.py [--snippets 200] [--workers N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from modsmith.ground.c.c_check_pool import CCheckPool
from modsmith.ground.c.compile_c import c_compile_check
from modsmith.ground.c.profiles import CompileProfile
from modsmith.ground.sandbox import SandboxLimits

WORDS = [
    "Bird",
    "Rock",
    "Door",
    "Fish",
    "Lamp",
    "Box",
    "Owl",
    "Crab",
    "Bell",
    "Tree",
    "Gate",
    "Wolf",
    "Star",
    "Leaf",
    "Moth",
    "Pot",
    "Sign",
    "Flag",
    "Drum",
    "Seed",
]
FLAGS = [
    "-nostdinc",
    "-fno-builtin",
    "-funsigned-char",
    "-m32",
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
    "-Wno-unused-variable",
    "-Wno-missing-braces",
    "-Werror=implicit-int",
    "-Werror=implicit-function-declaration",
    "-Werror=int-conversion",
    "-Werror=incompatible-pointer-types",
]


def write_tree(root: Path, rng: random.Random) -> dict:
    """The synthetic code base; returns the names snippets may use."""
    inc = root / "include"
    (inc / "ultra64").mkdir(parents=True)
    (root / "src").mkdir()
    (inc / "ultra64" / "types.h").write_text(
        "#ifndef ULTRA64_TYPES_H\n#define ULTRA64_TYPES_H\n"
        + "".join(
            f"typedef {c} {n};\n"
            for n, c in [
                ("s8", "signed char"),
                ("u8", "unsigned char"),
                ("s16", "short"),
                ("u16", "unsigned short"),
                ("s32", "int"),
                ("u32", "unsigned int"),
                ("s64", "long long"),
                ("u64", "unsigned long long"),
                ("f32", "float"),
                ("f64", "double"),
            ]
        )
        + "#define NULL ((void*)0)\n#endif\n"
    )
    gbi = [
        "#ifndef ULTRA64_GBI_H",
        "#define ULTRA64_GBI_H",
        '#include "ultra64/types.h"',
        "typedef struct { u32 w0; u32 w1; } Gfx;",
        "typedef struct { s32 m[4][4]; } Mtx;",
    ]
    for i in range(400):
        gbi.append(f"#define G_CMD_{i} 0x{i:04X}")
    for i in range(150):
        gbi.append(
            f"#define gsDPOp{i}(pkt, a, b) do {{ Gfx* _g = (Gfx*)(pkt); _g->w0 = ((u32)G_CMD_{i} << 24) | "
            f"((u32)(a) & 0xFFFF); _g->w1 = (u32)(b); }} while (0)"
        )
    gbi.append("#endif")
    (inc / "ultra64" / "gbi.h").write_text("\n".join(gbi) + "\n")
    for k in range(8):
        lines = [f"#ifndef ULTRA64_OS{k}_H", f"#define ULTRA64_OS{k}_H", '#include "ultra64/types.h"']
        for j in range(6):
            lines += _struct(f"OSThing{k}_{j}", rng, 6, ("s16", "u32", "f32", "u8"))
        lines += [f"s32 osCall{k}_{j}(OSThing{k}_{j % 6}* thing, u32 arg);" for j in range(25)]
        lines.append("#endif")
        (inc / "ultra64" / f"os{k}.h").write_text("\n".join(lines) + "\n")
    (inc / "ultra64.h").write_text(
        "#ifndef ULTRA64_H\n#define ULTRA64_H\n"
        + "".join(f'#include "ultra64/{n}.h"\n' for n in ["types", "gbi"])
        + "".join(f'#include "ultra64/os{k}.h"\n' for k in range(8))
        + "#endif\n"
    )
    core = [
        "#ifndef Z64CORE_H",
        "#define Z64CORE_H",
        '#include "ultra64.h"',
        "typedef struct Vec3f { f32 x, y, z; } Vec3f;",
        "typedef struct Vec3s { s16 x, y, z; } Vec3s;",
        "typedef struct GraphicsContext { Gfx* polyOpa; Gfx* polyXlu; u32 frames; } GraphicsContext;",
        "typedef struct Actor { s16 id; u8 category; u32 flags; Vec3f pos; Vec3s rot; Vec3f scale; f32 speed;"
        " struct Actor* parent; } Actor;",
        "typedef struct PlayState { GraphicsContext* gfxCtx; s16 sceneId; Actor* player; u32 frames; }"
        " PlayState;",
        "#define CLAMP(x, lo, hi) ((x) < (lo) ? (lo) : (x) > (hi) ? (hi) : (x))",
        "#define ABS(x) ((x) >= 0 ? (x) : -(x))",
        "#endif",
    ]
    (inc / "z64core.h").write_text("\n".join(core) + "\n")
    functions: list[tuple[str, str]] = []  # (name, argument list to call it with)
    subsystems = [f"z64sys{k:02d}" for k in range(45)]
    for k, name in enumerate(subsystems):
        lines = [f"#ifndef {name.upper()}_H", f"#define {name.upper()}_H", '#include "z64core.h"']
        if k:
            lines.append(f'#include "{subsystems[k - 1]}.h"')
        for j in range(8):
            lines += _struct(f"Sys{k}Data{j}", rng, rng.randint(4, 14))
        lines.append(
            f"typedef enum Sys{k}Mode {{ "
            + ", ".join(f"SYS{k}_MODE_{m}" for m in range(20))
            + f" }} Sys{k}Mode;"
        )
        for j in range(30):
            fname = f"Sys{k}_{rng.choice(WORDS)}{j}"
            lines.append(f"s32 {fname}(PlayState* play, Actor* actor, f32 value, s16 mode);")
            functions.append((fname, "play, thisx, 1.0f, 2"))
        lines += [f"#define SYS{k}_FLAG_{m} (1 << {m % 31})" for m in range(20)]
        lines += [f"#define SYS{k}_SCALE{m}(v) ((v) * {m + 1}.0f)" for m in range(6)]
        lines.append("#endif")
        (inc / f"{name}.h").write_text("\n".join(lines) + "\n")
    lines = ["#ifndef FUNCTIONS_H", "#define FUNCTIONS_H", '#include "z64core.h"']
    for j in range(1500):
        fname = f"Func_{rng.choice(WORDS)}{j}"
        lines.append(f"void {fname}(Actor* actor, PlayState* play);")
        functions.append((fname, "thisx, play"))
    lines.append("#endif")
    (inc / "functions.h").write_text("\n".join(lines) + "\n")
    lines = ["#ifndef VARIABLES_H", "#define VARIABLES_H", '#include "z64core.h"']
    lines += [f"extern {rng.choice(['s32', 'f32', 'u16', 'Vec3f'])} gVar{j};" for j in range(500)]
    lines.append("#endif")
    (inc / "variables.h").write_text("\n".join(lines) + "\n")
    (inc / "global.h").write_text(
        '#ifndef GLOBAL_H\n#define GLOBAL_H\n#include "ultra64.h"\n#include "z64core.h"\n'
        + "".join(f'#include "{n}.h"\n' for n in subsystems)
        + '#include "functions.h"\n#include "variables.h"\n#endif\n'
    )
    actors = []
    for a in range(140):
        name = f"En{WORDS[a % len(WORDS)]}{a}"
        folder = root / "src" / "overlays" / "actors" / f"ovl_{name}"
        folder.mkdir(parents=True)
        fields = "".join(
            f"    {rng.choice(['s16', 'f32', 's32', 'Vec3f'])} field{j};\n" for j in range(rng.randint(4, 12))
        )
        (folder / f"z_{name.lower()}.h").write_text(
            f'#ifndef Z_{name.upper()}_H\n#define Z_{name.upper()}_H\n#include "global.h"\nstruct {name};\n'
            f"typedef void (*{name}ActionFunc)(struct {name}* this, PlayState* play);\n"
            f"typedef struct {name} {{\n    Actor actor;\n    {name}ActionFunc actionFunc;\n"
            f"{fields}}} {name};\n"
            + "".join(f"void {name}_Step{j}({name}* this, PlayState* play);\n" for j in range(3))
            + "#endif\n"
        )
        actors.append(name)
    headers = sum(1 for _ in root.rglob("*.h"))
    declarations = sum(p.read_text().count(";") + p.read_text().count("#define") for p in root.rglob("*.h"))
    return {"functions": functions, "actors": actors, "headers": headers, "declarations": declarations}


def _struct(
    name: str, rng: random.Random, fields: int, types=("s16", "f32", "s32", "u8", "Vec3f", "Vec3s")
) -> list[str]:
    members = " ".join(f"{rng.choice(types)} m{j};" for j in range(fields))
    return [f"typedef struct {name} {{ {members} }} {name};"]


def make_snippets(count: int, names: dict, rng: random.Random) -> list[str]:
    """Actor-like functions: most valid, some with an invented call, member, macro arity or syntax error."""
    snippets = []
    for i in range(count):
        calls = "".join(f"    {f}({args});\n" for f, args in rng.sample(names["functions"], 6))
        body = (
            f"    f32 dist = thisx->pos.x - play->player->pos.x;\n{calls}"
            f"    thisx->speed = CLAMP(dist, -4.0f, 4.0f);\n"
            f"    thisx->rot.y += (s16)ABS(dist);\n"
            f"    if (play->frames % 4 == 0) {{\n        thisx->scale.x = 0.01f;\n    }}\n"
        )
        mistake = i % 8
        if mistake == 1:
            body += "    Actor_InventedHelper(thisx, play);\n"
        elif mistake == 3:
            body += "    thisx->worldPos.x = 0.0f;\n"
        elif mistake == 5:
            body += "    thisx->speed = CLAMP(dist, 4.0f);\n"
        elif mistake == 7:
            body += "    thisx->speed = 1.0f\n"
        snippets.append(f"void EnBench{i}_Update(Actor* thisx, PlayState* play) {{\n{body}}}\n")
    return snippets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snippets", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--breakdown", action="store_true", help="also time PCH alone and PCH + workers")
    parser.add_argument("--keep", type=Path, help="write the tree here and keep it")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="modsmith-bench-"))
    repo = args.keep or work / "decomp"
    try:
        rng = random.Random(1234)
        if repo.exists():
            shutil.rmtree(repo)
        names = write_tree(repo, rng)
        snippets = make_snippets(args.snippets, names, rng)
        profile = CompileProfile(
            name="bench",
            std="gnu90",
            flags=FLAGS,
            defines=["_LANGUAGE_C"],
            include_dirs=["include", "src"],
            standard_includes=["global.h"],
        )
        limits = SandboxLimits()
        print(
            f"tree: {names['headers']} headers, {names['declarations']} declarations; "
            f"{len(snippets)} snippets; {os.cpu_count()} CPUs, modsmith workers: {args.workers}"
        )

        start = time.perf_counter()
        naive = [c_compile_check(s, repo, profile, limits=limits) for s in snippets]
        naive_rate = len(snippets) / (time.perf_counter() - start)
        print(f"naive:    {naive_rate:7.1f} snippets/s  (one plain check per snippet, no PCH, 1 worker)")

        os.environ["MODSMITH_CACHE"] = str(work / "cache")  # a cold cache: set-up builds everything
        start = time.perf_counter()
        pool = CCheckPool(repo, profile, workers=args.workers, limits=limits)
        setup_s = time.perf_counter() - start
        fast = list(pool.check_many(snippets))
        fast_rate = len(snippets) / (time.perf_counter() - start)
        print(
            f"modsmith: {fast_rate:7.1f} snippets/s  (PCH + batches + {pool.workers} workers; "
            f"incl. {setup_s:.2f} s cold set-up; {pool.pch_note}; runs: {pool.stats})"
        )
        print(f"ratio:    {fast_rate / naive_rate:7.1f}x")
        if args.breakdown:
            for workers in (1, args.workers):
                part = CCheckPool(repo, profile, workers=workers, limits=limits, batch_size=1)
                start = time.perf_counter()
                list(part.check_many(snippets))
                rate = len(snippets) / (time.perf_counter() - start)
                print(f"  PCH + {workers} worker(s), no batches: {rate:7.1f} snippets/s")
        same = sum(
            a.model_dump(exclude={"pch_used"}) == b.model_dump(exclude={"pch_used"})
            for a, b in zip(naive, fast, strict=True)
        )
        classes: dict[str, int] = {}
        for result in fast:
            classes[result.failure_class or "passed"] = classes.get(result.failure_class or "passed", 0) + 1
        print(f"results identical to naive: {same}/{len(snippets)}; classes: {dict(sorted(classes.items()))}")
        if same != len(snippets):
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
