"""An Ollama folder (the GGUF and a Modelfile) and an LM Studio folder (the GGUF and its Jinja template).

The chat template comes from the GGUF's own metadata (`tokenizer.chat_template`, written there by
llama.cpp's converter from the tokenizer), or from a tokenizer folder when one is given (the folder the
model was trained or merged into). It is translated to a Go template by `go_template` and verified
there; the Modelfile gets it as `TEMPLATE`, its end-of-turn texts as `PARAMETER stop`, and the sampling
settings as parameters:

    FROM ./model.gguf
    TEMPLATE \"\"\"...\"\"\"
    PARAMETER stop "<|im_end|>"
    PARAMETER temperature 0.7
    PARAMETER repeat_penalty 1.1
    PARAMETER num_ctx 4096
    SYSTEM \"\"\"...\"\"\"
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from modsmith.errors import ModsmithError
from modsmith.export.go_template import OllamaTemplate, translate_chat_template
from modsmith.records import temp_path_beside, write_text_atomic

MODEL_FILE = "model.gguf"
TEMPLATE_FILE = "chat_template.jinja"


@dataclass
class OllamaSettings:
    """What the Modelfile sets besides the template: sampling parameters and an optional system prompt."""

    temperature: float | None = 0.7
    repeat_penalty: float | None = 1.1
    num_ctx: int | None = 4096
    system: str | None = None


@dataclass
class ChatTemplateSource:
    """A Jinja chat template and the special tokens its renderings use."""

    template: str
    bos_token: str | None
    eos_token: str | None
    where: str


def template_from_gguf(gguf: Path) -> ChatTemplateSource:
    """The chat template and BOS/EOS texts stored in a GGUF file's metadata."""
    try:
        from gguf import GGUFReader
    except ImportError:
        raise ModsmithError(
            "reading a GGUF needs the gguf package", hint="pip install 'modsmith[gguf]'"
        ) from None
    try:
        reader = GGUFReader(gguf)
    except (OSError, ValueError) as exc:
        raise ModsmithError(f"cannot read the GGUF file: {exc}", where=str(gguf)) from None
    fields = reader.fields
    if "tokenizer.chat_template" not in fields:
        raise ModsmithError(
            "the GGUF file has no chat template",
            where=str(gguf),
            hint="give the model's tokenizer folder with --tokenizer",
        )

    def token(key: str) -> str | None:
        if key not in fields or "tokenizer.ggml.tokens" not in fields:
            return None
        return fields["tokenizer.ggml.tokens"].contents(index_or_slice=int(fields[key].contents()))

    template = fields["tokenizer.chat_template"].contents()
    bos, eos = token("tokenizer.ggml.bos_token_id"), token("tokenizer.ggml.eos_token_id")
    return ChatTemplateSource(template, bos, eos, f"{gguf} (tokenizer.chat_template)")


def template_from_tokenizer(folder: Path) -> ChatTemplateSource:
    """The chat template and BOS/EOS tokens of the tokenizer saved in `folder`."""
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(folder)
    except (OSError, ValueError) as exc:
        raise ModsmithError(f"cannot load the tokenizer: {exc}", where=str(folder)) from None
    template = tokenizer.chat_template
    if not isinstance(template, str) or not template:
        raise ModsmithError("the tokenizer has no (single) chat template", where=str(folder))
    return ChatTemplateSource(template, tokenizer.bos_token, tokenizer.eos_token, f"{folder} (chat template)")


def modelfile_text(template: OllamaTemplate, settings: OllamaSettings) -> str:
    """The Modelfile for `model.gguf` next to it."""
    for text, what in [(template.go, "template"), (settings.system or "", "system prompt")]:
        if '"""' in text:
            raise ModsmithError(f'the {what} contains """, which a Modelfile cannot quote', where="Modelfile")
    lines = [f"FROM ./{MODEL_FILE}", f'TEMPLATE """{template.go}"""']
    for stop in template.stops:
        if '"' in stop or "\n" in stop:
            raise ModsmithError(f"the stop text {stop!r} cannot be written in a Modelfile", where="Modelfile")
        lines.append(f'PARAMETER stop "{stop}"')
    for name in ("temperature", "repeat_penalty", "num_ctx"):
        value = getattr(settings, name)
        if value is not None:
            lines.append(f"PARAMETER {name} {value}")
    if settings.system:
        if template.pieces.system == "none":
            raise ModsmithError(
                "the model's chat template refuses system messages", where="--system", hint="leave it out"
            )
        lines.append(f'SYSTEM """{settings.system}"""')
    return "\n".join(lines) + "\n"


def place_gguf(gguf: Path, folder: Path, link: bool) -> Path:
    """`folder/model.gguf`: a copy of `gguf`, or a symbolic link to it."""
    if not gguf.is_file():
        raise ModsmithError("no such GGUF file", where=str(gguf))
    target = folder / MODEL_FILE
    if (target.is_symlink() or target.exists()) and target.resolve() == gguf.resolve():
        return target
    staging = temp_path_beside(target)  # renamed over the old one when whole: no half model.gguf
    try:
        if link:
            os.symlink(gguf.resolve(), staging)
        else:
            shutil.copyfile(gguf, staging)
        os.replace(staging, target)
    except OSError as exc:
        raise ModsmithError(f"cannot write: {exc.strerror or exc}", where=str(target)) from None
    finally:
        staging.unlink(missing_ok=True)
    return target


def make_folder(folder: Path, gguf: Path) -> None:
    """Create the output `folder`; a ModsmithError when a file (the GGUF itself, say) is there."""
    if folder.exists() and not folder.is_dir():
        what = (
            "the output is the GGUF file itself" if folder.resolve() == gguf.resolve() else "a file is there"
        )
        raise ModsmithError(f"cannot write a folder: {what}", where=str(folder), hint="give a folder path")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModsmithError(f"cannot create the folder: {exc.strerror or exc}", where=str(folder)) from None


def write_ollama_folder(
    gguf: Path, folder: Path, source: ChatTemplateSource, settings: OllamaSettings, *, link: bool = False
) -> OllamaTemplate:
    """Write `folder/model.gguf` and `folder/Modelfile`; the verified template translation."""
    template = translate_chat_template(
        source.template, name=source.where, bos_token=source.bos_token, eos_token=source.eos_token
    )
    modelfile = modelfile_text(template, settings)
    make_folder(folder, gguf)
    place_gguf(gguf, folder, link)
    write_text_atomic(folder / "Modelfile", modelfile)
    return template


def write_lmstudio_folder(
    gguf: Path, folder: Path, source: ChatTemplateSource, *, link: bool = False
) -> Path:
    """Write `folder/model.gguf`, its template as `chat_template.jinja` and a README on loading it."""
    make_folder(folder, gguf)
    place_gguf(gguf, folder, link)
    write_text_atomic(folder / TEMPLATE_FILE, source.template)
    readme = f"""# {folder.name} for LM Studio

`{MODEL_FILE}` is the model; its chat template is stored inside it and also in `{TEMPLATE_FILE}`.

1. Import it: `lms import {MODEL_FILE}`, or copy this folder to `~/.lmstudio/models/modsmith/{folder.name}/`.
2. Load it in LM Studio (My Models). The prompt template is read from the GGUF; if the model
   settings show another, paste `{TEMPLATE_FILE}` into "Prompt Template" (Jinja).
3. Stop strings: the template's end-of-turn token ({source.eos_token or "the model's EOS"}).
"""
    write_text_atomic(folder / "README.md", readme)
    return folder
