"""Hostile snippets: every one is contained.

Either the include rules refuse it before the compiler starts (`forbidden_include`; a logging
compiler wrapper proves the compiler never ran), or it compiles inside the sandbox's limits and
comes back with a result: never a hang, never host file content or host paths in what is returned.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from modsmith.ground.c.c_check_pool import CCheckPool
from modsmith.ground.c.compile_c import CCompileResult, c_compile_check
from modsmith.ground.c.include_policy import IncludeRoots, clean_source, lex, scan_snippet
from modsmith.ground.c.profiles import PROFILE_DIR, load_profile
from modsmith.ground.sandbox import SandboxLimits
from modsmith.records import Example, Message, read_jsonl, write_jsonl

HAS_MIPS = shutil.which("mips-linux-gnu-gcc") is not None
LIMITS = SandboxLimits(cpu_seconds=2, wall_seconds=6, memory_mb=512, output_bytes=16_000)
PASSWD = Path("/etc/passwd").read_text(errors="replace") if Path("/etc/passwd").is_file() else "root:x:0:0:"
FN = "void EnTest_Hostile(Actor* thisx, PlayState* play) { thisx->speed = 1.0f; }\n"
INVENTED = "void EnTest_Hostile(Actor* thisx, PlayState* play) { EnTest_Invented(thisx); }\n"

FORBIDDEN = {
    "absolute-quote": '#include "/etc/passwd"\n',
    "absolute-angle": "#include </etc/shadow>\n",
    "dotdot-angle": "#include <../../../etc/shadow>\n",
    "dotdot-quote": '#include "../../../../../../etc/passwd"\n',
    "dotdot-from-snippet-dir": '#include "../include/global.h"\n',
    "device-zero": '#include "/dev/zero"\n',
    "device-stdin": '#include "/dev/stdin"\n',
    "proc-environ": '#include "/proc/self/environ"\n',
    "digraph": '%:include "/etc/passwd"\n',
    "comment-in-directive": '#/**/include "/etc/passwd"\n',
    "comment-spanning-lines": '#include /* a comment\n that ends here */ "/etc/passwd"\n',
    "comment-before-hash": '/* a\n */ #include "/etc/passwd"\n',
    "splice-in-name": '#inc\\\nlude "/etc/passwd"\n',
    "splice-with-space": '#include \\  \n"/etc/passwd"\n',
    "cr-line-ends": '#include "global.h"\r#include "/etc/passwd"\r',
    "nul-in-path": '#include "/etc/pa\0sswd"\n',
    "include-next": '#include_next "/etc/passwd"\n',
    "import": '#import "/etc/passwd"\n',
    "macro-include": '#define P "/etc/passwd"\n#include P\n',
    "macro-include-angle": "#define P </etc/passwd>\n#include P\n",
    "has-include-probe": '#if __has_include("/etc/passwd")\n#error found\n#endif\n',
    "has-include-alias": '#define HI __has_include\n#if HI("/etc/passwd")\n#endif\n',
    "has-include-pasted": '#define CAT(a, b) a##b\n#if CAT(__has_, include)("/etc/passwd")\n#endif\n',
    "has-include-computed": '#define F "/etc/passwd"\n#if __has_include(F)\n#endif\n',
    "pragma-dependency": '#pragma GCC dependency "/etc/passwd"\n',
    "pragma-pch-preprocess": '#pragma GCC pch_preprocess "/etc/passwd"\n',
    "pragma-diagnostic-off": '#pragma GCC diagnostic ignored "-Wimplicit-function-declaration"\n' + FN,
    "_Pragma-dependency": '_Pragma("GCC dependency \\"/etc/passwd\\"")\n' + FN,
    "_Pragma-stringified": '#define DO(x) _Pragma(#x)\nDO(GCC dependency "/etc/passwd")\n',
    "_Pragma-pasted": '#define CAT(a, b) a##b\nCAT(_Pra, gma)("GCC dependency \\"/etc/passwd\\"")\n',
    "line-forging": '#line 1 "/etc/passwd"\n' + FN,
    "line-marker": '# 1 "/etc/passwd"\n' + FN,
    "embed": 'const char data[] = {\n#embed "/etc/passwd"\n};\n',
    "raw-string": 'const char* s = R"x(\n#include "/etc/passwd"\n)x";\n',
    # issue 7: what gcc reads past a byte-order mark, splices, line ends and characters it splits off
    "bom": '\ufeff#include "/etc/passwd"\n#include "global.h"\n',
    "two-boms": '\ufeff\ufeff#include "/etc/passwd"\n',
    "bom-nul": '\ufeff\0#include "/etc/passwd"\n',
    "bom-pragma-diagnostic-off": '\ufeff#pragma GCC diagnostic ignored "-Wimplicit-function-declaration"\n'
    + INVENTED,
    "bom-_Pragma": '\ufeff_Pragma("GCC diagnostic ignored \\"-Wimplicit-function-declaration\\"")\n'
    + INVENTED,
    "splice-after-hash": '#\\\ninclude "/etc/passwd"\n',
    "splice-in-path": '#include "/etc/pa\\\nsswd"\n',
    "splice-in-digraph": '%\\\n:include "/etc/passwd"\n',
    "splice-crlf": '#inc\\\r\nlude "/etc/passwd"\r\n',
    "splice-cr": '#inc\\\rlude "/etc/passwd"\r',
    "splice-tab": '#inc\\\t\nlude "/etc/passwd"\n',
    "crlf-line-ends": 'int a;\r\n#include "/etc/passwd"\r\n',
    "lf-cr-line-ends": 'int a;\n\r#include "/etc/passwd"\n',
    "form-feed-before-hash": '\f#include "/etc/passwd"\n',
    "comment-lines-after-hash": '# /* one\n two */ include "/etc/passwd"\n',
    "nbsp-before-_Pragma": '\u00a0_Pragma("GCC dependency \\"/etc/passwd\\"")\n' + FN,
    "accent-before-_Pragma": '\u00e9_Pragma("GCC dependency \\"/etc/passwd\\"")\n' + FN,
    "accent-pasted-_Pragma": '#define C(a, b) a##b\nC(\u00e9_Pra, gma)("GCC dependency \\"/etc/passwd\\"")\n',
    "number-before-_Pragma": 'int x = 1\u00e9_Pragma("GCC dependency \\"/etc/passwd\\"");\n',
    "ucn-_Pragma": '\\u005fPragma("GCC dependency \\"/etc/passwd\\"")\n' + FN,
    "ucn-directive": '#\\u0069nclude "/etc/passwd"\n',
    "ucn-in-_Pragma-string": '_Pragma("GCC \\u0064ependency \\"/etc/passwd\\"")\n' + FN,
    "old-has-include": '#if __has_include__("/etc/passwd")\n#endif\n',
    "__pragma": '__pragma(GCC dependency "/etc/passwd")\n' + FN,
}
# Forms only some standards read: (std, snippet)
FORBIDDEN_BY_STD = {
    "trigraph": ("c99", '??=include "/etc/passwd"\n'),
    "trigraph-c89": ("c89", '??=include "/etc/passwd"\n'),
    "trigraph-splice": ("c11", '#inc??/\nlude "/etc/passwd"\n'),
    "c90-comment-in-directive": ("c89", '#define P // _Pragma("GCC dependency \\"/etc/passwd\\"")\nP\n'),
    "c90-comment-star": ("c90", 'int x = 1 //**/ _Pragma("GCC dependency \\"/etc/passwd\\"")\n;\n'),
}


@pytest.fixture
def sandbox_repo(decomp_repo, tmp_path):
    """A copy of the mini decomp with symlinks pointing out of the include roots."""
    repo = tmp_path / "decomp"
    shutil.copytree(decomp_repo[0], repo, symlinks=True)
    (repo / "include" / "sys").symlink_to("/etc")
    (repo / "include" / "evil.h").symlink_to("/etc/passwd")
    (repo / "tools").mkdir()
    (repo / "tools" / "tool.h").write_text("#define TOOL 1\n")
    (repo / "include" / "tool.h").symlink_to("../tools/tool.h")
    return repo


def logging_profile(tmp_path: Path, base: str = "oot-gc-eu-mq-dbg"):
    """(profile, log): a shipped profile whose compiler is a wrapper that logs every run to `log`."""
    compiler = load_profile(base).compiler
    log = tmp_path / "compiler-runs.log"
    wrapper = tmp_path / "bin" / f"logging-{compiler}"
    wrapper.parent.mkdir(exist_ok=True)
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec {shutil.which(compiler)} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    text = (PROFILE_DIR / f"{base}.yaml").read_text().replace(f"compiler: {compiler}", f"compiler: {wrapper}")
    text = text.replace(f"name: {base}", "name: hostile")
    (tmp_path / "hostile.yaml").write_text(text)
    return load_profile(tmp_path / "hostile.yaml"), log


@pytest.fixture
def logged(tmp_path):
    """(profile, log): the oot profile (host gcc) with a compiler that logs every run to `log`."""
    return logging_profile(tmp_path)


@pytest.fixture(
    params=[
        pytest.param("oot-gc-eu-mq-dbg", id="gcc"),
        pytest.param(
            "hackeroot-ntsc-1.2",
            id="mips-gcc",
            marks=pytest.mark.skipif(not HAS_MIPS, reason="mips-linux-gnu-gcc not installed"),
        ),
    ]
)
def logged_compilers(request, tmp_path):
    """`logged`, once with the host gcc profile and once with the mips-linux-gnu-gcc one."""
    return logging_profile(tmp_path, request.param)


def assert_contained(result: CCompileResult, *secrets: str) -> None:
    shown = result.model_dump_json()
    for line in PASSWD.splitlines()[:5]:
        assert line not in shown
    for secret in ("/tmp/", "/etc/passwd:", *secrets):
        assert secret not in result.compiler_output
    assert all(not d.file.startswith("/") for d in result.diagnostics)


@pytest.mark.parametrize("snippet", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_forbidden_before_the_compiler_starts(snippet, sandbox_repo, logged_compilers):
    profile, log = logged_compilers
    result = c_compile_check(snippet, sandbox_repo, profile, limits=LIMITS)
    assert result.failure_class == "forbidden_include", result.compiler_output
    assert result.violations and not result.passed
    assert not log.exists(), "the compiler ran"
    assert_contained(result, str(sandbox_repo))


@pytest.mark.parametrize(("std", "snippet"), FORBIDDEN_BY_STD.values(), ids=FORBIDDEN_BY_STD.keys())
def test_forbidden_under_the_standards_that_read_it(std, snippet, sandbox_repo, logged_compilers):
    profile, log = logged_compilers
    result = c_compile_check(snippet, sandbox_repo, profile.model_copy(update={"std": std}), limits=LIMITS)
    assert result.failure_class == "forbidden_include", result.compiler_output
    assert not log.exists(), "the compiler ran"
    # under the profile's own gnu standard the compiler reads neither trigraphs nor C90 comments
    gnu = c_compile_check(snippet, sandbox_repo, profile, limits=LIMITS)
    assert gnu.failure_class != "forbidden_include", gnu.violations
    assert_contained(gnu, str(sandbox_repo))


def test_a_bom_elsewhere_is_what_gcc_makes_of_it(sandbox_repo, logged):
    """Past the file's start U+FEFF is a character of the line, so `#` after it starts no directive."""
    result = compile_contained('int a;\n\ufeff#include "/etc/passwd"\n', sandbox_repo, logged[0])
    assert not result.passed and result.failure_class != "forbidden_include"


