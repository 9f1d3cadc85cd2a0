"""How the extractor declares each asset resource, under each convention (`tools/assets` or ZAPD,
see `asset_xml.asset_convention`): its C type and array length (`Gfx x[]`, `u64 x[TEX_LEN(u64,
X_WIDTH, X_HEIGHT, 16)]` with its `_WIDTH`/`_HEIGHT` macros, `SkeletonHeader` vs
`FlexSkeletonHeader`), the header that defines that type, whether it is `static`, a skeleton's
limb enum, and the file its data is written to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from modsmith.ground.c.asset_resources import (
    ARRAY_ELEMENTS,
    TOOLS_ASSETS,
    ZAPD,
    AssetFile,
    AssetResource,
    number,
)


@dataclass
class Declaration:
    """How one resource is declared: `extern <c_type> <name><array>;` plus lines before it."""

    c_type: str
    array: str | None = None  # None: not an array; "": `[]`; else the length expression
    includes: tuple[str, ...] = ()
    before: list[str] = field(default_factory=list)

    def base(self, name: str) -> str:
        return f"{self.c_type} {name}" + ("" if self.array is None else f"[{self.array}]")

    def shown_type(self) -> str:
        return self.c_type + ("" if self.array is None else f"[{self.array}]")


def is_static(r: AssetResource, file: AssetFile, convention: str) -> bool:
    """tools/assets: everything in an overlay's own file. ZAPD: `Static="On"`, or by default in
    overlays (extracted with `--static`)."""
    if convention == TOOLS_ASSETS:
        return file.is_static
    if r.tag == "Symbol":
        return False
    owner = r.parent or r
    return owner.attrib.get("Static", "Global") == "On" or (
        owner.attrib.get("Static", "Global") == "Global" and file.asset.startswith("overlays/")
    )


def inc_c_path(resource: AssetResource, file: AssetFile, convention: str = TOOLS_ASSETS) -> str:
    """Where the extractor writes a resource's data (`assets/.../sTex.i8.inc.c`)."""
    return f"assets/{file.asset}/{_stem(resource, file, convention)}.inc.c"


_SCALARS = {
    "Mtx": ("Mtx", "ultra64.h"),
    "Collision": ("CollisionHeader", "bgcheck.h"),
    "Animation": ("AnimationHeader", "animation.h"),
    "PlayerAnimation": ("LinkAnimationHeader", "animation.h"),
    "LegacyAnimation": ("LegacyAnimationHeader", "animation_legacy.h"),
    "CurveAnimation": ("CurveAnimationHeader", "curve.h"),
}
_ARRAYS = {
    "Cutscene": ("CutsceneData", "cutscene.h"),
    "Scene": ("SceneCmd", "scene.h"),
    "Room": ("SceneCmd", "scene.h"),
    "Path": ("Path", "path.h"),
    "Blob": ("u8", "ultra64.h"),
}
_LIMBS = {
    "Standard": ("StandardLimb", "animation.h"),
    "LOD": ("LodLimb", "animation.h"),
    "Skin": ("SkinLimb", "skin.h"),
    "Legacy": ("LegacyLimb", "animation_legacy.h"),
    "Curve": ("SkelCurveLimb", "curve.h"),
}


