"""Fine-tuning on modsmith's datasets: the chat format and its loss mask, packing, the memory plan, the
run (`sft.train_sft`, `modsmith train`) and its recipe stage (`train.sft`).

Needs the `train` extra (`pip install 'modsmith[train]'`: torch, transformers, trl, peft); the stage's
module imports none of them until it trains.
"""

from modsmith.train.sft_stage import TrainSFT

STAGES = [TrainSFT]
