"""Checking many C snippets fast: a precompiled header and parallel compiler runs.

The profile's `pch_includes` (those present in the repo) are precompiled once per repository
state and profile into `$MODSMITH_CACHE/pch/<key>/` (`gcc <same flags> -x c-header modsmith_pch.h
-o modsmith_pch.h.gch`); the key hashes the compiler and its version, the profile's flags, and the
content of every header the precompiled header depends on (as `gcc -M` lists them), so an edited
header gives a new one. A probe with `-H` checks that the compiler really loads it (`! ...gch`);
when it does not (refused flags, a compiler without PCH support) checks run without one, with
the same results, only slower.

Snippets that cannot affect one another are checked several to a compiler run (`c_batch`), which
saves the compiler start and header load per snippet, and each result is still the one a lone check
gives. Work is spread over threads: each check spends its time in a compiler subprocess, so threads
run the compilers in parallel without the start-up and pickling costs of worker processes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tree_sitter import Parser

from modsmith.code.c_symbols import iter_c_symbols
from modsmith.code.languages import c_language
from modsmith.ground.c.c_batch import check_batch
from modsmith.ground.c.c_batch_members import BatchItem, HeaderNames, batch_item, fits, macro_shapes
from modsmith.ground.c.c_diagnostics import CCompileResult
from modsmith.ground.c.compile_c import (
    c_compile_check,
    compiler_argv,
    include_roots,
    precompiled_headers,
)
from modsmith.ground.c.profiles import CompileProfile
from modsmith.ground.sandbox import SandboxLimits, oversize, run_compiler, scratch_dir

PCH_NAME = "modsmith_pch.h"
NAMES_FILE = "names.json"
_BUILD_LIMITS = SandboxLimits(cpu_seconds=120, wall_seconds=180, memory_mb=4096, file_mb=512)


class CCheckPool:
    """Checks C snippets against one repo and profile, in parallel, with a precompiled header."""

    def __init__(
        self,
        repo: Path,
        profile: CompileProfile,
        workers: int | None = None,
        limits: SandboxLimits | None = None,
        *,
        use_pch: bool = True,
        batch_size: int = 16,
        cache_dir: Path | None = None,
    ):
        self.repo = Path(repo).resolve()
        self.profile = profile
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.limits = limits or SandboxLimits()
        self.compiler = profile.compiler_path()  # a missing compiler is an error now, not once per snippet
        self.batch_size = 1 if profile.is_clang() else max(1, batch_size)
        self.pch: Path | None = None
        self.pch_note = "precompiled header not requested"
        if use_pch:
            self.pch, self.pch_note = build_pch(self.repo, profile, cache_dir=cache_dir)
        self._pch_headers = precompiled_headers(self.pch) if self.pch else ()
        self._roots = include_roots(self.repo, profile, self.repo, None)
        self._known = header_names(self.repo, profile, cache_dir=cache_dir) if self.batch_size > 1 else None
        if self._known is None:
            self.batch_size = 1  # without the headers' names, independent snippets cannot be told apart
        #: compiler runs for one snippet, runs for a batch, snippets whose result came from a batch,
        #: and batch members checked again alone (see `c_batch` for when)
        self.stats = {"single_runs": 0, "batch_runs": 0, "batched": 0, "rechecked_alone": 0}
        self._lock = threading.Lock()

    def check(self, snippet: str, file_name: str = "snippet.c") -> CCompileResult:
        """Check one snippet (with the pool's precompiled header)."""
        self._count("single_runs")
        return c_compile_check(
            snippet, self.repo, self.profile, limits=self.limits, file_name=file_name, pch=self.pch
        )

    def _count(self, key: str, n: int = 1) -> None:
        with self._lock:
            self.stats[key] += n

    def check_many(self, snippets: Iterable[str]) -> Iterator[CCompileResult]:
        """Results in input order, each as `check` gives it; input is read a window at a time."""
        window_size = 4 * self.batch_size * self.workers
        with ThreadPoolExecutor(self.workers, thread_name_prefix="modsmith-c-check") as pool:
            window: list[str] = []
            for snippet in snippets:
                window.append(snippet)
                if len(window) == window_size:
                    yield from self._check_window(window, pool)
                    window = []
            yield from self._check_window(window, pool)

    def _check_window(self, snippets: list[str], pool: ThreadPoolExecutor) -> Iterator[CCompileResult]:
        batches: list[list[tuple[int, BatchItem]]] = []
        alone: list[int] = []
        for position, snippet in enumerate(snippets):
            batchable = self._known is not None and oversize(snippet, self.limits) is None
            item = batch_item(snippet, self.profile, self._roots, self._known) if batchable else None
            if item is None:
                alone.append(position)
                continue
            batch = next(
                (b for b in batches if len(b) < self.batch_size and fits([i for _, i in b], item)), None
            )
            if batch is None:
                batches.append([(position, item)])
            else:
                batch.append((position, item))
        futures = {}
        for batch in batches:
            if len(batch) == 1:
                alone.append(batch[0][0])
                continue
            future = pool.submit(self._check_batch, [snippets[p] for p, _ in batch], [i for _, i in batch])
            for offset, (position, _) in enumerate(batch):
                futures[position] = (future, offset)
        for position in sorted(alone):
            futures[position] = (pool.submit(self.check, snippets[position]), None)
        for position in range(len(snippets)):
            future, offset = futures[position]
            yield future.result() if offset is None else future.result()[offset]

    def _check_batch(self, snippets: list[str], items: list[BatchItem]) -> list[CCompileResult]:
        results, runs = check_batch(
            items,
            self.repo,
            self.profile,
            compiler=self.compiler,
            pch=self.pch,
            pch_headers=self._pch_headers,
            limits=self.limits,
        )
        self._count("batch_runs", runs)
        self._count("batched", sum(r is not None for r in results))
        self._count("rechecked_alone", sum(r is None for r in results))
        return [
            result if result is not None else self.check(snippet)
            for snippet, result in zip(snippets, results, strict=True)
        ]


def build_pch(
    repo: Path, profile: CompileProfile, *, cache_dir: Path | None = None
) -> tuple[Path | None, str]:
    """A precompiled header of the profile's `pch_includes` that the compiler loads, and a note.

    Returns (path of `modsmith_pch.h`, whose `.gch` sits beside it, "...") or (None, why not).
    """
    if profile.is_clang():
        return None, "precompiled headers are only used with gcc"
    headers = _header_set(Path(repo).resolve(), profile, profile.precompiled, cache_dir)
    if isinstance(headers, str):
        return None, headers
    pch = headers.dir / PCH_NAME
    if not (headers.dir / f"{PCH_NAME}.gch").is_file():
        note = _build_into(headers.dir, headers, ["-x", "c-header", PCH_NAME, "-o", f"{PCH_NAME}.gch"])
        if note:
            return None, f"the compiler could not build the precompiled header: {note}"
    if not pch_loads(repo, profile, pch):
        (headers.dir / f"{PCH_NAME}.gch").unlink(missing_ok=True)
        return None, "the compiler did not load the precompiled header (checks run without it)"
    return pch, f"precompiled header of {len(headers.headers)} headers"


def header_names(repo: Path, profile: CompileProfile, *, cache_dir: Path | None = None) -> HeaderNames | None:
    """Every name the standard includes declare or define as this profile preprocesses them, or None.

    Functions, variables, typedefs, enum constants (tree-sitter over the preprocessed headers) and
    macros (`-dM`); struct/union/enum tags declared at file scope apart. Cached beside the
    precompiled header.
    """
    headers = _header_set(Path(repo).resolve(), profile, profile.standard_includes, cache_dir)
    if isinstance(headers, str):
        return None
    cached = headers.dir / NAMES_FILE
    if not cached.is_file():
        note = _build_into(
            headers.dir,
            headers,
            ["-E", "-P", "-x", "c", PCH_NAME, "-o", "prelude.i"],
            ["-E", "-dM", "-x", "c", PCH_NAME, "-o", "macros.txt"],
            keep=("prelude.i", "macros.txt"),
        )
        if note:
            return None
        names, tags = _declared_in(headers.dir / "prelude.i", headers.dir / "macros.txt")
        defines = (headers.dir / "macros.txt").read_text(encoding="utf-8", errors="replace")
        data = {
            "names": sorted(names),
            "tags": sorted(tags),
            "macro_names": sorted(set(re.findall(r"^#define (\w+)", defines, re.M))),
            "macro_shapes": dict(sorted(macro_shapes(defines).items())),
        }
        _write_atomic(cached, json.dumps(data))
        for name in ("prelude.i", "macros.txt"):
            (headers.dir / name).unlink(missing_ok=True)
    data = json.loads(cached.read_text(encoding="utf-8"))
    return HeaderNames(
        names=frozenset(data["names"]),
        tags=frozenset(data["tags"]),
        macros=frozenset(data["macro_names"]),
        shapes={name: tuple(shape) for name, shape in data["macro_shapes"].items()},
    )


@dataclass
class _HeaderSet:
    """Headers as this profile reads them in this repo state; `dir` is their cache directory."""

    headers: list[str]
    text: str
    argv: list[str]
    dir: Path


def _header_set(
    repo: Path, profile: CompileProfile, wanted: list[str], cache_dir: Path | None
) -> _HeaderSet | str:
    """The headers of `wanted` present in the repo and their cache key; a string says why not."""
    compiler = profile.compiler_path()
    roots = include_roots(repo, profile, repo, None)
    headers = [h for h in wanted if any((root / h).is_file() for root in roots.include_dirs)]
    if not headers:
        return "none of the profile's headers is in the repository"
    text = "".join(f'#include "{h}"\n' for h in headers)
    argv = [a for a in compiler_argv(compiler, profile, repo) if a != "-fsyntax-only"]
    dependencies = _dependencies(argv, text)
    if dependencies is None:
        return "the headers do not preprocess cleanly"
    key = hashlib.sha256()
    for part in (compiler, _compiler_version(compiler), *argv[1:], text):
        key.update(part.encode() + b"\0")
    for dep in dependencies:
        key.update(dep.encode() + b"\0" + _file_digest(dep) + b"\0")
    return _HeaderSet(headers, text, argv, (cache_dir or _default_cache()) / key.hexdigest()[:20])


def _build_into(
    target: Path, headers: _HeaderSet, *commands: list[str], keep: tuple[str, ...] = ()
) -> str | None:
    """Run compiler `commands` on the header file in a staging dir, then move what they made into
    `target` (the `.gch` and the files in `keep`); None on success, else the first error."""
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=target))
    try:
        (staging / PCH_NAME).write_text(headers.text, encoding="utf-8")
        for command in commands:
            run = run_compiler([*headers.argv, *command], staging, _BUILD_LIMITS)
            output = command[command.index("-o") + 1]
            if run.returncode != 0 or not (staging / output).is_file():
                return next((line for line in run.output.splitlines() if "error" in line), run.output[:200])
        for made in [f"{PCH_NAME}.gch", *keep, PCH_NAME]:
            if (staging / made).is_file():
                os.replace(staging / made, target / made)
        return None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _declared_in(preprocessed: Path, macros: Path) -> tuple[set[str], set[str]]:
    """(ordinary names, tags) declared at file scope by preprocessed headers and their macros."""
    source = preprocessed.read_bytes()
    tree = Parser(c_language()).parse(source)
    names = {s.name for s in iter_c_symbols(tree.root_node, source, index_extras=True) if s.kind != "field"}
    names.update(re.findall(r"^#define (\w+)", macros.read_text(encoding="utf-8", errors="replace"), re.M))
    tags: set[str] = set()
    stack = list(tree.root_node.children)
    while stack:  # not into parameter lists (prototype scope) or bodies (block scope)
        node = stack.pop()
        if node.type in ("parameter_list", "compound_statement"):
            continue
        if node.type == "type_definition":
            names.update(
                d.text.decode(errors="replace")
                for d in node.children_by_field_name("declarator")
                if d.type == "type_identifier"
            )
        if node.type in ("struct_specifier", "union_specifier", "enum_specifier"):
            name = node.child_by_field_name("name")
            if name is not None:
                tags.add(name.text.decode(errors="replace"))
        stack.extend(node.children)
    return names, tags


