"""The verdict before a run starts: does the estimated peak fit the device, and what would make it fit.

`plan` compares `memory_plan.estimate_peak_memory` with the device's free memory and, when the run
does not fit, tries the usual changes one on top of the other (gradient checkpointing, 4-bit QLoRA,
a smaller micro batch with more accumulation, a shorter max length) until it does. `Plan.lines()` is
the text a run prints first.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from modsmith.train.memory_plan import GIB, MemoryEstimate, TrainShape, estimate_peak_memory


class Suggestion(BaseModel):
    """One change to the run (on top of the ones before it) and the estimate after it."""

    change: str
    shape: TrainShape
    estimate: MemoryEstimate
    fits: bool


class Plan(BaseModel):
    """The verdict on a run: its estimate against the device's free memory, and what to change."""

    shape: TrainShape
    estimate: MemoryEstimate
    free_bytes: int
    suggestions: list[Suggestion] = Field(default_factory=list)

    @property
    def fits(self) -> bool:
        return self.estimate.total <= self.free_bytes

    @property
    def margin_bytes(self) -> int:
        """Free memory left at the peak; negative when the run does not fit."""
        return self.free_bytes - self.estimate.total

    def lines(self) -> list[str]:
        """The memory plan as a run prints it first."""
        model, estimate = self.shape.model, self.estimate
        out = [
            f"memory plan: {model.parameters / 1e9:.2f} B-parameter base, {self.shape.describe()}",
            f"estimated peak GPU memory {gib(estimate.total)}:",
        ]
        out += [
            f"  {part.replace('_', ' '):<13}{gib(getattr(estimate, part)):>11}" for part in estimate.PARTS
        ]
        out.append(f"free GPU memory {gib(self.free_bytes)}")
        if self.fits:
            out.append(f"verdict: fits, {gib(self.margin_bytes)} to spare")
            return out
        out.append(f"verdict: does not fit, {gib(-self.margin_bytes)} short")
        if not self.suggestions:
            return [*out, "no change tried makes it fit: use a card with more memory or a smaller base"]
        out.append("to make it fit, in order:")
        for number, suggestion in enumerate(self.suggestions, 1):
            verdict = "fits" if suggestion.fits else "still too big"
            out.append(f"  {number}. {suggestion.change}: {gib(suggestion.estimate.total)} ({verdict})")
        if not self.suggestions[-1].fits:
            out.append(
                "even with all of these it does not fit: use a card with more memory or a smaller base"
            )
        return out


def gib(size: int) -> str:
    return f"{size / GIB:.2f} GiB"


def plan(shape: TrainShape, free_bytes: int) -> Plan:
    """Estimate `shape` against `free_bytes`; when it does not fit, try in order (each on top of the last):
    gradient checkpointing on, 4-bit QLoRA, halving the micro batch while doubling accumulation (the same
    effective batch), halving the max length (not below 256). Stops at the first that fits."""
    estimate = estimate_peak_memory(shape)
    result = Plan(shape=shape, estimate=estimate, free_bytes=free_bytes)
    if result.fits:
        return result
    current = shape
    for change, changed in _changes(shape, free_bytes):
        current = changed(current)
        new = estimate_peak_memory(current)
        fits = new.total <= free_bytes
        result.suggestions.append(Suggestion(change=change(current), shape=current, estimate=new, fits=fits))
        if fits:
            break
    return result


def _changes(shape: TrainShape, free_bytes: int) -> list[tuple[Any, Any]]:
    """(describe, apply) pairs for each change that applies to `shape`, in the order plan tries them."""
    changes: list[tuple[Any, Any]] = []
    if not shape.gradient_checkpointing:
        changes.append(
            (lambda s: "turn gradient checkpointing on", lambda s: _with(s, gradient_checkpointing=True))
        )
    if shape.method != "qlora":
        changes.append(
            (lambda s: "train 4-bit (QLoRA: NF4, double quant)", lambda s: _with(s, method="qlora"))
        )
    if shape.micro_batch > 1:

        def smaller_batch(s: TrainShape) -> TrainShape:
            while s.micro_batch > 1 and estimate_peak_memory(s).total > free_bytes:
                s = _with(s, micro_batch=s.micro_batch // 2, grad_accumulation=s.grad_accumulation * 2)
            return s

        changes.append(
            (
                lambda s: (
                    f"micro batch {shape.micro_batch} -> {s.micro_batch} with gradient accumulation "
                    f"{shape.grad_accumulation} -> {s.grad_accumulation} (same effective batch)"
                ),
                smaller_batch,
            )
        )
    if shape.max_length > 256:

        def shorter(s: TrainShape) -> TrainShape:
            while s.max_length > 256 and estimate_peak_memory(s).total > free_bytes:
                s = _with(s, max_length=max(256, s.max_length // 2))
            return s

        changes.append((lambda s: f"max length {shape.max_length} -> {s.max_length}", shorter))
    return changes


def _with(shape: TrainShape, **changes: Any) -> TrainShape:
    return shape.model_copy(update=changes)
