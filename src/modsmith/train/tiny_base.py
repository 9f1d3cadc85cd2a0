"""A tiny random base model made on the spot, for `make demo` and for trying a recipe's training stage
without downloading anything: a sentencepiece BPE tokenizer trained on the given texts and a 2-layer
Llama sized to it, saved as a base model folder (weights, config, `tokenizer.model` and the matching fast
tokenizer; no chat template, so a run gives it modsmith's ChatML default and saves that with the adapter).

The tokenizer is sentencepiece rather than byte-level BPE so that the model converts to GGUF: llama.cpp's
`convert_hf_to_gguf.py` reads a `tokenizer.model` directly, while it refuses a byte-level BPE whose
pre-tokenizer it does not recognise. Its choices keep the two tokenizers (transformers' and llama.cpp's)
giving the same ids for a chat-formatted text:

- byte fallback, so any text encodes (unknown characters become byte pieces);
- no dummy prefix (`add_dummy_prefix=False`, and `add_prefix_space=False` in the tokenizer config, which
  the converter copies into the GGUF), so neither side puts a space before a turn marker's text;
- ChatML's turn markers are control pieces: the fast tokenizer and llama.cpp both match them whole.

It learns nothing useful: it shows that the whole path runs, that the loss goes down, and where the
adapter goes. Building one takes about a second.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

#: The tokenizer's control tokens: unknown, begin and end of text, padding, and ChatML's turn markers
#: (the default chat format), with their ids.
SPECIAL_TOKENS = ["<unk>", "<s>", "<|endoftext|>", "<pad>", "<|im_start|>", "<|im_end|>"]
#: Lines every tokenizer learns from, so the ChatML layout has its pieces even for a tiny corpus.
CHAT_WORDS = ["system\nuser\nassistant\n", "You are a helpful assistant.\n"]
#: sentencepiece skips longer "sentences": texts are fed line by line, and longer lines are cut.
MAX_LINE_BYTES = 4000


def build_tiny_base(folder: Path, texts: Iterable[str], vocab_size: int = 512, seed: int = 0) -> Path:
    """Write a tiny random Llama and a tokenizer trained on `texts` into `folder`; returns it."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, LlamaTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tokenizer.model").write_bytes(_train_sentencepiece(texts, vocab_size))
    # transformers 5 has no slow tokenizers: this builds the fast one from tokenizer.model.
    tokenizer = LlamaTokenizer.from_pretrained(folder, pad_token="<pad>", add_prefix_space=False)
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        # Wider than a real model's 0.02: behind the final norm, a frozen output layer that small bounds
        # the logits so tightly that a LoRA on the other layers could hardly lower the loss.
        initializer_range=0.2,
    )
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _train_sentencepiece(texts: Iterable[str], vocab_size: int) -> bytes:
    """A sentencepiece BPE model trained on the lines of `texts`, serialized."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_lines([*CHAT_WORDS, *texts])),
        model_writer=model,
        model_type="bpe",
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # a small corpus gives fewer pieces than asked for, not an error
        byte_fallback=True,
        character_coverage=1.0,
        add_dummy_prefix=False,
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=3,
        unk_piece=SPECIAL_TOKENS[0],
        bos_piece=SPECIAL_TOKENS[1],
        eos_piece=SPECIAL_TOKENS[2],
        pad_piece=SPECIAL_TOKENS[3],
        control_symbols=SPECIAL_TOKENS[4:],
        minloglevel=2,
    )
    return model.getvalue()


def _lines(texts: Iterable[str]) -> Iterable[str]:
    for text in texts:
        for line in text.splitlines():
            if line.strip():
                yield line.encode("utf-8")[:MAX_LINE_BYTES].decode("utf-8", errors="ignore")
