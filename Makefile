# `make demo` and `make test` do all their set-up on a fresh machine with python3 and make:
# a virtual environment with pinned packages, and the Debian packages the checks need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.modsmith-installed
EXTRAS ?= dev,train
# command:debian-package pairs installed by scripts/install-system-packages when missing
SYSTEM_PACKAGES := ctags:universal-ctags mcs:mono-mcs mips-linux-gnu-gcc:gcc-mips-linux-gnu

.PHONY: setup system-packages demo test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

setup: $(STAMP)

system-packages:
	@sh scripts/install-system-packages $(SYSTEM_PACKAGES)

demo: setup
	$(BIN)/modsmith demo

lint: setup
	$(BIN)/ruff check src tests benchmarks

test: setup system-packages lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) runs .pytest_cache
