# xling — `make setup` installs and builds everything, then translates the demo article;
# `make test` runs the tests. Both work offline but for the package registries.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
DEMO   ?= ../shared/corpora/seed/moscow-isis-k.ar.txt
DEMO_OUT ?= out/demo
# the demo article's names (Roggio, Kirby, ISIS-K, ...): the model alone misspells them
DEMO_GLOSSARY ?= corpora/glossary-seed.tsv

.PHONY: setup install models demo test lint eval clean

setup: install models demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# torch is pinned to the CPU build that lies on this machine's disk (an unpinned torch pulls
# a multi-GB CUDA build); it is only needed to build models (and later by simalign).
install: $(BIN)/python
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[build,align,ray,dev,eval]'

# Builds the quality default and the fast option into $$XLING_HOME (default ~/.cache/xling);
# a model already built and verified is skipped.
models: install
	$(BIN)/xling models build

demo:
	@if [ -f "$(DEMO)" ]; then \
	  $(BIN)/xling translate "$(DEMO)" --out $(DEMO_OUT) --glossary $(DEMO_GLOSSARY) && \
	  cat $(DEMO_OUT)/$$(basename "$(DEMO)" .txt | sed 's/\.ar$$//').en.txt; \
	else echo "demo article $(DEMO) not found (it lives in ../shared beside the repo); skipped"; fi

test:
	$(BIN)/python -m pytest -q

lint:
	$(BIN)/ruff check xling tests eval
	$(BIN)/ruff format --check xling tests eval

clean:
	rm -rf out build *.egg-info
