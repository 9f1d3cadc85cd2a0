"""Training throughput: a plain baseline against modsmith's defaults (the code of `modsmith bench train`).

    python benchmarks/bench_train.py                                  # tiny shape, CPU is fine
    python benchmarks/bench_train.py --shape qwen2.5-0.5b --max-length 2048 --json q05.json   # CUDA
    python benchmarks/bench_train.py --shape llama-3.2-1b --max-length 2048                   # CUDA

See `modsmith.train.throughput_bench` for what is measured and how. Targets (issue 10, GPU): the defaults
at least 2x the baseline's tokens/s at no more than 0.6x its peak memory for qwen2.5-0.5b at max length
2048; MFU of at least 35% for llama-3.2-1b.
"""

from __future__ import annotations

import sys

from modsmith.bench_cli import bench_train
from modsmith.console import print_user_error
from modsmith.errors import ModsmithError

if __name__ == "__main__":
    try:
        bench_train.main(sys.argv[1:], prog_name="bench_train.py")
    except ModsmithError as exc:
        sys.exit(print_user_error(exc))
