# The two set-up commands of the README: both create .venv when missing and install the project.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The compiled message catalogues (not in git): rebuilt when their .po changes.
MO := roster/locale/zh_CN/LC_MESSAGES/dutyroster.mo roster/locale/en/LC_MESSAGES/dutyroster.mo

.PHONY: demo test lint typecheck bench docs messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

roster/locale/%/LC_MESSAGES/dutyroster.mo: roster/locale/%/LC_MESSAGES/dutyroster.po $(STAMP)
	$(BIN)/python tools/messages.py compile

# After changing a message marked for translation: the .pot and both .po files (then translate
# the new entries of zh_CN's .po).
messages: $(STAMP)
	$(BIN)/python tools/messages.py extract
	$(BIN)/python tools/messages.py check

# The demo's store, rosters and feeds live under out/ (the example folder stays as committed). It
# publishes 2020-W06 at a fixed time (Friday 2020-01-31 18:00 in Xining), so a second run records
# nothing new and leaves the feeds byte for byte as they were, then solves 2020-W07 from it.
DEMO := out/xingwang
DEMO_DB := $(DEMO)/roster.db
DEMO_PUBLISHED := 1580464800

demo: $(STAMP) $(MO)
	$(BIN)/roster solve examples/xingwang --week 2020-W06 --repeatable --db $(DEMO_DB) --out $(DEMO)/2020-W06
	$(BIN)/roster show $(DEMO)/2020-W06/schedule.json --day 2020-02-03
	SOURCE_DATE_EPOCH=$(DEMO_PUBLISHED) $(BIN)/roster publish examples/xingwang $(DEMO)/2020-W06/schedule.json --db $(DEMO_DB) --by 马秀英 -m "2020-W06 第一版" --feeds $(DEMO)/feeds --base-url https://example.org/xingwang/feeds
	$(BIN)/roster solve examples/xingwang --week 2020-W07 --repeatable --db $(DEMO_DB) --out $(DEMO)/2020-W07
	$(BIN)/roster print $(DEMO)/2020-W06/schedule.json --day 2020-02-03 --roster examples/xingwang --out $(DEMO)/2020-W06/roster-2020-02-03.png
	$(BIN)/roster print $(DEMO)/2020-W06/schedule.json --week --roster examples/xingwang --out $(DEMO)/2020-W06/roster-2020-W06.pdf
	@echo "roster is installed in $(BIN)/: run '. $(BIN)/activate' in your shell to call it as plain 'roster'"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck $(MO)
	$(BIN)/python -m pytest

docs: $(STAMP) $(MO)
	$(BIN)/python tools/clidoc.py
	$(BIN)/python tools/ruledoc.py
	$(BIN)/python tools/formatdoc.py

# The engine beside a direct CP-SAT model on Curtois & Qu 1-16, both at BENCH_SECONDS of wall
# time and 2 workers (about 16 x 2 x 60 s = 32 min); BENCH_SEEDS=0,1,2 runs the instances whose
# result depends on the seed (3-8, 12-16) once per seed and reports the median (about 76 min).
BENCH_SECONDS ?= 60
BENCH_SEEDS ?= 0

bench: $(STAMP)
	$(BIN)/python -m benchmarks.curtois --all --side-by-side --time-limit $(BENCH_SECONDS) \
		--workers 2 --seeds $(BENCH_SEEDS) --no-lns --results benchmarks/results.md

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache $(MO)
