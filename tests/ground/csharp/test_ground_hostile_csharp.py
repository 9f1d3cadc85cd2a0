"""Hostile C# snippets: every one is contained.

Attributes that make mcs open a path or a key container (`AssemblyKeyFile`, `AssemblyKeyName`,
`AssemblyDelaySign`) are refused before mcs starts (`forbidden_include`; a logging mcs wrapper
proves it never ran), however the attribute is spelt. `#line` and `#pragma checksum` are taken out
whatever line end or spelling hides them, so errors keep their true file and line.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

if shutil.which("mcs") is None:
    pytest.skip("mcs (apt-get install mono-mcs) is not installed", allow_module_level=True)

from modsmith.ground.csharp.compile_csharp import build_stub_assembly, csharp_check
from modsmith.ground.sandbox import SandboxLimits

LIMITS = SandboxLimits(cpu_seconds=10, wall_seconds=8)
PASSWD = Path("/etc/passwd").read_text(errors="replace") if Path("/etc/passwd").is_file() else "root:x:0:0:"
PROBE = "public class Probe : UnityEngine.MonoBehaviour { void Start() { UnityEngine.Debug.Log(1); } }\n"


@pytest.fixture(autouse=True, scope="module")
def stub_cache(tmp_path_factory):
    """Keep the stub assembly cache out of the home directory."""
    root = tmp_path_factory.mktemp("modsmith-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MODSMITH_CACHE", str(root))
        yield root


@pytest.fixture
def logged(tmp_path, monkeypatch):
    """The log an `mcs` wrapper first on PATH writes its arguments to each time it runs (the stubs
    are built first)."""
    build_stub_assembly()
    log = tmp_path / "mcs-runs.log"
    wrapper = tmp_path / "bin" / "mcs"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec {shutil.which("mcs")} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    return log


def forbidden(path: str) -> dict[str, tuple[str, str]]:
    """Spellings of the key attributes that mcs honours (or might): id -> (attribute named, source)."""
    key_file = {
        "key-file": f'[assembly: System.Reflection.AssemblyKeyFile("{path}")]\n',
        "key-file-using": f'using System.Reflection;\n[assembly: AssemblyKeyFile("{path}")]\n' + PROBE,
        "attribute-suffix": f'[assembly: System.Reflection.AssemblyKeyFileAttribute("{path}")]\n',
        "global-qualified": f'[assembly: global::System.Reflection.AssemblyKeyFile("{path}")]\n',
        "verbatim-identifier": f'[assembly: System.Reflection.@AssemblyKeyFileAttribute(@"{path}")]\n',
        "spaced-and-commented": (
            f'[ assembly :\n  System . /* a */ Reflection // b\n .\tAssemblyKeyFile ( "{path}" ) ]\n'
        ),
        "concatenated": f'[assembly: System.Reflection.AssemblyKeyFile("{path[:4]}" + @"{path[4:]}")]\n',
        "escape": f'[assembly: System.Reflection.AssemblyKey\\u0046ile("{path}")]\n',
        "long-escape": f'[assembly: System.Reflection.AssemblyKey\\U00000046ile("{path}")]\n',
        "escape-lowercase-hex": f'[assembly: System.Reflection.AssemblyKe\\u0079File("{path}")]\n',
        "escaped-backslash-escape": f'[assembly: System.Reflection.AssemblyKey\\u005Cu0046ile("{path}")]\n',
        "format-character": f'[assembly: System.Reflection.AssemblyKey\u200bFile("{path}")]\n',
        "fullwidth-letter": f'[assembly: System.Reflection.\uff21ssemblyKeyFile("{path}")]\n',
        "alias": f'using K = System.Reflection.AssemblyKeyFileAttribute;\n[assembly: K("{path}")]\n',
        "namespace-alias": f'using R = System.Reflection;\n[assembly: R.AssemblyKeyFile("{path}")]\n',
        "const-argument": (
            "using System.Reflection;\n[assembly: AssemblyKeyFile(Paths.Key)]\n"
            f'static class Paths {{ public const string Key = "{path}"; }}\n'
        ),
        "own-declaration": (
            "namespace System.Reflection { public sealed class AssemblyKeyFileAttribute : System.Attribute"
            f" {{ public AssemblyKeyFileAttribute(string f) {{ }} }} }}\n[assembly: System.Reflection."
            f'AssemblyKeyFile("{path}")]\n'
        ),
    }
    found = {name: ("AssemblyKeyFile", source) for name, source in key_file.items()}
    found["delay-sign-with-file"] = (
        "AssemblyDelaySign",
        f"[assembly: System.Reflection.AssemblyDelaySign(true)]\n"
        f'[assembly: System.Reflection.AssemblyKeyFile("{path}")]\n',
    )
    return found


FORBIDDEN = forbidden("/etc/passwd") | {
    "key-name": ("AssemblyKeyName", '[assembly: System.Reflection.AssemblyKeyName("modsmith-probe")]\n'),
    "key-name-escape": (
        "AssemblyKeyName",
        '[assembly: System.Reflection.\\u0041ssemblyKeyName("modsmith-probe")]\n',
    ),
    "delay-sign": ("AssemblyDelaySign", "[assembly: System.Reflection.AssemblyDelaySign(true)]\n"),
}


def assert_refused(result, log: Path, attribute: str) -> None:
    assert result.failure_class == "forbidden_include", result.compiler_output
    assert not result.passed and not result.timed_out
    assert attribute in result.detail
    assert not log.exists(), "mcs ran"
    shown = result.model_dump_json()
    assert all(line not in shown for line in PASSWD.splitlines()[:5])


@pytest.mark.parametrize(("attribute", "source"), FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_key_attributes_are_refused_before_mcs_starts(attribute, source, logged):
    assert_refused(csharp_check(source, limits=LIMITS), logged, attribute)


def test_a_fifo_key_file_does_not_block_until_the_timeout(logged, tmp_path):
    fifo = tmp_path / "key.snk"
    os.mkfifo(fifo)
    for attribute, source in forbidden(str(fifo)).values():
        assert_refused(csharp_check(source, limits=LIMITS), logged, attribute)


def test_a_device_key_file_does_not_crash_mono(logged):
    result = csharp_check('[assembly: System.Reflection.AssemblyKeyFile("/dev/zero")]\n', limits=LIMITS)
    assert_refused(result, logged, "AssemblyKeyFile")
    assert "Exception" not in result.compiler_output and "at System." not in result.compiler_output


def test_the_refusal_names_the_line(logged):
    result = csharp_check(PROBE + "\n" + '[assembly: System.Reflection.AssemblyKeyFile("/etc/passwd")]\n')
    assert result.detail.startswith("line 3:"), result.detail


def test_harmless_assembly_attributes_still_compile(logged):
    source = (
        "using System.Reflection;\nusing System.Runtime.CompilerServices;\n"
        '[assembly: AssemblyTitle("Probe")]\n[assembly: AssemblyVersion("1.2.3.4")]\n'
        '[assembly: InternalsVisibleTo("Probe.Tests")]\n' + PROBE
    )
    result = csharp_check(source, limits=LIMITS)
    assert result.passed, result.compiler_output
    assert sum("Generated.cs" in run for run in logged.read_text().splitlines()) == 1


# --- #line and #pragma checksum ---------------------------------------------------------------------

LINE_ENDS = {"lf": "\n", "crlf": "\r\n", "cr": "\r", "ls": "\u2028", "ps": "\u2029"}
DIRECTIVES = {
    "plain": '#line 900 "/root/x.cs"',
    "spaced": '#  line 900 "/root/x.cs"',
    "escaped-name": '#l\\u0069ne 900 "/root/x.cs"',
    "vertical-tab-indent": '\v#line 900 "/root/x.cs"',
    "form-feed-indent": '\f#line 900 "/root/x.cs"',
    "nbsp-indent": '\u00a0#line 900 "/root/x.cs"',
    "ideographic-indent": '\u3000\t#line 900 "/root/x.cs"',
    "hidden": "#line hidden",
    "comment-after": '#line 900 "/root/x.cs" // a comment',
}


@pytest.mark.parametrize("directive", DIRECTIVES.values(), ids=DIRECTIVES.keys())
@pytest.mark.parametrize("end", LINE_ENDS.values(), ids=LINE_ENDS.keys())
def test_line_directives_cannot_rename_or_hide_errors(end, directive):
    source = f"class A {{ }}{end}{directive}{end}class B {{ void F() {{ Foo(); }} }}{end}"
    result = csharp_check(source, limits=LIMITS)
    assert [(e.code, e.line) for e in result.errors] == [("CS0103", 3)], result.compiler_output
    assert result.failure_class == "invented_name"
    assert "/root/x.cs" not in result.compiler_output


def test_line_ends_count_as_mcs_counts_them_for_newer_constructs():
    # `\r` and U+2028 end lines for mcs: the lines tree-sitter blames must be the same lines.
    source = "class A {\r  void F() {\u2028    int L() => 1;\r\n  }\r}\r"
    result = csharp_check(source, limits=LIMITS)
    assert result.failure_class == "needs_newer_csharp", result.compiler_output
    assert [(f.name, f.line) for f in result.newer_features] == [("local function", 3)]


def test_pragma_checksum_naming_a_host_file_is_taken_out():
    source = (
        '#pragma checksum "/etc/passwd" "{406EA660-64CF-4C82-B6F0-42D48172A799}" "AB"\r'
        "class B { void F() { Foo(); } }\n"
    )
    result = csharp_check(source, limits=LIMITS)
    assert [(e.code, e.line) for e in result.errors] == [("CS0103", 2)]
    assert "passwd" not in result.compiler_output


def test_other_directives_are_kept():
    source = (
        "#define PROBE\n#if PROBE\nclass B { void F() { Foo(); } }\n#endif\n"
        "#pragma warning disable 0168\n#region r\nclass C { }\n#endregion\n"
    )
    result = csharp_check(source, limits=LIMITS)
    assert [(e.code, e.line) for e in result.errors] == [("CS0103", 3)]


def test_csharp_over_the_size_cap_is_too_large_before_mcs_runs():
    from modsmith.ground.csharp.compile_csharp import csharp_check
    from modsmith.ground.sandbox import SandboxLimits

    source = "class Big {}\n" + "// padding\n" * 2000
    result = csharp_check(source, limits=SandboxLimits(max_source_bytes=4096))
    assert result.failure_class == "too_large" and not result.passed
    assert "over the check's limit of 4096 bytes" in result.detail
