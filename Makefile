# Two commands for a fresh machine (see README):
#   make run   installs everything, ingests corpus/ and starts the chat UI on http://127.0.0.1:7860
#   make test  installs the dev extras (and chromium for the browser tests) and runs the whole suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
INDEX  ?= data/index

.PHONY: run test test-fast install install-dev system-deps ingest serve ask eval eval-index bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# torch first, pinned to the local CPU wheel: an unpinned torch pulls a multi-GB CUDA build
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e .
	touch $@

# llama-cpp-python (the LLM tests' server) compiles llama.cpp here. GGML_NATIVE=OFF builds the portable
# AVX2 kernels instead of tuning for this CPU: a native build on an AVX-512/AMX machine segfaulted on
# the first chat completion (rc 139), the same build without native tuning answers.
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	CMAKE_ARGS="-DGGML_NATIVE=OFF $$CMAKE_ARGS" $(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev system-deps

system-deps:
	bash scripts/system-deps.sh

ingest: install
	$(VENV)/bin/policyqa ingest corpus --index-dir $(INDEX)

serve: install
	$(VENV)/bin/policyqa serve --index-dir $(INDEX)

run: ingest serve

ask: install
	$(VENV)/bin/policyqa ask "1至8月技术合同成交额是多少?" --index-dir $(INDEX)

# the evaluation index: the shipped corpus plus the fictional distractors of tests/eval/fixtures
# (incremental: a second `make eval` only hashes the files)
eval-index: install
	$(VENV)/bin/policyqa ingest corpus tests/eval/fixtures --index-dir data/eval-index

eval: eval-index
	$(VENV)/bin/policyqa eval tests/eval/questions.jsonl --index-dir data/eval-index

test: install-dev
	$(PY) -m pytest -q

# the suite without the tests marked slow (real servers, browsers, the LLM): a minute or two
test-fast: install-dev
	$(PY) -m pytest -q -m "not slow"

bench: install-dev
	$(PY) -m bench --sizes 1000 --out bench/results/latest.json

clean:
	rm -rf $(VENV) data test-artifacts