@pytest.mark.parametrize(
    "snippet",
    [
        '#include "sys/passwd"\n',
        "#include <sys/shadow>\n",
        '#include "evil.h"\n',
        '#include "sys/../../etc/passwd"\n',
    ],
    ids=["dir-link-quote", "dir-link-angle", "file-link", "dotdot-through-link"],
)
def test_symlinks_out_of_the_include_roots_are_forbidden(snippet, sandbox_repo, logged):
    profile, log = logged
    result = c_compile_check(snippet, sandbox_repo, profile, limits=LIMITS)
    assert result.failure_class == "forbidden_include"
    assert "outside the include roots" in result.violations[0].reason
    assert not log.exists()


def test_a_link_to_repo_files_outside_the_roots_is_forbidden(sandbox_repo, logged, tmp_path):
    profile, log = logged
    narrow = profile.model_copy(update={"include_dirs": ["include", "include/libc", "src"]})
    result = c_compile_check("#include <tool.h>\n", sandbox_repo, narrow, limits=LIMITS)
    assert result.failure_class == "forbidden_include" and not log.exists()
    # with the repo root among the roots (as zeldaret/oot has `-I.`), tools/ is inside them
    wide = c_compile_check(
        '#include "global.h"\n#include <tool.h>\n' + FN, sandbox_repo, profile, limits=LIMITS
    )
    assert wide.passed, wide.compiler_output


