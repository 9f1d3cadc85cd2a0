"""The asset XML of an OoT decomp (`assets/xml/**/*.xml`): what `make setup` will declare.

The headers that declare a decomp's assets (`assets/objects/object_niw/object_niw.h`, ...) are
written from a ROM by the repo's extractor; only the XML describing them is in git. This module
reads that XML the way the extractor does (`tools/assets` in zeldaret/oot since 2025 and in
HackerOoT; ZAPD before), so that the names and types of every asset are known without a ROM:
which `<File>` of which XML each header comes from (the version's `baseroms/<version>/config.yml`
maps assets to XML files and overlays to their VRAM), where each resource lies in its file
(`asset_resources`), which textures are palettes (TLUTs) and which limbs make up each skeleton's
limb enum (`asset_layout`). The ROM alone
tells display-list lengths and, where the XML does not list them, a skeleton's limbs: the limbs
are then taken from the layout the extractor's sources always have (limbs, then the limb table,
then the skeleton header).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import yaml

from modsmith.errors import ModsmithError
from modsmith.ground.c.asset_layout import assign_limbs, derived_resources, link_palettes
from modsmith.ground.c.asset_resources import (
    ARRAY_ELEMENTS,
    TEXTURE_BITS,
    TOOLS_ASSETS,
    ZAPD,
    AssetEntry,
    AssetFile,
    AssetResource,
    AssetSymbol,
    number,
)

XML_ROOT = "assets/xml"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_C_TYPE = re.compile(r"[A-Za-z_][A-Za-z0-9_ ]*\**")
_C_NAMES = ("Name", "EnumName", "LimbNone", "LimbMax", "Tlut")
#: an asset's name in config.yml: the folder under `assets/` its files go to
_ASSET_NAME = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*")
_NUMBERS = (
    ("Width", 10),
    ("Height", 10),
    ("Count", 10),
    ("Length", 10),
    ("FrameCount", 10),
    ("NumPaths", 10),
)
_HEX_NUMBERS = ("Size", "Offset", "TlutOffset", "ExternalTlutOffset", "BaseAddress", "SkelOffset")


def asset_convention(repo: Path) -> str:
    """`tools/assets` (zeldaret/oot since 2025-05, HackerOoT) or `zapd` (older checkouts)."""
    repo = Path(repo)
    if (repo / TOOLS_ASSETS / "extract").is_dir():
        return TOOLS_ASSETS
    if (repo / "tools" / "ZAPD").is_dir():
        return ZAPD
    return TOOLS_ASSETS


def default_version(repo: Path) -> str | None:
    """The version a plain `make` builds: the Makefile's `VERSION ?= ...`."""
    makefile = Path(repo) / "Makefile"
    if not makefile.is_file():
        return None
    match = re.search(
        r"^VERSION\s*\??=\s*(\S+)", makefile.read_text(encoding="utf-8", errors="replace"), re.M
    )
    return match.group(1) if match else None


def version_config_path(repo: Path, version: str) -> Path:
    return Path(repo) / "baseroms" / version / "config.yml"


