"""Compile profiles: how to syntax-check C for one code base (compiler, flags, include roots).

A profile is a YAML file. modsmith ships profiles for zeldaret/oot and HackerOoT in `profiles/`;
a user can write their own and pass its path instead of a name. Include flags, defines and the C
standard have their own keys, so that the check can keep include roots inside the repository:
`flags` may not carry include paths, forced includes or anything that writes or runs files, nor
flags that change how the source is lexed: the include rules lex it as `std` alone says.

Some files get extra defines from the decomp's Makefile (`file_defines`, by the checked file's
path); headers that only the decomp's build writes (`build_headers`) are reported as such when
missing, since the check never runs the build.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import posixpath
import shutil
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from modsmith.errors import ModsmithError
from modsmith.yaml_errors import validate_yaml

PROFILE_DIR = Path(__file__).with_name("profiles")
#: the profile a check uses when none is named: zeldaret/oot's default build, gc-eu-mq-dbg
DEFAULT_PROFILE = "oot-gc-eu-mq-dbg"
DEFAULT_STATEMENT_WRAPPER = "void modsmith_fragment(void) {\n{body}\n}"

#: apt packages that provide the compilers profiles name.
APT_PACKAGES = {"gcc": "gcc", "mips-linux-gnu-gcc": "gcc-mips-linux-gnu", "clang": "clang"}

# Flags a profile may not pass: include paths and forced includes (they have their own keys, kept
# inside the repo), output files, other languages or stages, plugins and wrappers that run programs.
_FORBIDDEN_FLAG_PREFIXES = (
    "-I",
    "-i",
    "--include",
    "--sysroot",
    "-D",
    "-std",
    "-o",
    "-x",
    "-B",
    "-specs",
    "--specs",
    "-wrapper",
    "-fplugin",
    "-Wp,",
    "-Xpreprocessor",
    "-Xassembler",
    "-Xlinker",
    "-Wl,",
    "-L",
    "-l",
    "-save-temps",
    "-MF",
    "-MT",
    "-MQ",
    "@",
    "--param=",
)
_FORBIDDEN_FLAGS = {"-E", "-M", "-MM", "-S", "-c", "-pipe", "-v", "--verbose", "-H", "-ansi"}
# Flags that change how the source is lexed (trigraphs, digraphs, which characters make identifiers,
# the input's encoding, traditional preprocessing) or pass options on unread: the include rules lex
# as `std` alone says, so these would let the compiler read a snippet differently from the check.
_LEXING_FLAGS = (
    "-trigraphs",
    "-ftrigraphs",
    "-fno-trigraphs",
    "-fdigraphs",
    "-fno-digraphs",
    "-traditional",
    "-finput-charset",
    "-fextended-identifiers",
    "-fno-extended-identifiers",
    "-fdollars-in-identifiers",
    "-fno-dollars-in-identifiers",
    "-fpreprocessed",
    "-fdirectives-only",
    "-fms-compatibility",
    "-Xclang",
    "--config",
)
_FLAG_HINTS = {"-I": "include_dirs", "-D": "defines", "-std": "std", "-ansi": "std"}
#: the C standards `std` may name (gcc's and clang's spellings without a colon)
C_STANDARDS = tuple(
    f"{base}{year}"
    for base in ("c", "gnu")
    for year in ("89", "90", "99", "9x", "11", "1x", "17", "18", "2x", "23", "2y")
)


def _valid_define(define: str) -> str:
    name = define.split("=", 1)[0]
    if not name.isidentifier() or not name.isascii():
        raise ValueError(f"define {define!r} is not NAME or NAME=VALUE")
    return define


def _inside_repo(entry: str) -> str:
    norm = posixpath.normpath(entry)
    if posixpath.isabs(entry) or norm == ".." or norm.startswith("../"):
        raise ValueError(f"{entry!r} must be a path inside the repository (relative to its root)")
    return entry


#: a macro, `NAME` or `NAME=VALUE` (the value goes to the compiler as one argument, no shell)
Define = Annotated[str, AfterValidator(_valid_define)]
#: a path or glob relative to the repository root, never outside it
RepoPath = Annotated[str, AfterValidator(_inside_repo)]


class CompileProfile(BaseModel):
    """How C code of one code base is syntax-checked."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_.+-]+$", description="Profile name, e.g. `oot-gc-eu-mq-dbg`.")
    description: str = Field(default="", description="What code base and version this profile is for.")
    compiler: str = Field(
        default="gcc",
        description="`gcc`, `mips-linux-gnu-gcc`, `clang`, or a path to a compiler with gcc's options.",
    )
    std: str = Field(default="gnu90", pattern=r"^[a-z0-9+]+$", description="C standard, as in `-std=`.")
    flags: list[str] = Field(
        default_factory=list,
        description="Other compiler flags (warnings, target). Include paths, defines and -std have "
        "their own keys; `-fsyntax-only` and `-nostdinc` are always added.",
    )
    defines: list[Define] = Field(default_factory=list, description="Macros, `NAME` or `NAME=VALUE`.")
    file_defines: dict[RepoPath, list[Define]] = Field(
        default_factory=dict,
        description="Extra macros for some files, as the decomp's Makefile gives them "
        "(`src/audio/internal/seqplayer.o: CPP_DEFINES += -DMML_VERSION=...`): a glob of the checked "
        "file's path relative to the repo root (`src/audio/internal/seqplayer.c`; `*` also matches "
        "`/`) to a list of macros, `NAME` or `NAME=VALUE`, added after `defines`. Every matching "
        "glob adds its own. Code checked with no file name gets none.",
    )
    include_dirs: list[RepoPath] = Field(
        default_factory=list,
        description="Include roots relative to the repository root, searched in this order. Snippets may "
        "include nothing outside them.",
    )
    standard_includes: list[str] = Field(
        default_factory=list,
        description="Headers a fragment without #include gets, in order; those not found under the "
        "include roots are skipped (so one profile fits older and newer checkouts).",
    )
    pch_includes: list[str] | None = Field(
        default=None,
        description="Headers precompiled once per repository state and profile (default: "
        "standard_includes). The header is used only where a snippet starts with these includes.",
    )
    generated_dirs: list[RepoPath] = Field(
        default_factory=list,
        description="Where headers produced by the build (e.g. `make setup`) live: directories relative "
        "to the repo root (`extracted/<version>`), or glob patterns for include names (`assets/objects/*`). "
        "A missing header there is reported as needing extracted assets, not as the snippet's fault, "
        "until one of the directories exists.",
    )
    build_headers: list[str] = Field(
        default_factory=list,
        description="Glob patterns of include names that the decomp's build (`make`) writes, not its "
        "asset extraction (`dmadata_table_spec.h`, made from `spec`). The check does not run the build, "
        "so such a header, when missing, is reported as the build's (class `missing_header`), not as "
        "the code's fault. A name that also matches `generated_dirs` needs the assets first.",
    )
    statement_wrapper: str = Field(
        default=DEFAULT_STATEMENT_WRAPPER,
        description="Function that bare statements are wrapped in; `{body}` marks where they go.",
    )

    @field_validator("flags")
    @classmethod
    def _safe_flags(cls, flags: list[str]) -> list[str]:
        for flag in flags:
            if flag.startswith(_LEXING_FLAGS):
                raise ValueError(
                    f"flag {flag!r} is not allowed in `flags`: it changes how the compiler reads the "
                    "source, and the include rules read it as `std` says"
                )
            if flag in _FORBIDDEN_FLAGS or flag.startswith(_FORBIDDEN_FLAG_PREFIXES):
                key = next((v for k, v in _FLAG_HINTS.items() if flag.startswith(k)), None)
                where = f"; use `{key}`" if key else ""
                raise ValueError(f"flag {flag!r} is not allowed in `flags`{where}")
        return flags

    @field_validator("std")
    @classmethod
    def _known_std(cls, std: str) -> str:
        if std not in C_STANDARDS:
            raise ValueError(
                f"std {std!r} is not a C standard the check knows; one of {', '.join(C_STANDARDS)}"
            )
        return std

    @field_validator("statement_wrapper")
    @classmethod
    def _one_body(cls, wrapper: str) -> str:
        if wrapper.count("{body}") != 1:
            raise ValueError("statement_wrapper must contain `{body}` exactly once")
        return wrapper

    #: folders of headers modsmith generated outside the repo (asset declarations written from the
    #: asset XML, no ROM): searched after `include_dirs`. Never read from YAML: a profile file
    #: cannot widen the include roots; only `with_generated_headers` sets them.
    _generated_include_dirs: tuple[Path, ...] = PrivateAttr(default=())

    def with_generated_headers(self, folders: tuple[Path, ...] | list[Path]) -> CompileProfile:
        """This profile, with `folders` of generated headers searched after its include roots."""
        copy = self.model_copy()
        copy._generated_include_dirs = tuple(Path(os.path.realpath(f)) for f in folders)
        return copy

    @property
    def generated_include_dirs(self) -> tuple[Path, ...]:
        return self._generated_include_dirs

    def search_dirs(self, repo: Path) -> list[Path]:
        """The `-I` folders in search order: the existing include roots under `repo`, then the
        generated header folders."""
        inside = [Path(repo) / d for d in self.include_dirs if (Path(repo) / d).is_dir()]
        return inside + [d for d in self._generated_include_dirs if d.is_dir()]

    def defines_for(self, file_name: str) -> list[str]:
        """The `file_defines` of a file at `file_name` (relative to the repo root), in profile order."""
        name = file_name.replace("\\", "/")
        found: list[str] = []
        for pattern, defines in self.file_defines.items():
            if fnmatch.fnmatchcase(name, pattern):
                found += [d for d in defines if d not in found]
        return found

    def is_build_header(self, include: str) -> bool:
        """Whether `include` (a name as `#include` gives it) is one the decomp's build writes."""
        return any(fnmatch.fnmatchcase(include, pattern) for pattern in self.build_headers)

    @property
    def precompiled(self) -> list[str]:
        """The headers that go into the precompiled header."""
        return self.standard_includes if self.pch_includes is None else self.pch_includes

    def compiler_path(self) -> str:
        """The compiler to run; a ModsmithError with the package to install when it is missing."""
        expanded = os.path.expanduser(self.compiler)
        found = (
            shutil.which(expanded)
            if "/" not in expanded
            else (expanded if os.access(expanded, os.X_OK) else None)
        )
        if found:
            return found
        package = APT_PACKAGES.get(Path(expanded).name)
        hint = f"apt-get install {package}" if package else "install it or set `compiler` to its path"
        raise ModsmithError(f"compiler {self.compiler!r} not found (profile {self.name})", hint=hint)

    def is_clang(self) -> bool:
        return "clang" in Path(self.compiler).name


def shipped_profiles() -> list[str]:
    """Names of the profiles that come with modsmith."""
    return sorted(path.stem for path in PROFILE_DIR.glob("*.yaml"))


def load_profile(name_or_path: str | Path) -> CompileProfile:
    """A shipped profile by name, or a user's YAML profile by path; errors name the YAML line."""
    text = str(name_or_path)
    path = Path(text).expanduser()
    looks_like_path = path.suffix in (".yaml", ".yml") or "/" in text or os.sep in text
    if looks_like_path or path.is_file():
        return validate_yaml(path, CompileProfile, "compile profile")
    shipped = shipped_profiles()
    if text not in shipped:
        close = difflib.get_close_matches(text, shipped, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "or give the path of a YAML profile"
        raise ModsmithError(f"unknown compile profile {text!r}; shipped: {', '.join(shipped)}", hint=hint)
    return validate_yaml(PROFILE_DIR / f"{text}.yaml", CompileProfile, "compile profile")
