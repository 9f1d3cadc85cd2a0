"""Namespaces (and a few well-known type names) that come from packages, not from UnityEngine.

A Unity script that imports `TMPro` or `UnityEngine.InputSystem` compiles in a project that has
the package installed; the UnityEngine stubs (and a Unity install's `Managed` folder) do not have
it. Such a script "needs package X": the compiler's "type or namespace not found" is about the
environment, not a name the script invented. The table gives each namespace's package as the
Unity Package Manager (or the package's own site) names it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Package:
    """A package: its id (`com.unity.textmeshpro`) and the namespace that asked for it."""

    name: str
    namespace: str


#: Namespace -> package id. A namespace also covers the namespaces under it.
PACKAGE_NAMESPACES = {
    "TMPro": "com.unity.textmeshpro",
    "UnityEngine.InputSystem": "com.unity.inputsystem",
    "Cinemachine": "com.unity.cinemachine",
    "Unity.Cinemachine": "com.unity.cinemachine",
    "UnityEngine.Rendering.Universal": "com.unity.render-pipelines.universal",
    "UnityEngine.Rendering.HighDefinition": "com.unity.render-pipelines.high-definition",
    "UnityEngine.Rendering.PostProcessing": "com.unity.postprocessing",
    "UnityEngine.Experimental.Rendering.Universal": "com.unity.render-pipelines.universal",
    "UnityEngine.Timeline": "com.unity.timeline",
    "UnityEngine.AddressableAssets": "com.unity.addressables",
    "UnityEngine.ResourceManagement": "com.unity.addressables",
    "UnityEngine.Localization": "com.unity.localization",
    "UnityEngine.Splines": "com.unity.splines",
    "UnityEngine.ProBuilder": "com.unity.probuilder",
    "UnityEngine.U2D.Animation": "com.unity.2d.animation",
    "UnityEngine.XR.Interaction.Toolkit": "com.unity.xr.interaction.toolkit",
    "UnityEngine.XR.ARFoundation": "com.unity.xr.arfoundation",
    "UnityEngine.Purchasing": "com.unity.purchasing",
    "UnityEngine.Advertisements": "com.unity.ads",
    "UnityEngine.TestTools": "com.unity.test-framework",
    "NUnit.Framework": "com.unity.test-framework",
    "Unity.Netcode": "com.unity.netcode.gameobjects",
    "Unity.Mathematics": "com.unity.mathematics",
    "Unity.Collections": "com.unity.collections",
    "Unity.Entities": "com.unity.entities",
    "Unity.Burst": "com.unity.burst",
    "Unity.Services": "com.unity.services.core",
    "Unity.VisualScripting": "com.unity.visualscripting",
    "Unity.AI.Navigation": "com.unity.ai.navigation",
    "Newtonsoft.Json": "com.unity.nuget.newtonsoft-json",
    "UnityEditor": "UnityEditor (the editor scripting API)",
    "System.Data": "System.Data (a .NET assembly mono-mcs does not ship)",
    "System.Drawing": "System.Drawing (a .NET assembly mono-mcs does not ship)",
    # Widely used packages from outside Unity's registry.
    "DG.Tweening": "DOTween",
    "Photon": "Photon PUN",
    "Mirror": "Mirror",
    "UniRx": "UniRx",
    "Zenject": "Extenject (Zenject)",
    "Sirenix": "Odin Inspector",
    "NaughtyAttributes": "NaughtyAttributes",
}

#: Type names that only these packages define, for scripts that name them without a `using`.
PACKAGE_TYPES = {
    "TextMeshProUGUI": "TMPro",
    "TextMeshPro": "TMPro",
    "TMP_Text": "TMPro",
    "TMP_InputField": "TMPro",
    "TMP_Dropdown": "TMPro",
    "TMP_FontAsset": "TMPro",
    "CinemachineVirtualCamera": "Cinemachine",
    "CinemachineFreeLook": "Cinemachine",
    "CinemachineBrain": "Cinemachine",
    "CinemachineImpulseSource": "Cinemachine",
    "InputAction": "UnityEngine.InputSystem",
    "InputActionAsset": "UnityEngine.InputSystem",
    "InputActionReference": "UnityEngine.InputSystem",
    "PlayerInput": "UnityEngine.InputSystem",
    "InputValue": "UnityEngine.InputSystem",
    "Light2D": "UnityEngine.Rendering.Universal",
}


def package_of(name: str, project_packages: Sequence[str] = ()) -> Package | None:
    """The package that defines a namespace (or a namespace under it) or a known type name.

    Besides the table, a Unity project's own `Packages/manifest.json` names its packages: a namespace
    whose first part (the first two when it starts with `Unity`) matches a listed package id, letters
    and digits compared without case (`UnityAtoms.Tags` and `com.unity-atoms.unity-atoms-tags`), is
    that package's; of several, the one matching most of the namespace's parts.
    """
    if name in PACKAGE_TYPES:
        name = PACKAGE_TYPES[name]
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        namespace = ".".join(parts[:end])
        if namespace in PACKAGE_NAMESPACES:
            return Package(PACKAGE_NAMESPACES[namespace], namespace)
    if not project_packages:
        return None
    head = 2 if parts[0] in ("Unity", "UnityEngine") and len(parts) > 1 else 1
    key = _letters("".join(parts[:head]))
    if len(key) < 4:
        return None
    matches = [p for p in project_packages if key in _letters(p)]
    if not matches:
        return None
    best = max(matches, key=lambda p: (sum(_letters(part) in _letters(p) for part in parts), -len(p), p))
    return Package(best, ".".join(parts[:head]))


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
