"""What only the extractor's view of a whole asset `<File>` tells: which palette each colour-indexed
texture uses, which limbs make up each skeleton (in limb-enum order), and the data the extractor
names after the resource that points to it (`gFooCol` -> `gFooVtxList`).
"""

from __future__ import annotations

from modsmith.ground.c.asset_resources import LIMB_SIZE, TOOLS_ASSETS, ZAPD, AssetFile, AssetResource, number


def link_palettes(files: list[AssetFile]) -> None:
    """Connect colour-indexed textures to their palette (`Tlut`, `TlutOffset`, `ExternalTlut`)."""
    by_file_name = {file.name: file for file in files}
    for file in files:
        for texture in file.resources:
            a = texture.attrib
            if texture.tag != "Texture" or not a.get("Format", "").lower().startswith("ci"):
                continue
            palette = None
            if "Tlut" in a:
                palette = next((r for r in file.resources if r.name == a["Tlut"]), None)
            elif "TlutOffset" in a:
                palette = resource_at(file, number(a["TlutOffset"], 16))
            elif "ExternalTlut" in a and a["ExternalTlut"] in by_file_name:
                palette = resource_at(
                    by_file_name[a["ExternalTlut"]], number(a.get("ExternalTlutOffset", "-1"), 16)
                )
            if palette is not None and palette.tag == "Texture":
                texture.tlut = palette
                if texture not in palette.tlut_users:
                    palette.tlut_users.append(texture)


def resource_at(file: AssetFile, offset: int) -> AssetResource | None:
    return next((r for r in file.resources if r.offset == offset), None)


def assign_limbs(file: AssetFile) -> None:
    """Give each skeleton its limbs (limb-enum order) and each limb its enum member name.

    The extractor reads the limb table from the ROM. Without it, the skeleton's limbs are those the
    extractor's layout puts right before it: `n` limbs, then the `n`-entry table, then the header;
    failing that, the limbs of its type between the previous skeleton and this one."""
    upper = file.name.upper()
    for limb in file.resources:
        if limb.tag == "Limb":
            limb.enum_member = limb.attrib.get("EnumName") or f"LIMB_{upper}_{limb.offset or 0:06X}"
    previous: dict[str, int] = {}
    for skeleton in file.resources:
        limb_type = skeleton.attrib.get("LimbType", "")
        if skeleton.tag != "Skeleton" or limb_type not in LIMB_SIZE or skeleton.offset is None:
            continue
        candidates = [r for r in file.resources if r.tag == "Limb" and r.attrib.get("LimbType") == limb_type]
        by_offset = {r.offset: r for r in candidates}
        size = LIMB_SIZE[limb_type]
        for count in range(len(candidates), 0, -1):
            first = skeleton.offset - 4 * count - size * count
            run = [by_offset.get(first + size * i) for i in range(count)]
            if all(run):
                skeleton.limbs = run
                break
        else:
            low = previous.get(limb_type, -1)
            skeleton.limbs = [
                r for r in candidates if r.offset is not None and low < r.offset < skeleton.offset
            ]
            skeleton.limbs = skeleton.limbs or candidates
        previous[limb_type] = skeleton.offset


#: data the extractor names after the resource that points to it, when that name has the suffix:
#: (suffix, derived suffix, element type, header). tools/assets: always-present parts only.
_DERIVED = {
    TOOLS_ASSETS: {
        "Skeleton": [("Skel", "Limbs", "void*", "")],
        "Animation": [
            ("Anim", "FrameData", "s16", "ultra64.h"),
            ("Anim", "JointIndices", "JointIndex", "animation.h"),
        ],
        "LegacyAnimation": [("Anim", "JointKeys", "LegacyJointKey", "animation_legacy.h")],
        "Collision": [
            ("Col", "SurfaceTypes", "SurfaceType", "bgcheck.h"),
            ("Col", "PolyList", "CollisionPoly", "bgcheck.h"),
            ("Col", "VtxList", "Vec3s", "z_math.h"),
        ],
    },
    ZAPD: {
        "Skeleton": [("", "Limbs", "void*", "")],
        "Animation": [("", "FrameData", "s16", ""), ("", "JointIndices", "JointIndex", "")],
        "Collision": [
            ("", "Vertices", "Vec3s", ""),
            ("", "Polygons", "CollisionPoly", ""),
            ("", "SurfaceType", "SurfaceType", ""),
        ],
    },
}
#: the parts an overlay may define from `.inc.c` files although not every collision has them
OPTIONAL_DERIVED = {"Collision": [("Col", "BgCamList"), ("Col", "WaterBoxes")]}


def derived_resources(file: AssetFile, convention: str) -> list[AssetResource]:
    names = {r.name for r in file.resources}
    out = []
    for parent in file.resources:
        for suffix, role, c_type, include in _DERIVED.get(convention, {}).get(parent.tag, []):
            if not parent.name.endswith(suffix) or parent.attrib.get("Type") == "Curve":
                continue
            if role == "Limbs" and parent.attrib.get("LimbType") not in LIMB_SIZE:
                continue
            name = parent.name[: len(parent.name) - len(suffix)] + role
            if name not in names and not _xml_limb_table(file, parent):
                names.add(name)
                derived = AssetResource(role, name, parent.line, {}, file.name, parent.offset, parent=parent)
                derived.c_type, derived.include = c_type, include
                out.append(derived)
    return out


def _xml_limb_table(file: AssetFile, skeleton: AssetResource) -> bool:
    """Whether the XML itself names the skeleton's limb table (then the extractor uses that name)."""
    if skeleton.tag != "Skeleton" or not skeleton.limbs or skeleton.offset is None:
        return False
    table = resource_at(file, skeleton.offset - 4 * len(skeleton.limbs))
    return table is not None and table.tag == "LimbTable"