def declare(r: AssetResource, file: AssetFile, convention: str) -> Declaration:
    a = r.attrib
    static = is_static(r, file, convention)
    if r.parent is not None:
        return Declaration(r.c_type, "", (r.include,) if r.include else ())
    if r.tag == "Texture":
        return _texture(r, file, convention, static)
    if r.tag == "DList":
        room = _room(r, file)
        length = str(max(1, room // 8)) if static or (room and convention == TOOLS_ASSETS) else ""
        if convention == TOOLS_ASSETS and "Length" in a:
            length = str(number(a["Length"]))
        return Declaration("Gfx", length, ("ultra64.h",))
    if r.tag == "Array":
        c_type = r.array_child or "u8"
        count = str(number(a["Count"])) if static else ""
        return Declaration(c_type, count, (ARRAY_ELEMENTS.get(c_type, ("ultra64.h", 1))[0],))
    if r.tag in _SCALARS:
        return Declaration(_SCALARS[r.tag][0], None, (_SCALARS[r.tag][1],))
    if r.tag == "Room" and a.get("HackMode") == "syotes_room":
        return Declaration("RoomShapeNormal", None, ("room.h",))
    if r.tag in _ARRAYS:
        c_type, include = _ARRAYS[r.tag]
        size = r.size if static and r.tag == "Blob" else None
        return Declaration(c_type, str(size) if size else "", (include,))
    if r.tag == "PlayerAnimationData":
        count = f"FRAMECOUNT_{r.name}"
        if convention == ZAPD:
            return Declaration("s16", "")
        return Declaration(
            "s16",
            f"{count} * (PLAYER_LIMB_MAX * 3 + 1)",
            ("ultra64.h", "player.h"),
            [f"#define {count} {number(a.get('FrameCount', '0'))}"],
        )
    if r.tag == "Skeleton":
        kind = {"Flex": "FlexSkeletonHeader", "Curve": "CurveSkeletonHeader"}.get(
            a.get("Type", ""), "SkeletonHeader"
        )
        decl = Declaration(kind, None, ("curve.h",) if kind == "CurveSkeletonHeader" else ("animation.h",))
        if convention == TOOLS_ASSETS:
            decl.before = tools_enum_lines(r)
        return decl
    if r.tag == "Limb":
        c_type, include = _LIMBS.get(a.get("LimbType", "Standard"), _LIMBS["Standard"])
        return Declaration(c_type, None, (include,))
    if r.tag == "LimbTable":
        limb_type = a.get("LimbType", "")
        if limb_type in ("Legacy", "Curve") and convention == ZAPD:
            return Declaration(_LIMBS[limb_type][0] + "*", "")
        return Declaration("void*", "", ("animation_legacy.h",) if limb_type == "Legacy" else ())
    if r.tag == "Symbol":  # ZAPD: a name the XML declares with its own type
        count = number(a["Count"]) if "Count" in a else None
        return Declaration(a.get("Type", "u8"), None if count is None else str(count or ""))
    return Declaration("u8", "", ("ultra64.h",))


def _texture(r: AssetResource, file: AssetFile, convention: str, static: bool) -> Declaration:
    a = r.attrib
    elem = texture_element(r, file, convention)
    if convention == ZAPD:
        return Declaration(elem, str((r.size or 8) * 8 // int(elem[1:])) if static else "")
    width, height = number(a["Width"]), number(a["Height"])
    if r.tlut_users and not static:
        count = width * height
        return Declaration(elem, "", ("ultra64.h",), [f"//#define {r.name}_TLUT_COUNT {count}"])
    length = f"TEX_LEN({elem}, {r.name}_WIDTH, {r.name}_HEIGHT, {r.bits})"
    return Declaration(
        elem,
        length,
        ("ultra64.h", "tex_len.h"),
        [f"#define {r.name}_WIDTH {width}", f"#define {r.name}_HEIGHT {height}"],
    )


def texture_element(r: AssetResource, file: AssetFile, convention: str) -> str:
    offset = r.offset or 0
    if convention == ZAPD:
        base = file.vram if file.vram is not None else number(file.attrib.get("BaseAddress", "0"), 16)
        return "u64" if (base + offset) % 8 == 0 else "u32"
    return "u64" if (r.size or 0) % 8 == 0 and (file.alignment + offset) % 8 == 0 else "u32"


def _room(r: AssetResource, file: AssetFile) -> int:
    """Bytes from `r` to the next resource (or the end of the file), 0 when unknown: what the
    extractor declares as a display list's length (the ROM's own length in 58 of 59 vanilla
    overlay lists and about 9 in 10 object lists: padding or unnamed data can follow a list)."""
    if r.offset is None:
        return 0
    later = [x.offset for x in file.resources if x.offset is not None and x.offset > r.offset]
    end = min(later) if later else file.size
    return max(0, end - r.offset) if end is not None else 0


def limb_enum(r: AssetResource, convention: str) -> tuple[str, list[tuple[str, int]]] | None:
    """A skeleton's limb enum: its name and (member, XML line) from NONE to MAX."""
    a = r.attrib
    if r.tag != "Skeleton" or r.limbs is None:
        return None
    if convention == ZAPD:
        if not (a.get("EnumName") and a.get("LimbNone") and a.get("LimbMax")):
            return None
        # ZAPD warns about a limb without EnumName; leaving it out keeps the header valid C
        limbs = [(limb.attrib["EnumName"], limb.line) for limb in r.limbs if limb.attrib.get("EnumName")]
        return a["EnumName"], [(a["LimbNone"], r.line), *limbs, (a["LimbMax"], r.line)]
    default = f"LIMB_{r.file_name.upper()}_{r.offset or 0:06X}"
    members = [(a.get("LimbNone") or f"{default}_NONE", r.line)]
    members += [(limb.enum_member or "", limb.line) for limb in r.limbs]
    members.append((a.get("LimbMax") or f"{default}_MAX", r.line))
    return a.get("EnumName") or f"{r.name}Limb", members


def tools_enum_lines(r: AssetResource) -> list[str]:
    enum = limb_enum(r, TOOLS_ASSETS)
    if enum is None:
        return []
    name, members = enum
    body = ",\n".join(f"    /* {i:2} */ {m}" for i, (m, _) in enumerate(members))
    return [f"typedef enum {name} {{", body, f"}} {name};"]


def zapd_enum_lines(r: AssetResource) -> list[str]:
    enum = limb_enum(r, ZAPD)
    if enum is None:
        return []
    name, members = enum
    body = [
        f"    /* 0x{i:02X} */ {m}" + ("," if i < len(members) - 1 else "") for i, (m, _) in enumerate(members)
    ]
    return [f"typedef enum {name} {{", *body, f"}} {name};", ""]


def _stem(r: AssetResource, file: AssetFile, convention: str) -> str:
    fmt = r.attrib.get("Format", "").lower()
    if r.tag == "Blob":
        return f"{r.name}.bin"
    if r.tag == "Cutscene" and convention == TOOLS_ASSETS:
        return f"{r.name}.csdata"
    if r.tag != "Texture":
        return r.name
    elem = texture_element(r, file, convention)
    if convention == ZAPD:
        return f"{r.name}.{fmt}" if elem == "u64" else f"{r.name}.u32.{fmt}"
    suffix = "" if elem == "u64" else f".{elem}"
    if r.tlut is not None:
        palette = r.tlut
        if _palette_named_by_user(palette, file):
            return f"{r.name}.{fmt}{suffix}"
        pal_elem = texture_element(palette, file, convention)
        info = f"tlut_{palette.name}" + ("" if pal_elem == "u64" else f"_{pal_elem}")
        return f"{r.name}.{fmt}.{info}{suffix}"
    if r.tlut_users:
        if _palette_named_by_user(r, file):
            return f"{r.tlut_users[0].name}.tlut.{fmt}{suffix}"
        return f"{r.name}.tlut.{fmt}{suffix}"
    return f"{r.name}.{fmt}{suffix}"


def _palette_named_by_user(palette: AssetResource, file: AssetFile) -> bool:
    """tools/assets names a palette's data after its one CI texture when it has one, u64-aligned."""
    return len(palette.tlut_users) == 1 and texture_element(palette, file, TOOLS_ASSETS) == "u64"


def unique(resources: list[AssetResource]) -> list[AssetResource]:
    seen: set[str] = set()
    out = []
    for r in resources:
        if r.name not in seen:
            seen.add(r.name)
            out.append(r)
    return out