def test_dotdot_that_stays_inside_the_roots_is_allowed(sandbox_repo, logged):
    profile, log = logged
    result = c_compile_check('#include "libc/../global.h"\n' + FN, sandbox_repo, profile, limits=LIMITS)
    assert result.passed, result.compiler_output
    assert log.exists()


def compile_contained(snippet: str, repo: Path, profile) -> CCompileResult:
    result = c_compile_check(snippet, repo, profile, limits=LIMITS)
    assert result.failure_class != "forbidden_include", result.violations
    assert_contained(result, str(repo))
    return result


def test_macro_expansion_bomb_is_stopped_by_the_limits(sandbox_repo, logged):
    defines = "#define A0 x\n" + "".join(f"#define A{i} A{i - 1} A{i - 1}\n" for i in range(1, 31))
    result = compile_contained(defines + "int A30;\n", sandbox_repo, logged[0])
    assert not result.passed
    assert result.limit in ("cpu", "wall", "memory") and result.failure_class in ("timeout", "other")


def test_recursive_macros_do_not_loop(sandbox_repo, logged):
    result = compile_contained(
        "#define A B\n#define B A\nint A;\nint f(void) { return A + B; }\n", sandbox_repo, logged[0]
    )
    assert result.limit is None


def test_huge_array_is_a_compile_error(sandbox_repo, logged):
    result = compile_contained("char x[1u<<31][1u<<31];\n", sandbox_repo, logged[0])
    assert result.failure_class == "other" and "too large" in result.detail


