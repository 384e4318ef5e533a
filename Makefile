# make run   — set up .venv and run the main job on the bundled fixtures
# make test  — set up .venv with the test extras and run the whole test suite
# make test-mediawiki — the MediaWiki oracle suite (installs Debian's mediawiki when run as root)
# make mutation — mutation testing (mutmut) of the core modules, with the score per module
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-mediawiki mutation lint bench golden clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint,dask,parquet]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/wikiplain roundtrip fixtures/
	$(BIN)/wikiplain parse fixtures/articles/nampala-raid.txt

test: $(STAMP)
	$(BIN)/python -m pytest

# MediaWiki itself as the oracle of our wikitext: installs Debian's mediawiki,
# php-cli and php-sqlite3 when it can (as root), then runs the MediaWiki suite.
# When they cannot be installed, the suite skips and says why.
test-mediawiki: $(STAMP)
	@if tests/mediawiki/install.sh; then \
		WIKIPLAIN_REQUIRE_MEDIAWIKI=1 $(BIN)/python -m pytest -m mediawiki; \
	else \
		echo "MediaWiki suite: SKIPPED (see the reason above)"; \
		$(BIN)/python -m pytest -m mediawiki; \
	fi

# Mutation testing with mutmut (slow: about half an hour on 2 cores; not in CI).
# Mutates the modules with a target (tests/mutation_report.py) and reports the
# score per module; fails on a missed target or a survivor not listed as
# equivalent in tests/mutation_equivalents.txt.  Memory is capped (6 GB of address
# space a process): a mutant that turns a loop into an endless one that allocates
# would otherwise take the machine's memory before mutmut's timeout ends it.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,lint,mutation]'
	ulimit -v 6000000; WIKIPLAIN_HYPOTHESIS=mutation $(BIN)/mutmut run --max-children $$(nproc) $$($(BIN)/python -m tests.mutation_report --globs)
	$(BIN)/python -m tests.mutation_report --check --survivors

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/bench.py

golden: $(STAMP)
	$(BIN)/python tests/regen_golden.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants
