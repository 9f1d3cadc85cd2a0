"""The `modsmith` command: parses arguments, calls a stage or a run, prints. No logic lives here."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from modsmith.errors import ModsmithError
from modsmith.run import RunResult, StageResult, run_on_files, run_recipe, stage_registry

app = typer.Typer(
    help="modsmith: checked instruction datasets from a modding community's code and guides.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
ingest_app = typer.Typer(help="Read code repos or guides into documents (JSON Lines).", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")
console = Console(stderr=True)
stdout = Console(soft_wrap=True)


class Format(str, Enum):
    alpaca = "alpaca"
    sharegpt = "sharegpt"
    openai = "openai"
    text = "text"


class SourceFormat(str, Enum):
    modsmith = "modsmith"
    auto = "auto"
    alpaca = "alpaca"
    sharegpt = "sharegpt"
    openai = "openai"


@contextmanager
def _progress():
    """Yields an `on_stage(name) -> on_record(count)` factory that drives a rich progress display."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed} records"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:

        def on_stage(name: str):
            task = progress.add_task(name, total=None)

            def on_record(count: int) -> None:
                if count % 200 == 0:
                    progress.update(task, completed=count)

            return on_record

        yield on_stage


def _stage_table(results: list[StageResult]) -> Table:
    table = Table(title="stages")
    for column in ("stage", "in", "out", "dropped", "why dropped", "seconds"):
        table.add_column(column, justify="right" if column in ("in", "out", "dropped", "seconds") else "left")
    for r in results:
        reasons = "; ".join(f"{k}: {v}" for k, v in list(r.reasons.items())[:4]) or "-"
        seconds = "skipped (unchanged)" if r.skipped else f"{r.seconds:.2f}"
        table.add_row(r.stage, str(r.records_in), str(r.records_out), str(r.dropped), reasons, seconds)
    return table


def _run_one(stage_name: str, config: dict, input_path: Path | None, output: Path):
    cls = stage_registry()[stage_name]
    stage = cls(cls.Config(**config))
    with _progress() as on_stage:
        result, rejected = run_on_files(stage, input_path, output, on_stage(stage_name))
    console.print(_stage_table([result]))
    console.print(f"wrote {result.records_out} records to {output}; dropped {result.dropped} to {rejected}")
    return stage, result


@ingest_app.command("code")
def ingest_code(
    repo: Annotated[Path, typer.Argument(help="Root of a C or C# code base (a git checkout or any folder).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Documents JSONL to write.")],
    include: Annotated[list[str], typer.Option(help="Only files matching this gitignore-style glob.")] = [],
    exclude: Annotated[list[str], typer.Option(help="Skip files matching this gitignore-style glob.")] = [],
    lang: Annotated[list[str], typer.Option(help="Languages to read: c, csharp (default both).")] = [],
) -> None:
    """Extract functions, prototypes, types, enums, macros (C) and classes and members (C#)."""
    config = {"root": str(repo), "include": include, "exclude": exclude}
    if lang:
        config["languages"] = lang
    _run_one("ingest.code", config, None, output)


@ingest_app.command("text")
def ingest_text(
    paths: Annotated[list[Path], typer.Argument(help="Guide files or folders (.txt, .md, .html).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Documents JSONL to write.")],
    chunker: Annotated[
        str, typer.Option(help="paragraphs (up to --max-tokens) or gaussian (seed's).")
    ] = "paragraphs",
    max_tokens: Annotated[int, typer.Option(help="Token budget of a paragraph chunk.")] = 512,
    tokenizer: Annotated[str | None, typer.Option(help="Local tokenizer used to count tokens.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the gaussian chunk-count sampler.")] = 0,
) -> None:
    """Clean guides (HTML, Markdown, text), keep headings, and chunk them."""
    config = {
        "paths": [str(p) for p in paths],
        "chunker": chunker,
        "max_tokens": max_tokens,
        "tokenizer": tokenizer,
        "seed": seed,
    }
    _run_one("ingest.text", config, None, output)


