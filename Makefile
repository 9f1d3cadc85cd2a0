# `make demo` and `make test` do all their set-up on a fresh machine with python3 and make:
# a virtual environment with pinned packages, and the Debian packages the checks need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.modsmith-installed
EXTRAS ?= dev,train,semantic,eval
# command:debian-package pairs installed by scripts/install-system-packages when missing
SYSTEM_PACKAGES := ctags:universal-ctags mcs:mono-mcs mips-linux-gnu-gcc:gcc-mips-linux-gnu go:golang-go

MODSMITH_CACHE ?= $(HOME)/.cache/modsmith
GGUF_STAMP := $(VENV)/.modsmith-gguf-installed

.PHONY: setup gguf system-packages demo test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

setup: $(STAMP)

# llama-cpp-python builds from source (about 6 minutes on 2 cores) once; the wheel is cached in
# $(MODSMITH_CACHE)/wheels and reused by every later venv on this machine.
$(GGUF_STAMP): $(STAMP) scripts/build-llama-cpp-wheel
	MODSMITH_CACHE=$(MODSMITH_CACHE) sh scripts/build-llama-cpp-wheel $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt --find-links $(MODSMITH_CACHE)/wheels -e '.[$(EXTRAS),gguf]'
	touch $(GGUF_STAMP)

gguf: $(GGUF_STAMP)

system-packages:
	@sh scripts/install-system-packages $(SYSTEM_PACKAGES)

demo: setup gguf system-packages
	$(BIN)/modsmith demo

# ruff, then the import contracts of pyproject.toml (the layers of docs/architecture.md)
lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports --no-cache --no-logo

test: setup gguf system-packages lint
	MODSMITH_REQUIRE_LLAMA_CPP=1 $(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) runs .pytest_cache
