"""The two records that carry everything: Document and Example, and their JSON Lines io.

Files are streamed: `read_jsonl` yields one record at a time, `JsonlWriter` writes to a temporary
file and renames it into place only when the whole stream was written, so an interrupted write
never leaves a partial file behind.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from modsmith.errors import ModsmithError

DocumentKind = Literal["code", "text", "trace", "spec"]
Role = Literal["system", "user", "assistant"]


class Provenance(BaseModel):
    """Where a piece of material came from."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="Repository root, URL or folder the material was read from.")
    path: str | None = Field(default=None, description="Path of the file inside `source`.")
    lines: tuple[int, int] | None = Field(default=None, description="First and last line, 1-based.")
    commit: str | None = Field(default=None, description="Git commit of `source` when it is a repository.")
    licence: str | None = Field(default=None, description="Licence note, when known.")


class Document(BaseModel):
    """One unit of source material: a function, a struct, a macro, a guide chunk, a frame set."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: DocumentKind
    text: str
    lang: str | None = None
    provenance: Provenance
    meta: dict[str, Any] = Field(default_factory=dict)


class Message(BaseModel):
    """One turn. A user turn may carry a separate `input` block (Alpaca's `input`)."""

    model_config = ConfigDict(extra="forbid")

    role: Role
    content: str
    input: str | None = None


class Check(BaseModel):
    """The result of one check on an example."""

    model_config = ConfigDict(extra="forbid")

    passed: bool
    detail: str = ""
    data: dict[str, Any] = Field(default_factory=dict)


class Example(BaseModel):
    """One training example, with the documents it came from and the checks it passed."""

    model_config = ConfigDict(extra="forbid")

    id: str
    task: str
    messages: list[Message]
    provenance: list[Provenance] = Field(default_factory=list)
    checks: dict[str, Check] = Field(default_factory=dict)
    meta: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def create(
        cls,
        task: str,
        messages: list[Message],
        provenance: list[Provenance] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Example:
        """Build an example whose id is a stable hash of its task and messages."""
        return cls(
            id=content_id(task, [m.model_dump(exclude_none=True) for m in messages]),
            task=task,
            messages=messages,
            provenance=provenance or [],
            meta=meta or {},
        )

    def turn(self, role: Role) -> Message | None:
        """The first message with this role, if any."""
        return next((m for m in self.messages if m.role == role), None)


def content_id(*parts: Any) -> str:
    """A short stable hash of JSON-serialisable parts."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


Record = Document | Example
R = TypeVar("R", Document, Example)


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, line) for the non-blank lines of a UTF-8 text file.

    Lines are split on `\n` only (as JSON Lines are) and decoded one by one, so bad UTF-8 is
    reported on its true line.
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise ModsmithError("file not found", where=str(path)) from None
    except OSError as exc:
        raise ModsmithError(f"cannot read file: {exc.strerror}", where=str(path)) from None
    with handle:
        for lineno, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ModsmithError(
                    f"not UTF-8 text (byte {exc.start + 1} of the line)", where=f"{path}:{lineno}"
                ) from None
            if line.strip():
                yield lineno, line


def read_jsonl(path: str | Path, model: type[R]) -> Iterator[R]:
    """Stream records of one type from a JSON Lines file; a bad line is a ModsmithError naming it."""
    path = Path(path)
    for lineno, line in numbered_lines(path):
        yield _parse_line(line, model, path, lineno)


def read_records(path: str | Path) -> Iterator[Record]:
    """Stream Documents and Examples from one file, telling them apart line by line."""
    path = Path(path)
    for lineno, line in numbered_lines(path):
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ModsmithError(f"not JSON: {exc.msg}", where=f"{path}:{lineno}") from None
        model = Example if isinstance(data, dict) and "messages" in data else Document
        yield _parse_line(data, model, path, lineno)


def _parse_line(line: str | Any, model: type[R], path: Path, lineno: int) -> R:
    """One record from a JSON line (or its already-decoded object); errors name the line."""
    try:
        return model.model_validate_json(line) if isinstance(line, str) else model.model_validate(line)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "record"
        raise ModsmithError(
            f"not a valid {model.__name__}: {loc}: {first['msg']}", where=f"{path}:{lineno}"
        ) from None


def temp_path_beside(path: Path) -> Path:
    """A temporary name in `path`'s folder, unique to this process and call. Temporaries that a
    killed process left for the same `path` are removed on the way."""
    remove_stale_temporaries(path)
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def remove_stale_temporaries(path: Path) -> None:
    """Remove `.NAME.PID.*.tmp` files and folders beside `path` whose process is gone."""
    try:
        leftovers = list(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))
    except OSError:
        return
    for leftover in leftovers:
        pid = leftover.name[len(path.name) + 2 :].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _cannot_write(path: Path, exc: OSError) -> ModsmithError:
    reason = exc.strerror or str(exc)
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        reason = "is a directory"
    return ModsmithError(f"cannot write: {reason}", where=str(path), hint="choose another output path")


class JsonlWriter:
    """Write records to `path` atomically: to a unique temporary file beside it, renamed into
    place on success.

    Used as a context manager; if the block raises, the temporary file is removed and whatever
    was at `path` before is left untouched. A path that cannot be written (a directory, a read-only
    or pseudo file system, a folder that is a file) is a ModsmithError naming it.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.tmp = temp_path_beside(self.path)
        self.count = 0
        self._handle = None
        self._discard = False

    def __enter__(self) -> JsonlWriter:
        if self.path.is_dir():
            raise _cannot_write(self.path, IsADirectoryError())
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.tmp.open("x", encoding="utf-8")
        except OSError as exc:
            raise _cannot_write(self.path, exc) from None
        return self

    def write(self, record: BaseModel | dict[str, Any]) -> None:
        if isinstance(record, BaseModel):
            line = record.model_dump_json(exclude_none=True)
        else:
            line = json.dumps(record, ensure_ascii=False, default=str)
        try:
            self._handle.write(line + "\n")
        except OSError as exc:
            raise _cannot_write(self.path, exc) from None
        self.count += 1

    def discard(self) -> None:
        """Do not put the file in place when the block ends (the previous file stays)."""
        self._discard = True

    def write_all(self, records: Iterable[BaseModel | dict[str, Any]]) -> int:
        for record in records:
            self.write(record)
        return self.count

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            try:
                self._handle.flush()
                os.fsync(self._handle.fileno())
            finally:
                self._handle.close()
            if exc_type is None and not self._discard:
                os.replace(self.tmp, self.path)
        except OSError as error:
            if exc_type is None:
                raise _cannot_write(self.path, error) from None
        finally:
            self.tmp.unlink(missing_ok=True)


def write_jsonl(path: str | Path, records: Iterable[BaseModel | dict[str, Any]]) -> int:
    """Write all records atomically; returns how many were written."""
    with JsonlWriter(path) as writer:
        return writer.write_all(records)


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write a small text file atomically (through a unique temporary file beside it)."""
    path = Path(path)
    tmp = temp_path_beside(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("x", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)
