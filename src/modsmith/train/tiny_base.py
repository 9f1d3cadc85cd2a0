"""A tiny random base model made on the spot, for `make demo` and for trying a recipe's training stage
without downloading anything: a byte-level BPE tokenizer trained on the given texts and a 2-layer Llama
sized to it, saved as a base model folder (weights, config, tokenizer; no chat template, so a run gives
it modsmith's ChatML default and saves that with the adapter).

It learns nothing useful: it shows that the whole path runs, that the loss goes down, and where the
adapter goes. Building one takes about a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

#: The tokenizer's control tokens: a pad token and ChatML's turn markers (the default chat format).
SPECIAL_TOKENS = ["<pad>", "<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def build_tiny_base(folder: Path, texts: Iterable[str], vocab_size: int = 512, seed: int = 0) -> Path:
    """Write a tiny random Llama and a tokenizer trained on `texts` into `folder`; returns it."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(texts, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, pad_token="<pad>", eos_token="<|endoftext|>")
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        # Wider than a real model's 0.02: behind the final norm, a frozen output layer that small bounds
        # the logits so tightly that a LoRA on the other layers could hardly lower the loss.
        initializer_range=0.2,
    )
    folder.mkdir(parents=True, exist_ok=True)
    LlamaForCausalLM(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
