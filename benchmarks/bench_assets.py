"""How many real actor and effect files compile without a ROM, with and without the asset headers
modsmith generates from the asset XML (`modsmith.ground.c.asset_headers`).

For a decomp checkout (zeldaret/oot, HackerOoT: get them yourself, never commit their code) it
syntax-checks every `src/overlays/{actors,effects}/*/*.c` (`.inc.c` fragments are checked inside
the file that includes them) with the compiler, flags, defines and include roots of a shipped
profile, once as the checkout is and once with `-I<generated headers>` first on the include path,
and prints the pass counts, the generation time (cold and cached) and, for every file that still
fails, its first error. Then, to show the declared types are the real ones, it swaps
`SkelAnime_Init` and `SkelAnime_InitFlex` in every passing file that calls one of them and counts
how many of these mutants the compiler rejects (a loose `u8 x[]` stub would let them all pass).

    python benchmarks/bench_assets.py REPO --profile oot-gc-eu-mq-dbg [--jobs N] [--quiet]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from modsmith.ground.c.asset_headers import profile_asset_version, write_asset_headers
from modsmith.ground.c.profiles import load_profile


def compile_command(profile, extra_includes: list[str]) -> list[str]:
    command = [profile.compiler_path(), "-fsyntax-only", "-nostdinc", f"-std={profile.std}", *profile.flags]
    command += [f"-D{d}" for d in profile.defines]
    command += [f"-I{d}" for d in [*extra_includes, *profile.include_dirs]]
    return command


def first_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if "error" in line]
    return (lines or stderr.splitlines() or ["(no output)"])[0][:200]


def check_all(repo: Path, files: list[str], command: list[str], jobs: int) -> dict[str, str | None]:
    """file -> None when it compiles, else its first error."""

    def one(rel: str) -> tuple[str, str | None]:
        done = subprocess.run([*command, rel], cwd=repo, capture_output=True, text=True, errors="replace")
        return rel, None if done.returncode == 0 else first_error(done.stderr)

    with ThreadPoolExecutor(jobs) as pool:
        return dict(pool.map(one, files))


_SKEL_INIT = re.compile(r"\bSkelAnime_Init(Flex)?\(")


def swap_skeleton_inits(text: str) -> str:
    return _SKEL_INIT.sub(lambda m: "SkelAnime_Init(" if m.group(1) else "SkelAnime_InitFlex(", text)


def check_mutants(
    repo: Path, files: list[str], command: list[str], jobs: int, scratch: Path
) -> tuple[list[str], int]:
    """(mutants the compiler accepts, mutants): each file with its skeleton inits swapped, compiled
    from a scratch copy that still finds the original's neighbouring headers (`-iquote`)."""
    mutants = []
    for rel in files:
        text = (repo / rel).read_text(encoding="utf-8", errors="replace")
        if _SKEL_INIT.search(text):
            target = scratch / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(swap_skeleton_inits(text), encoding="utf-8")
            mutants.append((rel, target))

    def accepted(item: tuple[str, Path]) -> bool:
        rel, target = item
        argv = [*command, f"-iquote{(repo / rel).parent}", str(target)]
        return subprocess.run(argv, cwd=repo, capture_output=True).returncode == 0

    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(accepted, mutants))
    return [rel for (rel, _), ok in zip(mutants, results, strict=True) if ok], len(mutants)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--quiet", action="store_true", help="do not list the files that fail")
    args = parser.parse_args()
    repo = args.repo.resolve()
    profile = load_profile(args.profile)
    version = profile_asset_version(profile.include_dirs)
    files = sorted(
        p.relative_to(repo).as_posix()
        for pattern in ("src/overlays/actors/*/*.c", "src/overlays/effects/*/*.c")
        for p in repo.glob(pattern)
        if not p.name.endswith(".inc.c")
    )
    with tempfile.TemporaryDirectory(prefix="bench-assets-") as cache:
        start = time.perf_counter()
        headers = write_asset_headers(repo, Path(cache), version)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        again = write_asset_headers(repo, Path(cache), version)
        warm = time.perf_counter() - start
        assert again.reused and again.include_dir == headers.include_dir
        start = time.perf_counter()
        without = check_all(repo, files, compile_command(profile, []), args.jobs)
        plain_s = time.perf_counter() - start
        start = time.perf_counter()
        generated_command = compile_command(profile, [str(headers.include_dir)])
        with_gen = check_all(repo, files, generated_command, args.jobs)
        gen_s = time.perf_counter() - start
        passing = [f for f, error in with_gen.items() if error is None]
        accepted, mutants = check_mutants(
            repo, passing, generated_command, args.jobs, Path(cache) / "mutants"
        )
    passed_without = sum(error is None for error in without.values())
    passed_with = sum(error is None for error in with_gen.values())
    print(f"repo {repo} profile {profile.name} version {version} convention {headers.convention}")
    print(f"asset headers: {len(headers.headers)} generated, {len(headers.committed)} committed left alone")
    print(f"generation: cold {cold:.2f} s, cached {warm:.3f} s")
    print(f"files: {len(files)}")
    print(f"compile passed without generated headers: {passed_without}/{len(files)} ({plain_s:.1f} s)")
    print(
        f"compile passed with generated headers:    {passed_with}/{len(files)} ({gen_s:.1f} s, "
        f"{len(files) / gen_s:.1f} files/s on {args.jobs} jobs)"
    )
    print(
        f"SkelAnime_Init <-> SkelAnime_InitFlex swapped: {mutants - len(accepted)}/{mutants} mutants rejected"
    )
    for rel in accepted:  # e.g. the skeleton reaches the call as `void*`: no asset type to check
        print(f"  accepted (no asset type at the call): {rel}")
    failures = {f: e for f, e in with_gen.items() if e is not None}
    if failures and not args.quiet:
        print("still failing:")
        for rel, error in failures.items():
            print(f"  {rel}: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
