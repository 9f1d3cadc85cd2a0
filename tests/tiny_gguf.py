"""A tiny random GGUF chat model made on the fly, for tests against a real llama.cpp server.

The model is a 2-layer random `LlamaForCausalLM` with a sentencepiece BPE tokenizer trained here
(byte fallback, unk 0, bos 1, eos 2), converted to f16 GGUF with llama.cpp's own converter, which
ships in the llama-cpp-python source package; `scripts/build-llama-cpp-wheel` extracts it to
`${MODSMITH_CACHE:-~/.cache/modsmith}/llama.cpp-<version>/` (or set MODSMITH_LLAMA_CPP_DIR).
Needs the gguf extra (llama-cpp-python, sentencepiece, protobuf) and torch.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from tiny_model import tiny_llama

CHAT_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}{{ eos_token }}{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)
ROLE_TOKENS = ["<|system|>", "<|user|>", "<|assistant|>"]
CORPUS = [
    "The drawbridge lowers once the crystal switch above the moat is struck with an arrow.",
    "Hold the shield button and tilt the stick to roll out of a grab before it connects.",
    "s32 Lantern_GetFuel(Lantern* this) { return this->fuel > 0 ? this->fuel - 1 : 0; }",
    "Q: Where is the second small key? A: Behind the waterfall, under the unlit torch.",
    "The spawner creates one crate every three seconds until ten crates are on the floor.",
] * 30


def llama_cpp_dir() -> Path:
    """The llama.cpp tree holding convert_hf_to_gguf.py: MODSMITH_LLAMA_CPP_DIR, else the cache."""
    if os.environ.get("MODSMITH_LLAMA_CPP_DIR"):
        return Path(os.environ["MODSMITH_LLAMA_CPP_DIR"])
    import llama_cpp

    cache = Path(os.environ.get("MODSMITH_CACHE") or Path.home() / ".cache" / "modsmith")
    return cache / f"llama.cpp-{llama_cpp.__version__}"


def train_sentencepiece(vocab_size: int = 400) -> bytes:
    """A sentencepiece BPE model trained on CORPUS, as serialized bytes."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS),
        model_writer=model,
        model_type="bpe",
        vocab_size=vocab_size,
        byte_fallback=True,
        character_coverage=1.0,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        user_defined_symbols=ROLE_TOKENS,
        minloglevel=2,
    )
    return model.getvalue()


def make_tiny_hf_model(out: Path, seed: int = 0) -> Path:
    """The transformers model directory: weights, config, tokenizer.model, fast tokenizer, template."""
    from transformers import LlamaTokenizer

    out.mkdir(parents=True, exist_ok=True)
    (out / "tokenizer.model").write_bytes(train_sentencepiece())
    # transformers 5 has no slow tokenizers: this builds the fast one from tokenizer.model.
    tokenizer = LlamaTokenizer.from_pretrained(out)
    tokenizer.chat_template = CHAT_TEMPLATE
    tiny_llama(tokenizer, max_positions=4096, seed=seed).save_pretrained(out)
    tokenizer.save_pretrained(out)
    # The converter marks only tokens listed here as user-defined (matched whole, as sentencepiece does).
    added = {token: tokenizer.convert_tokens_to_ids(token) for token in ROLE_TOKENS}
    (out / "added_tokens.json").write_text(json.dumps(added))
    return out


def make_tiny_gguf(out_dir: Path, seed: int = 0) -> Path:
    """`out_dir/tiny.gguf` (f16), converted from a tiny model made in `out_dir/hf`."""
    converter = llama_cpp_dir() / "convert_hf_to_gguf.py"
    if not converter.is_file():
        raise FileNotFoundError(
            f"{converter} is missing: run scripts/build-llama-cpp-wheel, or set MODSMITH_LLAMA_CPP_DIR "
            "to a llama.cpp checkout"
        )
    hf = make_tiny_hf_model(Path(out_dir) / "hf", seed=seed)
    gguf = Path(out_dir) / "tiny.gguf"
    run = subprocess.run(
        [sys.executable, str(converter), str(hf), "--outfile", str(gguf), "--outtype", "f16"],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0 or not gguf.is_file():
        raise RuntimeError(f"convert_hf_to_gguf.py failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return gguf
