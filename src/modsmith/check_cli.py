"""`modsmith check` and `modsmith index`: their options, and what they print.

The work is done in `modsmith.ground` (`check_command`: which paths are checked and how, the
verdicts and the exit code; `names.repo_index`: the index); a dataset goes through the
`ground.check` stage like any other stage run on files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from modsmith.console import console, print_grounding, print_index, progress, run_stage_on_files, stdout
from modsmith.run import build_named_stage


def index(
    repo: Annotated[
        Path, typer.Argument(help="Root of a C or C# code base at the commit you build against.")
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="SQLite index to write (default: the cache `modsmith check` uses)."
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            help="C compile profile (a shipped name or a YAML path): also index what its preprocessor "
            "produces (X-macro tables, -D names) and the asset names, as `modsmith check --profile` does."
        ),
    ] = None,
) -> None:
    """Index every function, macro, type, enum constant, global and field of a code base (SQLite).

    Re-indexing an unchanged repo only compares file sizes and times; changed files are re-parsed.
    """
    from modsmith.ground.names.repo_index import build_repo_index

    with progress() as on_stage:
        on_file = on_stage("index")
        seen = [0]

        def indexed(rel: str, action: str) -> None:
            seen[0] += 1
            on_file(seen[0])

        built = build_repo_index(repo, output, profile, on_file=indexed)
    print_index(built, repo)
    built.close()


def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Examples JSONL, or .c / .h / .cs files; none: the whole Unity project --repo."),
    ] = None,
    repo: Annotated[
        Path | None, typer.Option(help="Your checkout of the code base (index built and cached).")
    ] = None,
    index_path: Annotated[
        Path | None, typer.Option("--index", help="A symbol index from `modsmith index`.")
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option(
            help="C compile profile: oot-gc-eu-mq-dbg, oot-ntsc-1.2, "
            "hackeroot-ntsc-1.2, or a YAML profile path (default: the ground.check stage's)."
        ),
    ] = None,
    unity_managed: Annotated[
        Path | None,
        typer.Option(help="Unity's Editor/Data/Managed folder (default: the bundled UnityEngine stubs)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Checked examples JSONL (default: NAME.checked.jsonl beside the input)."
        ),
    ] = None,
    on_fail: Annotated[
        str | None,
        typer.Option(
            help="For examples: keep, tag or drop failing ones (default: the ground.check stage's)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file on stdout.")] = False,
    rename_history: Annotated[
        bool | None,
        typer.Option(
            "--rename-history/--no-rename-history",
            help="Say which commit renamed a name that is gone (reads the git history once; default: "
            "the ground.check stage's).",
        ),
    ] = None,
    max_source_bytes: Annotated[
        int | None,
        typer.Option(
            min=1024,
            help="Largest code checked, in UTF-8 bytes: a larger file or code block fails as too_large "
            "without being read (default: the ground.check stage's).",
        ),
    ] = None,
) -> None:
    """Check code against the real code base: invented names, C and C# compile checks.

    Exit code 0 when everything passed, 1 when a check failed, 2 for a usage or input error.
    A syntax check proves names and types, not linking or behaviour.
    """
    import json

    from modsmith.ground.check_command import DatasetCheck, check_command, check_config

    config = check_config(
        repo=repo,
        index=index_path,
        profile=profile,
        unity_managed=unity_managed,
        on_fail=on_fail,
        rename_history=rename_history,
        max_source_bytes=max_source_bytes,
    )
    checked = check_command(paths or [], config, output)
    if isinstance(checked, DatasetCheck):
        sys.exit(_check_dataset(checked))
    for verdict in checked.verdicts:
        if as_json:
            print(json.dumps(verdict.model_dump()))
        elif checked.shown(verdict):
            _print_verdict(verdict)
    if checked.summary is not None:
        console.print(checked.summary, markup=False, highlight=False)
    sys.exit(checked.exit_code)


def _check_dataset(dataset) -> int:
    from modsmith.ground.check_command import dataset_exit_code

    data, output = dataset.data, dataset.output
    stage = build_named_stage("ground.check", dataset.config.model_dump())
    result = run_stage_on_files(stage, data, output)
    print_grounding(stage.report, data, output, result.records_out)
    return dataset_exit_code(stage.report)


def _print_verdict(verdict) -> None:
    from modsmith.ground.check_command import verdict_lines

    for line in verdict_lines(verdict):
        stdout.print(line, markup=False, highlight=False)
