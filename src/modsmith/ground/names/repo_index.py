"""The symbol index of one code base as the checks use it: the profile's view of its headers, and for
a decomp whose asset XML is in git the names its asset tools generate (see `symbol_index`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from modsmith.ground.c.profiles import CompileProfile, load_profile
from modsmith.ground.names.symbol_index import SymbolIndex, default_index_path

#: where the names a repo's asset tools generate come from: `assets(repo)` (see `SymbolIndex.build`)
AssetNames = Callable[[Path], Iterable[Any]]


def open_index(
    repo: Path | None,
    index: Path | None,
    profile: CompileProfile | None = None,
    extra_include_dirs: tuple[Path, ...] = (),
    assets: AssetNames | None = None,
) -> SymbolIndex | None:
    """The given index; else the repo's cached index (the profile's, when one is given: see
    `symbol_index`), built or refreshed now (near-instant if unchanged). `extra_include_dirs`:
    folders of generated headers the profile's preprocessor searches after its include roots;
    `assets`: where the names the repo's asset tools generate come from."""
    if index is not None:
        return SymbolIndex.open(index)
    if repo is not None:
        path = default_index_path(repo, profile.name if profile is not None else None)
        return SymbolIndex.build(
            repo, path, profile=profile, extra_include_dirs=extra_include_dirs, assets=assets
        )
    return None


def asset_hooks(
    repo: Path, profile: CompileProfile, extra_dirs: tuple[Path, ...]
) -> tuple[tuple[Path, ...], AssetNames | None]:
    """For a decomp whose asset XML is in git (`assets/xml`): the names its asset tools generate,
    and declaration headers generated from that XML for the profile's version (searched after the
    profile's include roots, by its preprocessor and by the compile check), so code that uses what
    `make setup` extracts is checked without a ROM."""
    if not (repo / "assets" / "xml").is_dir():
        return extra_dirs, None
    from modsmith.ground.c.asset_headers import profile_asset_version, write_asset_headers

    version = profile_asset_version(profile.include_dirs)
    headers = write_asset_headers(repo, version=version)
    return (*extra_dirs, headers.include_dir), asset_names_of_every_version


def asset_names_of_every_version(repo: Path) -> list[Any]:
    """The names of every version: code for another version (`#if` branches the profile's compiler
    skips) names that version's assets, which are real. Reached code is the compiler's to judge."""
    from modsmith.ground.c.asset_xml import read_asset_xml

    return read_asset_xml(repo, None)


def build_repo_index(
    repo: Path,
    output: Path | None,
    profile_name: str | None,
    on_file: Callable[[str, str], None] | None = None,
) -> SymbolIndex:
    """`modsmith index`: the index `modsmith check --repo REPO --profile NAME` uses (at `output`, or
    in the cache), with what the profile's compiler sees and the asset names when a profile is given."""
    profile = load_profile(profile_name) if profile_name else None
    extra_dirs, assets = asset_hooks(Path(repo).resolve(), profile, ()) if profile else ((), None)
    path = output or default_index_path(repo, profile.name if profile is not None else None)
    return SymbolIndex.build(
        repo, path, on_file=on_file, profile=profile, extra_include_dirs=extra_dirs, assets=assets
    )