@app.command()
def build(
    documents: Annotated[Path, typer.Argument(help="Documents JSONL from `modsmith ingest`.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Examples JSONL to write.")],
    task: Annotated[
        list[str],
        typer.Option(
            help="Task to build (repeatable): code.explain, code.implement, "
            "code.macro, guide.section. Default: all."
        ),
    ] = [],
) -> None:
    """Build training examples from documents with the deterministic task builders (no model)."""
    _run_one("synth.tasks", {"tasks": task} if task else {}, documents, output)


@app.command("format")
def format_(
    examples: Annotated[
        Path, typer.Argument(help="Examples JSONL, or a dataset in another format (--from).")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the dataset files and card.")],
    to: Annotated[list[Format], typer.Option(help="Output format (repeatable).")] = [Format.sharegpt],
    from_: Annotated[
        SourceFormat, typer.Option("--from", help="Format of the input.")
    ] = SourceFormat.modsmith,
    valid_fraction: Annotated[float, typer.Option(help="Share held out, grouped by source file.")] = 0.15,
    seed: Annotated[int, typer.Option(help="Seed of the split.")] = 0,
    tokenizer: Annotated[
        str | None, typer.Option(help="Local tokenizer dir with a chat template (text).")
    ] = None,
    keep_meta: Annotated[bool, typer.Option(help="Also write id, task and provenance.")] = False,
) -> None:
    """Split examples by source file and write Alpaca / ShareGPT / OpenAI / chat-template text + a card.

    The output folder is replaced whole when the new dataset is complete (or left as it was).
    """
    from modsmith.formats import export_dataset

    summary = export_dataset(
        examples,
        output,
        formats=[f.value for f in to],
        valid_fraction=valid_fraction,
        seed=seed,
        tokenizer=tokenizer,
        keep_meta=keep_meta,
        source_format=from_.value,
    )
    if summary["imported"]:
        console.print(f"imported {summary['examples']} examples from {examples} into {summary['imported']}")
    _print_export(summary, output)


def _print_export(summary: dict, output: Path) -> None:
    table = Table(title=f"dataset in {output}")
    table.add_column("file")
    table.add_column("lines", justify="right")
    for name, count in summary.get("files", {}).items():
        table.add_row(str(name), str(count))
    console.print(table)
    for reason, count in summary.get("rejected", {}).items():
        console.print(f"not written: {count} ({reason})")


@app.command()
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
    from modsmith.ground.grounding import build_repo_index

    with _progress() as on_stage:
        on_file = on_stage("index")
        seen = [0]

        def progress(rel: str, action: str) -> None:
            seen[0] += 1
            on_file(seen[0])

        built = build_repo_index(repo, output, profile, on_file=progress)
    target = built.db_path
    counts = built.last_build
    table = Table(title=f"symbol index of {repo} at {built.commit or 'no commit'}")
    table.add_column("kind")
    table.add_column("symbols", justify="right")
    for kind, count in sorted(built.stats().items()):
        table.add_row(kind, str(count))
    console.print(table)
    console.print(
        f"{counts.files} files: {counts.indexed} indexed, {counts.unchanged} unchanged, "
        f"{counts.removed} removed, {counts.skipped} skipped, in {counts.seconds:.2f} s"
    )
    stdout.print(f"index: {target}")
    built.close()


@app.command()
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
        str,
        typer.Option(
            help="C compile profile: oot-gc-eu-mq-dbg, oot-ntsc-1.2, "
            "hackeroot-ntsc-1.2, or a YAML profile path."
        ),
    ] = "oot-gc-eu-mq-dbg",
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
    on_fail: Annotated[str, typer.Option(help="For examples: keep, tag or drop failing ones.")] = "keep",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per file on stdout.")] = False,
    rename_history: Annotated[
        bool, typer.Option(help="Say which commit renamed a name that is gone (reads the git history once).")
    ] = True,
    max_source_bytes: Annotated[
        int,
        typer.Option(
            min=1024,
            help="Largest code checked, in UTF-8 bytes: a larger file or code block fails as too_large "
            "without being read.",
        ),
    ] = 1 << 20,
) -> None:
    """Check code against the real code base: invented names, C and C# compile checks.

    Exit code 0 when everything passed, 1 when a check failed, 2 for a usage or input error.
    A syntax check proves names and types, not linking or behaviour.
    """
    import json

    from modsmith.ground.check import check_file, check_unity_project
    from modsmith.ground.csharp.unity_project import is_unity_project
    from modsmith.ground.grounding import Grounding, GroundingSetup
    from modsmith.ground.sandbox import SandboxLimits

    paths = paths or []
    if not paths and repo is not None and is_unity_project(repo):
        verdicts, summary = check_unity_project(repo, unity_managed)
        for verdict in verdicts:
            if as_json:
                print(json.dumps(verdict))
            elif not verdict["passed"]:
                _print_verdict(verdict)
        console.print(summary, markup=False, highlight=False)
        sys.exit(0 if all(v["passed"] for v in verdicts) else 1)
    if not paths:
        raise ModsmithError(
            "nothing to check", hint="give files or an examples JSONL, or --repo with a Unity project"
        )
    datasets = [p for p in paths if p.suffix == ".jsonl"]
    if datasets:
        if len(paths) != 1:
            raise ModsmithError("give one examples JSONL file, or source files, not both")
        sys.exit(
            _check_dataset(
                datasets[0],
                repo,
                index_path,
                profile,
                unity_managed,
                output,
                on_fail,
                rename_history,
                max_source_bytes,
            )
        )
    if any(p.suffix in (".c", ".h") for p in paths) and repo is None and index_path is None:
        raise ModsmithError(
            "a C file is checked against a code base",
            where=str(paths[0]),
            hint="give --repo (your decomp checkout) and --profile",
        )
    setup = GroundingSetup(
        repo=repo,
        index=index_path,
        profile=profile if repo else None,
        unity_managed=unity_managed,
        rename_history=rename_history,
        limits=SandboxLimits(max_source_bytes=max_source_bytes),
    )
    grounding = Grounding.open(setup)
    try:
        verdicts = [check_file(path, grounding) for path in paths]
    finally:
        grounding.close()
    for verdict in verdicts:
        if as_json:
            print(json.dumps(verdict))
        else:
            _print_verdict(verdict)
    sys.exit(0 if all(v["passed"] for v in verdicts) else 1)


