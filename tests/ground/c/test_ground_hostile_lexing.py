"""The include rules lex a snippet exactly as the real compiler does (`gcc -E` decides).

Every case is run through the profile's own compiler with `-E`, on the very text a check writes
(`clean_source`), and through the include rules with that profile's dialect. When the compiler reads
the secret file or acts on a pragma the rules forbid, the rules must refuse the snippet; when it does
neither, the rules must let it through, except in the few cases marked `stricter`: the rules split an
identifier at every character the compiler may or may not take into one (non-ASCII, `$`, a universal
character name), and refuse a malformed `#include` outright, so they refuse a little more than needed.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from modsmith.ground.c.c_lexing import Dialect
from modsmith.ground.c.compile_c import compiler_argv, include_roots
from modsmith.ground.c.include_policy import clean_source, scan_snippet
from modsmith.ground.c.profiles import load_profile

MARKER = "modsmith_secret_marker_7f3a"
OFF = '"GCC diagnostic ignored \\"-Wall\\""'  # a _Pragma operand the rules refuse
ACTED = re.compile(r"^\s*#pragma GCC (?:diagnostic (?:ignored|warning)|pch_preprocess)", re.M)

# name: (snippet, stricter); {s} is the secret file's absolute path, {s1}{s2} the same split in two
CASES: dict[str, tuple[str, bool]] = {
    "plain": ('#include "{s}"\n', False),
    "bom": ('\ufeff#include "{s}"\n', False),
    "two-boms": ('\ufeff\ufeff#include "{s}"\n', False),
    "bom-then-splice": ('\ufeff#\\\ninclude "{s}"\n', False),
    "bom-mid-file": ('int a;\n\ufeff#include "{s}"\n', False),
    "bom-after-hash": ('#\ufeffinclude "{s}"\n', False),
    "bom-pragma": ("\ufeff_Pragma(" + OFF + ")\n", False),
    "splice-after-hash": ('#\\\ninclude "{s}"\n', False),
    "splice-in-name": ('#inc\\\nlude "{s}"\n', False),
    "splice-space-tab": ('#inc\\ \t\nlude "{s}"\n', False),
    "splice-crlf": ('#inc\\\r\nlude "{s}"\r\n', False),
    "splice-cr": ('#inc\\\rlude "{s}"\r', False),
    "splice-in-path": ('#include "{s1}\\\n{s2}"\n', False),
    "splice-in-digraph": ('%\\\n:include "{s}"\n', False),
    "splice-in-pragma-name": ("_Pra\\\ngma(" + OFF + ")\n", False),
    "line-comment-spliced": ('// note \\\n#include "{s}"\n', False),
    "cr": ('int a;\r#include "{s}"\r', False),
    "crlf": ('int a;\r\n#include "{s}"\r\n', False),
    "lf-cr": ('int a;\n\r#include "{s}"\n', False),
    "form-feed-mid-line": ('int a;\f#include "{s}"\n', False),
    "vertical-tab-mid-line": ('int a;\v#include "{s}"\n', False),
    "form-feed-line-start": ('\f#include "{s}"\n', False),
    "nul-line-start": ('\0#include "{s}"\n', False),
    "line-separator": ('int a;\u2028#include "{s}"\n', False),
    "next-line": ('int a;\u0085#include "{s}"\n', False),
    "comment-after-hash": ('#/**/include "{s}"\n', False),
    "comment-lines-after-hash": ('# /* one\n two */ include "{s}"\n', False),
    "comment-lines-before-hash": ('/* one\n two */ #include "{s}"\n', False),
    "comment-after-code": ('int a; /* one\n two */ #include "{s}"\n', False),
    "digraph": ('%:include "{s}"\n', False),
    "trigraph": ('??=include "{s}"\n', False),
    "trigraph-splice": ('#inc??/\nlude "{s}"\n', False),
    "trigraph-in-path": ('#include "{s1}??/\n{s2}"\n', True),
    "macro-include": ('#define H "{s}"\n#include H\n', False),
    "c90-comment-in-directive": ("#define P // _Pragma(" + OFF + ")\nP\n", False),
    "c90-comment-star": ("int x = 1 //**/ _Pragma(" + OFF + ")\n;\n", False),
    "c90-comment-hides-comment-start": ('int a; // /*\n#include "{s}"\n// */\n', False),
    "nbsp-pragma": ("\u00a0_Pragma(" + OFF + ")\n", False),
    "accent-pragma": ("\u00e9_Pragma(" + OFF + ")\n", True),
    "accent-pasted": ("#define CAT(a, b) a##b\nCAT(\u00e9_Pra, gma)(" + OFF + ")\n", True),
    "bom-pasted": ("#define CAT(a, b) a##b\nCAT(\ufeff_Pra, gma)(" + OFF + ")\n", True),
    "dollar-pasted": ("#define CAT(a, b) a##b\nCAT(x$_Pra, gma)(" + OFF + ")\n", True),
    "ucn-pragma": ("\\u005fPragma(" + OFF + ")\n", True),
    "number-then-pragma": ("int x = 1\u00e9_Pragma(" + OFF + ");\n", True),
    "pragma-in-string": ('const char* s = "_Pragma(\\"x\\")";\n', False),
    "include-in-comment": ('/* #include "{s}" */\n', False),
}
GCC = shutil.which("gcc") is not None
MIPS = shutil.which("mips-linux-gnu-gcc") is not None
PROFILES = [
    pytest.param("oot-gc-eu-mq-dbg", std, id=f"gcc-{std}", marks=pytest.mark.skipif(not GCC, reason="no gcc"))
    for std in ("gnu90", "c89", "c99", "gnu11", "c11")
] + [
    pytest.param(
        "hackeroot-ntsc-1.2",
        std,
        id=f"mips-gcc-{std}",
        marks=pytest.mark.skipif(not MIPS, reason="mips-linux-gnu-gcc not installed"),
    )
    for std in ("gnu11", "c99")
]


@pytest.fixture(scope="module")
def secret(tmp_path_factory):
    path = tmp_path_factory.mktemp("host") / "secret_file.h"
    path.write_text(f"int {MARKER};\n")
    return path


def compiler_acts(text: str, argv: list[str], work) -> bool:
    """Whether the compiler, preprocessing `text`, reads the secret or runs a forbidden pragma."""
    (work / "snippet.c").write_text(text, encoding="utf-8")
    run = subprocess.run([*argv, "-E", "-P", "snippet.c"], cwd=work, capture_output=True, timeout=60)
    out = run.stdout.decode("utf-8", errors="replace")
    return MARKER in out or bool(ACTED.search(out))


@pytest.mark.parametrize(("base", "std"), PROFILES)
def test_the_rules_and_the_compiler_agree(base, std, secret, decomp_repo, tmp_path):
    repo = decomp_repo[0]
    profile = load_profile(base).model_copy(update={"std": std, "include_dirs": ["include", "src"]})
    argv = compiler_argv(profile.compiler_path(), profile, repo)
    roots = include_roots(repo, profile, tmp_path, None)
    half = len(str(secret)) // 2
    fill = {"s": str(secret), "s1": str(secret)[:half], "s2": str(secret)[half:]}
    disagreements = []
    for name, (template, stricter) in CASES.items():
        text = clean_source(template.format(**fill) if "{" in template else template)
        acts = compiler_acts(text, argv, tmp_path)
        refused = bool(scan_snippet(text, roots, Dialect.of(std)).violations)
        if acts and not refused or refused and not acts and not stricter:
            disagreements.append(
                f"{name}: compiler {'acts' if acts else 'does nothing'}, rules "
                f"{'refuse' if refused else 'let it through'}"
            )
    assert not disagreements, "\n".join(disagreements)


def test_the_cases_mean_something_under_some_standard(secret, decomp_repo, tmp_path):
    """Each case makes gcc read the secret or run the pragma under at least one standard (or is a
    benign twin), so the agreement above is not met by cases that never do anything."""
    repo = decomp_repo[0]
    base = load_profile("oot-gc-eu-mq-dbg").model_copy(update={"include_dirs": ["include"]})
    fill = {"s": str(secret), "s1": str(secret)[:9], "s2": str(secret)[9:]}
    benign = {
        "bom-mid-file",
        "bom-after-hash",
        "form-feed-mid-line",
        "vertical-tab-mid-line",
        "line-separator",
        "next-line",
        "comment-after-code",
        "line-comment-spliced",
        "pragma-in-string",
        "include-in-comment",
        "dollar-pasted",
    }
    for name, (template, _) in CASES.items():
        text = clean_source(template.format(**fill) if "{" in template else template)
        acting = [
            std
            for std in ("gnu90", "c89", "c99", "gnu11")
            if compiler_acts(text, compiler_argv("gcc", base.model_copy(update={"std": std}), repo), tmp_path)
        ]
        assert bool(acting) != (name in benign), (name, acting)


def test_dialects_follow_gcc_standards():
    assert Dialect.of("gnu90") == Dialect(trigraphs=False, digraphs=True, c90_comments=False)
    assert Dialect.of("gnu11").trigraphs is False and Dialect.of("c99").trigraphs is True
    assert Dialect.of("c89") == Dialect(trigraphs=True, digraphs=False, c90_comments=True)
    assert Dialect.of("c23").trigraphs is None  # compilers differ: both ways are scanned