def asset_entries(repo: Path, version: str | None) -> list[AssetEntry]:
    """The assets `make setup` extracts for `version`: from its config.yml when there is one, else
    every XML file under assets/xml (as ZAPD-era checkouts did), each named by its path."""
    repo = Path(repo)
    config = version_config_path(repo, version) if version else None
    if config is not None and config.is_file():
        try:
            data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
            entries = [
                AssetEntry(str(a["name"]), str(a["xml_path"]), a.get("start_offset"), a.get("end_offset"))
                for a in data.get("assets") or []
            ]
        except (yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
            where = config.relative_to(repo).as_posix()
            raise ModsmithError(f"unreadable asset list: {str(exc).splitlines()[0]}", where=where) from exc
        for entry in entries:
            _check_entry(entry, config.relative_to(repo).as_posix())
        return entries
    entries = []
    for path in sorted((repo / XML_ROOT).rglob("*.xml")):
        rel = path.relative_to(repo / XML_ROOT).with_suffix("")
        if rel.parts and rel.parts[0] != "audio":
            entries.append(AssetEntry(rel.as_posix(), path.relative_to(repo).as_posix()))
    return entries


def _check_entry(entry: AssetEntry, where: str) -> None:
    """Asset names become folders and XML paths are read: both stay inside the repository."""
    for value in (entry.name, entry.xml_path):
        if not _ASSET_NAME.fullmatch(value) or ".." in value.split("/"):
            raise ModsmithError(
                f"asset path {value!r} leaves the repository or has odd characters", where=where
            )
    for value in (entry.start, entry.end):
        if value is not None and not isinstance(value, int):
            raise ModsmithError(f"asset {entry.name!r}: offsets must be numbers, not {value!r}", where=where)


def read_asset_files(
    repo: Path, version: str | None = None, convention: str | None = None
) -> list[AssetFile]:
    """Every `<File>` the version extracts (version None: every asset XML, all `<Version>` branches)."""
    repo = Path(repo)
    convention = convention or asset_convention(repo)
    vram = _segment_vram(repo, version) if version else {}
    files: list[AssetFile] = []
    for entry in asset_entries(repo, version):
        path = repo / entry.xml_path
        if not path.is_file():
            continue
        root = _parse(path, entry.xml_path)
        if root.tag != "Root":
            continue  # audio and other descriptions that declare no C symbols
        for node in root.children:
            if node.tag == "File" and "Name" in node.attrib:
                files.append(_read_file(entry, node, vram, version))
    link_palettes(files)
    for file in files:
        assign_limbs(file)
        file.derived = derived_resources(file, convention)
    return files


def read_asset_xml(repo: Path, version: str | None = None) -> list[AssetSymbol]:
    """Every name the asset headers declare: each resource `Name`, each limb enum with its members
    (`EnumName`s and the `LIMB_<FILE>_<OFFSET>` defaults, `..._NONE`, `..._MAX`), texture size macros."""
    from modsmith.ground.c.asset_headers import file_symbols  # the declarations are written there

    convention = asset_convention(repo)
    return [symbol for file in read_asset_files(repo, version) for symbol in file_symbols(file, convention)]


# --- reading -------------------------------------------------------------------------------------


@dataclass
class _Node:
    tag: str
    attrib: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)


def _parse(path: Path, rel: str) -> _Node:
    """The XML as a tree with line numbers (ElementTree keeps none)."""
    stack: list[_Node] = []
    top: list[_Node] = []
    parser = expat.ParserCreate()

    def start(tag: str, attrib: dict[str, str]) -> None:
        node = _Node(tag, attrib, parser.CurrentLineNumber)
        (stack[-1].children if stack else top).append(node)
        stack.append(node)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: stack.pop()
    try:
        parser.Parse(path.read_bytes(), True)
    except expat.ExpatError as exc:
        message = f"malformed asset XML: {expat.errors.messages[exc.code]}"
        raise ModsmithError(message, where=f"{rel}:{exc.lineno}") from None
    return top[0]


def _read_file(entry: AssetEntry, node: _Node, vram: dict[str, int], version: str | None) -> AssetFile:
    _check_element(node, ("Name",), entry.xml_path)
    file = AssetFile(entry.name, node.attrib["Name"], entry.xml_path, node.line, [], dict(node.attrib))
    top = entry.name.split("/")[0]
    if entry.start is not None and top in ("code", "n64dd", "overlays"):
        segment = entry.name.split("/")[1] if top == "overlays" else top
        if segment in vram:
            file.vram = vram[segment] + entry.start
    if entry.start is not None and entry.end is not None:
        file.size = entry.end - entry.start
    end: int | None = 0
    for element in _version_elements(node.children, version, entry.xml_path):
        name = element.attrib.get("Name")
        if not name:
            continue
        _check_element(element, _C_NAMES, entry.xml_path)
        resource = AssetResource(element.tag, name, element.line, dict(element.attrib), file.name)
        if element.tag == "Array" and element.children:
            child = element.children[0]
            resource.array_child = _array_element(child)
        resource.offset = _offset(element, end, entry.xml_path)
        size = _safe_size(resource, entry.xml_path)
        end = resource.offset + size if resource.offset is not None and size else None
        file.resources.append(resource)
    file.resources.sort(key=lambda r: (r.offset is None, r.offset or 0))
    return file