def _write_atomic(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def pch_loads(repo: Path, profile: CompileProfile, pch: Path) -> bool:
    """Whether the compiler loads `pch` (its `-H` output marks a used precompiled header with `!`)."""
    return any(line.startswith("! ") and line.endswith(".gch") for line in pch_probe(repo, profile, pch))


def pch_probe(repo: Path, profile: CompileProfile, pch: Path) -> list[str]:
    """The `-H` lines of a check of an empty file with `pch`, host paths hidden."""
    compiler = profile.compiler_path()
    argv = [*compiler_argv(compiler, profile, Path(repo).resolve(), pch=pch), "-H", "probe.c"]
    with scratch_dir("modsmith-pch-probe-") as work:
        (work / "probe.c").write_text("int modsmith_probe;\n", encoding="utf-8")
        run = run_compiler(argv, work, _BUILD_LIMITS, {str(pch.parent): "<pch>", str(repo): "<repo>"})
    return [line for line in run.output.splitlines() if line[:1] in ("!", "x", ".")]


def _dependencies(argv: list[str], header_text: str) -> list[str] | None:
    """Every file the precompiled header reads, as `gcc -M` lists them (absolute paths)."""
    with scratch_dir("modsmith-pch-deps-") as work:
        (work / PCH_NAME).write_text(header_text, encoding="utf-8")
        run = run_compiler([*argv, "-M", "-MF", "deps.d", "-x", "c", PCH_NAME], work, _BUILD_LIMITS)
        deps = work / "deps.d"
        if run.returncode != 0 or not deps.is_file():
            return None
        text = deps.read_text(encoding="utf-8", errors="surrogateescape").replace("\\\n", " ")
    _, _, files = text.partition(":")
    paths = [p.replace("\\ ", " ") for p in re.split(r"(?<!\\)\s+", files.strip()) if p]
    return sorted(p for p in paths if p != PCH_NAME)


def _file_digest(path: str) -> bytes:
    try:
        return hashlib.sha256(Path(path).read_bytes()).digest()
    except OSError:
        return b"missing"


@functools.cache
def _compiler_version(compiler: str) -> str:
    done = subprocess.run(
        [compiler, "--version"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )
    return done.stdout.strip()


def _default_cache() -> Path:
    root = os.environ.get("MODSMITH_CACHE")
    return (Path(root) if root else Path.home() / ".cache" / "modsmith") / "pch"