def _check_dataset(
    data,
    repo,
    index_path,
    profile,
    unity_managed,
    output,
    on_fail,
    rename_history=True,
    max_source_bytes=1 << 20,
) -> int:
    config = {
        "rename_history": rename_history,
        "max_source_bytes": max_source_bytes,
        "repo": str(repo) if repo else None,
        "index": str(index_path) if index_path else None,
        "profile": profile if repo else None,
        "unity_managed": str(unity_managed) if unity_managed else None,
        "on_fail": on_fail,
    }
    output = output or data.with_name(data.stem + ".checked.jsonl")
    stage, result = _run_one("ground.check", config, data, output)
    table = Table(title=f"grounding of {data}")
    for column in ("check", "passed", "failed", "pass rate"):
        table.add_column(column, justify="left" if column == "check" else "right")
    summary = stage.report.to_dict()
    for name, figures in summary["checks"].items():
        table.add_row(name, str(figures["passed"]), str(figures["failed"]), f"{figures['pass_rate']:.1%}")
    console.print(table)
    for item in summary["invented"][:10]:
        hint = (
            f"renamed to {item['renamed_to']}" if item["renamed_to"] else ", ".join(item["suggestions"][:3])
        )
        console.print(f"invented: {item['name']} x{item['count']}" + (f" ({hint})" if hint else ""))
    stdout.print(
        f"checked examples: {output} ({result.records_out}); report: "
        f"{output.with_name(output.stem + '.report.md')}"
    )
    failed = sum(f["failed"] for f in summary["checks"].values())
    return 0 if failed == 0 else 1


