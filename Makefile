# dist401k — `make demo` and `make test` work on a fresh machine: they build .venv first.
# `make demo` installs what the main job needs; `make test` adds the test tools (the tax
# oracles, the browser driver, the linters) and Debian's packages; the separate Owl
# environment comes only with `make bench` (or `make setup-owl`), for the benchmarks that compare
# the drawdown planner with Owl (benchmarks/planner_vs_owl.py, benchmarks/owl_tax_diff.py).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
TESTSTAMP := $(VENV)/.test-installed-stamp
OWL     := .venv-owl
OWLSTAMP := $(OWL)/.installed-stamp

.PHONY: setup setup-test setup-owl sysdeps demo test bench lint clean

# The main job: the package and its run-time dependencies only, installed by uv (from PyPI,
# pinned here): it downloads in parallel and compiles nothing ahead (Python compiles a module
# the first time it is imported), so the install takes seconds where pip took minutes.
UV_VERSION := 0.13.9
UV      := $(BIN)/python -m uv pip install -q --python $(BIN)/python
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --no-compile uv==$(UV_VERSION)
	$(UV) -e .
	touch $(STAMP)

# The test tools on top of the main job's environment.
$(TESTSTAMP): $(STAMP)
	$(UV) -e '.[test]'
	touch $(TESTSTAMP)

# The Owl planner needs plotly>=6.3, PolicyEngine-US needs plotly<6: Owl gets its own venv,
# used only by the benchmarks that compare the planner with Owl.
$(OWLSTAMP): benchmarks/requirements-owl.txt
	test -x $(OWL)/bin/python || $(PY) -m venv $(OWL)
	$(OWL)/bin/python -m pip install -q --no-compile uv==$(UV_VERSION)
	$(OWL)/bin/python -m uv pip install -q --python $(OWL)/bin/python -r benchmarks/requirements-owl.txt
	touch $(OWLSTAMP)

setup: $(STAMP)
setup-test: $(TESTSTAMP)
setup-owl: $(OWLSTAMP)

# The browser and PDF tests drive Debian's Chromium and read PDFs with poppler's pdftoppm;
# the store's tests start a PostgreSQL server of their own (Debian's postgresql package).
sysdeps:
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && \
	  { command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium poppler-utils fonts-dejavu-core postgresql; }

demo: setup
	$(BIN)/dist401k assess examples/cases/hardship-medical.yaml

# One worker per processor (pytest-xdist, idle workers stealing tests): on a 2-core machine the
# suite ran 39 minutes in one process and 21 in two.
test: setup-test sysdeps
	$(BIN)/python -m pytest -q -n auto --dist worksteal

# The federal tax's throughput against Tax-Calculator (a test oracle); the Owl environment is
# built for the benchmarks that run Owl beside the planner.
bench: setup-test setup-owl
	$(BIN)/python benchmarks/tax_throughput.py

# ruff over the code, mypy over src/ (tests/test_types.py runs mypy in `make test` too).
lint: setup-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m mypy

clean:
	rm -rf $(VENV) $(OWL) build dist src/*.egg-info .pytest_cache