def _check_element(node: _Node, keys: tuple[str, ...], rel: str) -> None:
    """Names become C identifiers and file names, numbers sizes: anything else is an XML error."""
    for key in keys:
        value = node.attrib.get(key)
        if value is not None and not _IDENTIFIER.fullmatch(value):
            raise ModsmithError(f"{key}={value!r} is not a C identifier", where=f"{rel}:{node.line}")
    for key, base in (*_NUMBERS, *((k, 16) for k in _HEX_NUMBERS)):
        value = node.attrib.get(key)
        if key == "Offset" and value is not None and value.startswith(".+"):
            value = value[2:]
        try:
            if value is not None:
                number(value, base)
        except ValueError:
            raise ModsmithError(f"{key}={value!r} is not a number", where=f"{rel}:{node.line}") from None
    if node.tag == "Texture" and node.attrib.get("Format", "").lower() not in TEXTURE_BITS:
        raise ModsmithError(
            f"unknown texture Format {node.attrib.get('Format')!r}", where=f"{rel}:{node.line}"
        )
    if node.tag == "Symbol" and not _C_TYPE.fullmatch(node.attrib.get("Type", "u8")):
        raise ModsmithError(f"Type={node.attrib.get('Type')!r} is not a C type", where=f"{rel}:{node.line}")


def _version_elements(nodes: list[_Node], version: str | None, rel: str):
    for node in nodes:
        if node.tag == "Version":
            try:
                wanted = version is None or re.fullmatch(node.attrib.get("Pattern", ""), version)
            except re.error as exc:
                raise ModsmithError(f"bad Version Pattern: {exc}", where=f"{rel}:{node.line}") from None
            if wanted:
                yield from node.children
        else:
            yield node


def _offset(element: _Node, previous_end: int | None, rel: str) -> int | None:
    text = element.attrib.get("Offset")
    try:
        if text is None:
            return previous_end
        if text.startswith(".+"):
            return None if previous_end is None else previous_end + int(text[2:], 16)
        return int(text, 16)
    except ValueError:
        raise ModsmithError(f"Offset {text!r} is not hexadecimal", where=f"{rel}:{element.line}") from None


def _safe_size(resource: AssetResource, rel: str) -> int | None:
    try:
        return resource.size
    except (KeyError, ValueError) as exc:
        raise ModsmithError(
            f"<{resource.tag} Name={resource.name!r}> has a missing or bad attribute ({exc})",
            where=f"{rel}:{resource.line}",
        ) from None


def _array_element(child: _Node) -> str | None:
    kind = child.attrib.get("Type", "s16")
    if child.tag == "Vtx":
        return "Vtx"
    if child.tag == "Vector" and child.attrib.get("Dimensions", "3") == "3":
        return {"s16": "Vec3s", "f32": "Vec3f", "s32": "Vec3i"}.get(kind)
    if child.tag == "Scalar" and kind in ARRAY_ELEMENTS:
        return kind
    return None


def _segment_vram(repo: Path, version: str) -> dict[str, int]:
    path = Path(repo) / "baseroms" / version / "segments.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        try:
            return {
                row["Name"]: int(row["VRAM start"], 16)
                for row in csv.DictReader(handle)
                if row.get("Name") and (row.get("VRAM start") or "").strip()
            }
        except (ValueError, KeyError) as exc:
            where = path.relative_to(repo).as_posix()
            raise ModsmithError(f"unreadable segment table ({exc})", where=where) from None