def _print_verdict(verdict: dict) -> None:
    status = "PASS" if verdict["passed"] else f"FAIL ({verdict['failure_class']})"
    stdout.print(f"{verdict['file']}: {status}", markup=False, highlight=False)
    if not verdict["passed"] and verdict.get("detail"):
        stdout.print(f"  {verdict['detail']}", markup=False, highlight=False)
    elif verdict.get("checked_in"):
        stdout.print(f"  checked inside {verdict['checked_in']}", markup=False, highlight=False)
    for item in verdict["invented"]:
        extra = f"; renamed to {item['renamed_to']} in {item['renamed_in']}" if item.get("renamed_to") else ""
        maybe = f"; did you mean {', '.join(item['suggestions'])}?" if item.get("suggestions") else ""
        line = f" (line {item['line']})" if item.get("line") else ""
        stdout.print(
            f"  invented {item['usage']} {item['name']}{line}{extra}{maybe}", markup=False, highlight=False
        )
        _print_why(item)
    for item in verdict["arity_errors"]:
        stdout.print(
            f"  {item['name']}: {item['given']} arguments, expects {item['expected']} "
            f"({item['file']}:{item['line']})",
            markup=False,
            highlight=False,
        )
        _print_why(item)
    known = [k for k in verdict["known"] if k.get("file")]
    if known:
        shown = ", ".join(f"{k['name']} ({k['file']}:{k['line']})" for k in known[:8])
        more = f" and {len(known) - 8} more" if len(known) > 8 else ""
        stdout.print(
            f"  exists at {verdict['commit'] or 'HEAD'}: {shown}{more}", markup=False, highlight=False
        )
    if verdict["compiler_output"] and not verdict["passed"]:
        stdout.print("  compiler:", markup=False)
        for line in verdict["compiler_output"].splitlines()[:12]:
            stdout.print(f"    {line}", markup=False, highlight=False)


def _print_why(item: dict) -> None:
    """The reason under a reported name: its `detail` (which quotes the compiler where one checked
    the code), else the compiler's word alone."""
    why = item.get("detail") or (f"the compiler: {item['compiler']}" if item.get("compiler") else "")
    if why:
        stdout.print(f"    {why}", markup=False, highlight=False)


@app.command()
def run(recipe: Annotated[Path, typer.Argument(help="Recipe YAML (see recipes/).")]) -> None:
    """Run a recipe: each stage into runs/NAME/NN-stage/, unchanged stages skipped, then export."""
    with _progress() as on_stage:
        result = run_recipe(recipe, on_stage)
    _print_run(result)


@app.command()
def stages() -> None:
    """List the stages a recipe can use, with their config fields."""
    import textwrap

    for name, cls in sorted(stage_registry().items()):
        typer.echo(f"{name}: {(cls.__doc__ or '').strip()}")
        for field_name, info in cls.Config.model_fields.items():
            value = None if info.is_required() else info.get_default(call_default_factory=True)
            default = "required" if info.is_required() else f"default {value!r}"
            text = f"{field_name} ({default}): {info.description or ''}"
            typer.echo(textwrap.fill(text, width=100, initial_indent="    ", subsequent_indent="        "))
        typer.echo("")


@app.command()
def demo(output: Annotated[Path, typer.Option(help="Folder for the demo run.")] = Path("runs")) -> None:
    """Offline end-to-end run on the sample code base and guides in examples/."""
    from modsmith.demo import run_demo

    with _progress() as on_stage:
        result = run_demo(output, on_stage)
    _print_run(result)


def _print_run(result: RunResult) -> None:
    console.print(_stage_table(result.stages))
    if result.export:
        _print_export(result.export, result.run_dir / "dataset")
    stdout.print(f"run directory: {result.run_dir}")
    for report in sorted(result.run_dir.glob("*/report.md")):
        stdout.print(f"grounding report: {report}")
    if result.export:
        stdout.print(f"dataset and card: {result.run_dir / 'dataset' / 'README.md'}")


def main() -> None:
    from pydantic import ValidationError

    try:
        app()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        console.print(f"error: option {field}: {first['msg']}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)
    except ModsmithError as exc:
        console.print(f"error: {exc.one_line()}", markup=False, highlight=False, soft_wrap=True)
        if exc.details:
            console.print(exc.details, markup=False, highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
