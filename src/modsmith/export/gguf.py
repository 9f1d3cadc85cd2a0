"""GGUF files of a merged model, and of a LoRA adapter, made by llama.cpp's own converters.

`convert_hf_to_gguf.py` and `convert_lora_to_gguf.py` come from a llama.cpp tree: `LLAMA_CPP_DIR` or
`MODSMITH_LLAMA_CPP_DIR` when set, else the llama.cpp sources of the installed llama-cpp-python that
`make gguf` extracts to `${MODSMITH_CACHE:-~/.cache/modsmith}/llama.cpp-<version>/`. They run as a
subprocess of this Python (the virtual environment's), and a failure is one line: the converter's last
error line.

Types: `f16` and `q8_0` are the converter's own `--outtype`; `q4_k_m` is made from the f16 file by
llama.cpp's quantizer (`llama_cpp.llama_model_quantize`) when the installed llama-cpp-python exposes it.
Each model file must carry the tokenizer's chat template (`tokenizer.chat_template`), which is checked
by reading the file back with the `gguf` package.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modsmith.errors import ModsmithError
from modsmith.output_paths import refuse_output_over_inputs
from modsmith.records import temp_path_beside

WHERE = "export.gguf"
GGUF_TYPES = ("f16", "q8_0", "q4_k_m")
CONVERTER_TYPES = ("f16", "q8_0")  # written by convert_hf_to_gguf.py itself
QUANTIZER_FTYPES = {"q4_k_m": "LLAMA_FTYPE_MOSTLY_Q4_K_M"}  # llama_cpp's constant for each quantizer type
DIR_VARIABLES = ("LLAMA_CPP_DIR", "MODSMITH_LLAMA_CPP_DIR")


def llama_cpp_dir() -> Path:
    """The llama.cpp tree that holds the converters (see the module's docstring)."""
    for variable in DIR_VARIABLES:
        if os.environ.get(variable):
            return Path(os.environ[variable]).expanduser()
    try:
        import llama_cpp
    except ImportError:
        raise ModsmithError(
            "llama-cpp-python is not installed", where=WHERE, hint="run `make gguf` (the gguf extra)"
        ) from None
    cache = Path(os.environ.get("MODSMITH_CACHE") or Path.home() / ".cache" / "modsmith")
    return cache / f"llama.cpp-{llama_cpp.__version__}"


def converter(name: str) -> Path:
    """`name` (convert_hf_to_gguf.py, convert_lora_to_gguf.py) in the llama.cpp tree, or a clear error."""
    script = llama_cpp_dir() / name
    if not script.is_file():
        raise ModsmithError(
            f"llama.cpp's converter {name} is missing",
            where=str(script),
            hint="run `make gguf` to extract it, or set LLAMA_CPP_DIR to a llama.cpp checkout",
        )
    return script


def run_converter(arguments: list[str], what: str) -> None:
    """Run a converter script with this Python; a failure becomes a one-line ModsmithError. The converter
    dies with this process (a kill -9 leaves no converter writing on)."""
    done = subprocess.run(
        [sys.executable, *arguments], capture_output=True, text=True, preexec_fn=_die_with_parent
    )
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        last = lines[-1] if lines else f"exit status {done.returncode}"
        raise ModsmithError(f"{Path(arguments[0]).name} failed to convert {what}: {last}", where=WHERE)


def _die_with_parent() -> None:
    """In the child, before exec: be killed when the parent dies (Linux; elsewhere nothing)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def convert_model(model_dir: Path, out_file: Path, gguf_type: str) -> Path:
    """`out_file`: the Hugging Face model in `model_dir` as a GGUF of `gguf_type`. It is written in place:
    `export_gguf` gives a temporary name and renames it once the file is checked."""
    if gguf_type not in GGUF_TYPES:
        raise ModsmithError(f"unknown GGUF type {gguf_type!r}; known: {', '.join(GGUF_TYPES)}", where=WHERE)
    _require_model_folder(Path(model_dir))
    out_file.parent.mkdir(parents=True, exist_ok=True)
    if gguf_type in CONVERTER_TYPES:
        script = converter("convert_hf_to_gguf.py")
        run_converter(
            [str(script), str(model_dir), "--outfile", str(out_file), "--outtype", gguf_type], "the model"
        )
        return out_file
    ftype = _quantizer_ftype(gguf_type)
    f16 = out_file.with_suffix(".f16" + out_file.suffix)  # a temporary's stays one: .NAME.PID.x.f16.tmp
    try:
        convert_model(model_dir, f16, "f16")
        quantize(f16, out_file, ftype, gguf_type)
    finally:
        f16.unlink(missing_ok=True)
    return out_file


def _require_model_folder(model_dir: Path) -> None:
    if not (model_dir / "config.json").is_file():
        raise ModsmithError(
            "not a model folder (no config.json)",
            where=str(model_dir),
            hint="give the folder of `modsmith export merge`",
        )


def _quantizer_ftype(gguf_type: str) -> int:
    import llama_cpp

    constant = QUANTIZER_FTYPES[gguf_type]
    if not hasattr(llama_cpp, "llama_model_quantize") or not hasattr(llama_cpp, constant):
        raise ModsmithError(
            f"the installed llama-cpp-python ({llama_cpp.__version__}) has no quantizer for {gguf_type}",
            where=WHERE,
            hint="export f16 or q8_0, or install a llama-cpp-python that exposes llama_model_quantize",
        )
    return int(getattr(llama_cpp, constant))


def quantize(source: Path, out_file: Path, ftype: int, gguf_type: str) -> None:
    """llama.cpp's quantizer, in process: `source` (f16 GGUF) to `out_file` of llama ftype `ftype`."""
    import llama_cpp

    llama_cpp.llama_backend_init()
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    status = llama_cpp.llama_model_quantize(str(source).encode(), str(out_file).encode(), params)
    if status != 0 or not out_file.is_file():
        raise ModsmithError(
            f"llama.cpp's quantizer failed to write {gguf_type} (status {status})", where=WHERE
        )


def lora_inputs(adapter_dir: Path, base_dir: Path | None) -> Path:
    """The base folder of a LoRA conversion (`base_dir`, else the adapter's own), both checked."""
    from modsmith.export.merge import adapter_base

    if not (adapter_dir / "adapter_config.json").is_file():
        raise ModsmithError(
            "not an adapter folder (no adapter_config.json)", where=str(adapter_dir), hint="check --lora"
        )
    base_dir = base_dir if base_dir is not None else Path(adapter_base(adapter_dir))
    if not (base_dir / "config.json").is_file():
        raise ModsmithError(
            "the LoRA conversion needs the base model's folder (no config.json there)",
            where=str(base_dir),
            hint="give a local base folder with --base",
        )
    return base_dir


def convert_lora(adapter_dir: Path, base_dir: Path, out_file: Path, gguf_type: str = "f16") -> Path:
    """`out_file`: the peft LoRA adapter in `adapter_dir` as a GGUF LoRA adapter (needs the base folder)."""
    if gguf_type not in CONVERTER_TYPES:
        raise ModsmithError(f"a GGUF LoRA adapter is f16 or q8_0, not {gguf_type}", where=WHERE)
    lora_inputs(Path(adapter_dir), Path(base_dir))
    script = converter("convert_lora_to_gguf.py")
    out_file.parent.mkdir(parents=True, exist_ok=True)
    staging = temp_path_beside(out_file)  # renamed when whole
    arguments = [str(script), str(adapter_dir), "--base", str(base_dir), "--outfile", str(staging)]
    try:
        run_converter([*arguments, "--outtype", gguf_type], "the adapter")
        os.replace(staging, out_file)
    finally:
        staging.unlink(missing_ok=True)
    return out_file


def gguf_metadata_string(path: Path, key: str) -> str | None:
    """A string field of a GGUF file's metadata (`tokenizer.chat_template`, `general.type`), or None."""
    from gguf import GGUFReader

    field = GGUFReader(str(path)).get_field(key)
    return None if field is None else str(field.contents())


def require_readable_gguf(path: Path) -> None:
    """A ModsmithError when `path` is no whole GGUF file (its header and tensor table are read)."""
    from gguf import GGUFReader

    try:
        GGUFReader(str(path))
    except (OSError, ValueError, IndexError) as exc:
        raise ModsmithError(f"not a readable GGUF file: {exc}", where=str(path)) from None


def check_chat_template(path: Path, template: str, name: Path | None = None) -> None:
    """Refuse a GGUF whose `tokenizer.chat_template` is missing or not the tokenizer's template (`name`:
    the file's name in messages, when `path` is its temporary)."""
    found = gguf_metadata_string(path, "tokenizer.chat_template")
    where = str(name or path)
    if found is None:
        raise ModsmithError("the GGUF carries no chat template", where=where)
    if found != template:
        raise ModsmithError(
            "the GGUF's chat template differs from the tokenizer's",
            where=where,
            hint="convert again from the merged folder, whose tokenizer carries the trained template",
        )


@dataclass
class GgufExport:
    """The files an export wrote, by type, and their parity reports (failed ones included)."""

    files: dict[str, Path] = field(default_factory=dict)
    reports: list[Any] = field(default_factory=list)
    lora: Path | None = None
    prompt_source: str = ""

    @property
    def failed(self) -> list[Any]:
        return [report for report in self.reports if not report.passed]


def export_gguf(
    model_dir: Path,
    out_dir: Path,
    types: Sequence[str] = ("f16",),
    *,
    name: str | None = None,
    lora_adapter: Path | None = None,
    lora_base: Path | None = None,
    parity_prompts: int = 8,
    prompts_file: Path | None = None,
    threshold: float = 0.99,
    tie_tolerance: float = 0.02,
    on_report: Callable[[Any], None] | None = None,
) -> GgufExport:
    """Convert the merged model in `model_dir` to each of `types` in `out_dir`, check each file's chat
    template, and run the parity check on it (`parity_prompts` 0: none); a file that fails it is kept.
    With `lora_adapter`, also the GGUF LoRA adapter (its base: `lora_base`, else the adapter's own)."""
    from transformers import AutoTokenizer

    from modsmith.export.parity import check_parity, held_out_prompts

    model_dir, out_dir = Path(model_dir), Path(out_dir)
    unknown = [gguf_type for gguf_type in types if gguf_type not in GGUF_TYPES]
    if unknown or not types:
        raise ModsmithError(
            f"GGUF types must be among {', '.join(GGUF_TYPES)}, not {unknown or 'none'}", where=WHERE
        )
    stem = name or model_dir.resolve().name
    outputs = [out_dir / f"{stem}-{gguf_type}.gguf" for gguf_type in types]
    refuse_output_over_inputs(outputs, [model_dir, lora_adapter, lora_base])
    _require_model_folder(model_dir)
    template = AutoTokenizer.from_pretrained(model_dir).chat_template
    if not template:
        raise ModsmithError(
            "the model's tokenizer has no chat template: its GGUF would format prompts wrongly",
            where=str(model_dir),
            hint="export the folder of `modsmith export merge`, which carries the trained template",
        )
    lora_base_dir = None  # the LoRA's inputs are checked before the long model conversions
    if lora_adapter is not None:
        lora_base_dir = lora_inputs(Path(lora_adapter), Path(lora_base) if lora_base else None)
    result = GgufExport()
    if parity_prompts > 0:
        prompts, result.prompt_source = held_out_prompts(model_dir, parity_prompts, prompts_file)
    for gguf_type, out_file in zip(types, outputs, strict=True):
        # Written under a temporary name, renamed once checked: a file under its own name went through
        # the template check and the parity check (a crash or kill -9 leaves no file a later step trusts).
        staging = temp_path_beside(out_file)
        try:
            convert_model(model_dir, staging, gguf_type)
            check_chat_template(staging, template, name=out_file)
            if parity_prompts > 0:
                report = check_parity(model_dir, staging, gguf_type, prompts, threshold, tie_tolerance)
                report.gguf, report.prompt_source = out_file, result.prompt_source
                result.reports.append(report)
            os.replace(staging, out_file)
        finally:
            staging.unlink(missing_ok=True)
        result.files[gguf_type] = out_file
        if result.reports and on_report is not None:
            on_report(result.reports[-1])
    if lora_adapter is not None:
        result.lora = convert_lora(Path(lora_adapter), lora_base_dir, out_dir / f"{stem}-lora-f16.gguf")
    return result
