# dist401k — `make demo` and `make test` work on a fresh machine: they build .venv first.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
OWL     := .venv-owl
OWLSTAMP := $(OWL)/.installed-stamp

.PHONY: setup sysdeps demo test bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# The Owl planner needs plotly>=6.3, PolicyEngine-US needs plotly<6: Owl gets its own venv.
$(OWLSTAMP): benchmarks/requirements-owl.txt
	test -x $(OWL)/bin/python || $(PY) -m venv $(OWL)
	$(OWL)/bin/python -m pip install -q -r benchmarks/requirements-owl.txt
	touch $(OWLSTAMP)

setup: $(STAMP) $(OWLSTAMP)

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

test: setup sysdeps
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python benchmarks/tax_throughput.py

lint: setup
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
