# The two set-up commands of the README: both create .venv when missing and install the project.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck bench docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/roster solve examples/xingwang --week 2020-W06 --out out/xingwang
	$(BIN)/roster show out/xingwang/schedule.json --day 2020-02-03
	$(BIN)/roster feeds examples/xingwang out/xingwang/schedule.json --out out/xingwang/feeds --base-url https://example.org/xingwang/feeds
	@echo "roster is installed in $(BIN)/: run '. $(BIN)/activate' in your shell to call it as plain 'roster'"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/python -m pytest

docs: $(STAMP)
	$(BIN)/python tools/clidoc.py
	$(BIN)/python tools/ruledoc.py
	$(BIN)/python tools/formatdoc.py

bench: $(STAMP)
	$(BIN)/python -m benchmarks.curtois --all --time-limit 60 --results benchmarks/results.md

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