def test_huge_initializer_and_a_one_megabyte_line(sandbox_repo, logged):
    initializer = "static const u8 sData[] = {" + "0x5A," * 200_000 + "};\n"
    assert compile_contained(initializer, sandbox_repo, logged[0]).passed
    line = "s32 gSum = 0" + " + 1" * 250_000 + ";\n"
    assert len(line) > 1_000_000
    result = compile_contained(line, sandbox_repo, logged[0])
    assert result.limit is None


def test_nul_bytes_are_harmless(sandbox_repo, logged):
    result = compile_contained(
        '#inc\0lude "global.h"\n' + FN.replace("speed", "sp\0eed"), sandbox_repo, logged[0]
    )
    assert result.failure_class == "syntax_error"  # `#inc lude`: NULs are spaces, as gcc ignores them


def test_deep_nesting(sandbox_repo, logged):
    """Deep nesting is valid C, and gcc sets no depth limit: within the sandbox's limits it compiles
    (no limit hit, no crash), and an unclosed nest is the snippet's own syntax error."""
    parens = "int f(void) { return " + "(" * 10_000 + "1" + ")" * 10_000 + "; }\n"
    braces = "void g(void) " + "{" * 10_000 + "}" * 10_000 + "\n"
    for snippet in (parens, braces):
        result = compile_contained(snippet, sandbox_repo, logged[0])
        assert result.passed and result.limit is None, (result.failure_class, result.detail)
    unclosed = compile_contained("int h(void) { return " + "(" * 10_000 + "; }\n", sandbox_repo, logged[0])
    assert not unclosed.passed and unclosed.limit is None
    assert unclosed.failure_class == "syntax_error", unclosed.detail


def test_harmless_pragmas_compile(sandbox_repo, logged):
    snippet = (
        '#pragma GCC optimize("O3")\n#pragma GCC push_options\n#pragma message("hello")\n'
        '#pragma GCC poison gets\n#pragma push_macro("FN")\n#pragma pop_macro("FN")\n'
        '#pragma GCC system_header\n#pragma once\n_Pragma("message(\\"hi\\")")\n' + FN
    )
    result = compile_contained(snippet, sandbox_repo, logged[0])
    assert result.passed, result.compiler_output


def test_incbin_in_asm_is_never_assembled(sandbox_repo, logged, tmp_path):
    fifo = tmp_path / "blocks-if-opened"
    os.mkfifo(fifo)
    snippet = f'__asm__(".incbin \\"{fifo}\\"");\n' + FN.replace(
        "{", f'{{ __asm__(".incbin \\"{fifo}\\""); ', 1
    )
    result = compile_contained(snippet, sandbox_repo, logged[0])
    assert result.passed and not result.timed_out  # opening the FIFO would have blocked until the wall limit


def test_compiler_lookalike_messages_do_not_fake_a_timeout(sandbox_repo, logged):
    result = compile_contained(
        "#error CPU time limit exceeded\n#error out of memory\n", sandbox_repo, logged[0]
    )
    assert result.failure_class == "other" and result.limit is None


