"""Fine-tuning on modsmith's datasets: the chat format and its loss mask, packing, the memory plan.

Needs the `train` extra (`pip install 'modsmith[train]'`: torch, transformers, trl, peft).
"""

STAGES: list = []
