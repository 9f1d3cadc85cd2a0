"""Evaluation speed: batched generation against one-by-one, and the cost of scoring against generation.

    python benchmarks/bench_eval.py                 # CPU is fine: a tiny random model, built here
    python benchmarks/bench_eval.py --prompts 64 --max-new-tokens 48

One tiny random Llama (`train.tiny_base`) answers the same prompts greedily, `--batch-size` at a time
(left-padded, `evaluation.generate.generate_local`) and one at a time; the answers/s of both are printed
side by side with their ratio (issue 11's target: at least 4x at batch 16 on CPU) and whether the two
gave the same texts. Then the scoring: every answer, with a C block appended (a different function
each, so no compile is a cache hit; a third do not compile, a third call an invented function), goes
through the grounding checks against examples/sample_decomp with its profile (`scores.ground_checks`,
as the ground.check stage runs them), and through the text scores (chrF, distinct-n, loops); their
seconds per answer are printed against generation's.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from modsmith.evaluation.generate import GenerationSettings, LocalModels, Prompt, generate_local
from modsmith.evaluation.scores import chrf, distinct_n, ground_checks, loops
from modsmith.ground.check_config import GroundCheckConfig
from modsmith.train.tiny_base import build_tiny_base

SAMPLE_DECOMP = Path(__file__).resolve().parents[1] / "examples" / "sample_decomp"
TOPICS = ["Actor_Kill", "Actor_MoveForward", "Math_StepToF", "Matrix_Push", "Vec3f", "the actor list"]
FORMS = ["What does {} do?", "When is {} called?", "Write a function that uses {}.", "Explain {} briefly."]
C_BODIES = ["    Actor_MoveForward(actor);", "    Actor_MoveForward(actor)", "    Actor_Teleport(actor);"]


def prompts(count: int) -> list[Prompt]:
    questions = [form.format(topic) for topic in TOPICS for form in FORMS]
    return [
        Prompt(
            f"p{i}", "code.explain", [{"role": "user", "content": questions[i % len(questions)] + f" ({i})"}]
        )
        for i in range(count)
    ]


def answers_per_second(models: LocalModels, items: list[Prompt], settings: GenerationSettings):
    began = time.perf_counter()
    answers = generate_local(models, "base", items, settings)
    return len(items) / (time.perf_counter() - began), answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prompts", type=int, default=32, help="prompts answered (default 32)")
    parser.add_argument("--batch-size", type=int, default=16, help="prompts per generate call (default 16)")
    parser.add_argument("--max-new-tokens", type=int, default=32, help="answer length cap (default 32)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        texts = [form.format(topic) for topic in TOPICS for form in FORMS] * 8
        base = build_tiny_base(Path(folder) / "tiny-base", texts, vocab_size=512)
        models = LocalModels.load(str(base))
        items = prompts(args.prompts)
        settings = GenerationSettings(max_new_tokens=args.max_new_tokens, batch_size=args.batch_size)
        generate_local(models, "base", items[:2], settings)  # warm-up
        batched_rate, batched = answers_per_second(models, items, settings)
        single_rate, single = answers_per_second(models, items, replace(settings, batch_size=1))
    same = [a.text for a in batched] == [a.text for a in single]
    tokens = sum(a.tokens for a in batched) / len(batched)
    print(
        f"tiny random Llama (2 layers, hidden 64), {len(items)} prompts, greedy, "
        f"{tokens:.1f} tokens per answer"
    )
    print(f"{'':24}{'answers/s':>12}")
    print(f"{'batched (batch ' + str(args.batch_size) + ')':24}{batched_rate:12.1f}")
    print(f"{'one by one':24}{single_rate:12.1f}")
    print(f"ratio: {batched_rate / single_rate:.1f}x (target >= 4x); same answers: {'yes' if same else 'NO'}")

    generation = 1 / batched_rate
    with_code = [
        replace(a, text=f"{a.text}\n```c\nvoid EnBench_Func{i}(Actor* actor) {{\n{C_BODIES[i % 3]}\n}}\n```")
        for i, a in enumerate(batched)
    ]
    began = time.perf_counter()
    for answer in with_code:
        chrf(answer.text, "Actor_MoveForward moves the actor along its rotation.")
        distinct_n(answer.text, 1), distinct_n(answer.text, 2), loops(answer.text)
    text_scores = (time.perf_counter() - began) / len(with_code)
    print(f"\nseconds per answer: generation (batched) {generation:.4f}, text scores {text_scores:.5f}")
    if shutil.which("gcc") is None:
        print("grounding: skipped (the sample decomp's profile compiles with gcc, which is missing)")
        return
    config = GroundCheckConfig(repo=str(SAMPLE_DECOMP), profile=str(SAMPLE_DECOMP / "modsmith-profile.yaml"))
    ground_checks(with_code[:1], config)  # warm-up: the symbol index and precompiled headers, cached after
    began = time.perf_counter()
    checks = ground_checks(with_code, config)
    grounding = (time.perf_counter() - began) / len(with_code)
    compiled = sum(1 for c in checks if c.get("compile_c") and c["compile_c"].passed)
    invented = sum(1 for c in checks if c.get("names") and not c["names"].passed)
    print(
        f"grounding (names + compile_c, sample decomp): {grounding:.4f} s per answer = "
        f"{grounding / generation:.2f}x batched generation; {compiled}/{len(checks)} compile, "
        f"{invented} with an invented name"
    )


if __name__ == "__main__":
    main()