def test_hostile_snippets_through_the_pool_match_lone_checks(sandbox_repo, logged, tmp_path, monkeypatch):
    monkeypatch.setenv("MODSMITH_CACHE", str(tmp_path / "cache"))
    profile = logged[0]
    snippets = [
        *FORBIDDEN.values(),
        "char x[1u<<31][1u<<31];\n",
        FN,
        FN.replace("speed", "sped"),
        "int h(void) { return " + "(" * 2000 + "; }\n",
        '#pragma message("x")\n' + FN,
    ]
    pool = CCheckPool(sandbox_repo, profile, workers=2, limits=LIMITS)
    for snippet, fast in zip(snippets, pool.check_many(snippets), strict=True):
        alone = c_compile_check(snippet, sandbox_repo, profile, limits=LIMITS)
        assert fast.model_dump(exclude={"pch_used"}) == alone.model_dump(exclude={"pch_used"})
        assert_contained(fast, str(sandbox_repo))


def test_the_guard_reads_a_megabyte_of_lexer_traps(sandbox_repo):
    """Comment starts, quotes and splices by the thousand, then the include they were hiding."""
    roots = IncludeRoots(repo=sandbox_repo, include_dirs=(sandbox_repo / "include",))
    text = clean_source(("/*\"'\\\n" * 100_000) + "*/\n" + ("%:" * 200_000) + '\n#include "/etc/passwd"\n')
    assert len(text) > 1_000_000
    found = scan_snippet(text, roots).violations
    assert [(v.line, v.target) for v in found] == [(100_003, "/etc/passwd")]
    assert next(lex("%:include <x.h>")).kind == "hash"


CANARY = "modsmith_leak_canary hunter2"


@pytest.fixture
def secret_path(tmp_path):
    """A host file outside the repo, and a relative include path that climbs to it from anywhere."""
    secret = tmp_path / "host" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(CANARY + "\n")
    return secret, "../" * 12 + str(secret).lstrip("/")


def test_check_refuses_a_bom_hidden_include_and_shows_nothing_of_it(modsmith, decomp_repo, secret_path):
    repo = decomp_repo[0]
    secret, climb = secret_path
    source = secret.parent / "b.c"
    source.write_bytes(b"\xef\xbb\xbf" + f'#include "{climb}"\n#include "global.h"\n'.encode())
    result = modsmith("check", str(source), "--repo", str(repo), "--profile", "oot-gc-eu-mq-dbg", "--json")
    assert result.returncode == 1, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["failure_class"] == "forbidden_include"
    human = modsmith("check", str(source), "--repo", str(repo), "--profile", "oot-gc-eu-mq-dbg")
    for shown in (result.stdout, result.stderr, human.stdout, human.stderr):
        assert "hunter2" not in shown and "modsmith_leak_canary" not in shown


def test_a_dataset_with_bom_tricks_keeps_no_secret(modsmith, decomp_repo, secret_path, tmp_path):
    repo = decomp_repo[0]
    secret, climb = secret_path
    blocks = [
        f'\ufeff#include "{climb}"\n#include "global.h"\n',
        '\ufeff#pragma GCC diagnostic ignored "-Wimplicit-function-declaration"\n' + INVENTED,
    ]
    examples = [
        Example.create(
            "code.implement",
            [
                Message(role="user", content="Write it."),
                Message(role="assistant", content=f"Here:\n\n```c\n{block}```\n"),
            ],
        )
        for block in blocks
    ]
    data = tmp_path / "hostile.jsonl"
    write_jsonl(data, examples)
    out = tmp_path / "hostile.checked.jsonl"
    result = modsmith(
        "check", str(data), "--repo", str(repo), "--profile", "oot-gc-eu-mq-dbg", "-o", str(out)
    )
    assert result.returncode == 1, result.stderr
    checked = list(read_jsonl(out, Example))
    assert [e.checks["compile_c"].data["failure_class"] for e in checked] == ["forbidden_include"] * 2
    written = [out, *tmp_path.glob("hostile.checked.report.*")]
    assert len(written) == 3
    for shown in [result.stdout, result.stderr, *(p.read_text() for p in written)]:
        assert "hunter2" not in shown and "modsmith_leak_canary" not in shown


def test_compiler_output_lines_end_only_at_newlines(sandbox_repo, logged):
    """A snippet's `#error` text with U+2028 or U+0085 in it is one diagnostic, not a forged line."""
    text = "#error one\u2028snippet.c:7:1: error: expected ';' before 'x'\u0085end\n"
    result = compile_contained(text, sandbox_repo, logged[0])
    assert len(result.diagnostics) == 1 and result.diagnostics[0].message.endswith("end")
    assert result.failure_class == "other" and len(result.compiler_output.split("\n")) == 1
