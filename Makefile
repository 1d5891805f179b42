# dist401k — `make demo` and `make test` work on a fresh machine: they build .venv first.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
OWL     := .venv-owl
OWLSTAMP := $(OWL)/.installed-stamp

.PHONY: setup demo test bench lint clean

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

demo: setup
	$(BIN)/dist401k assess examples/cases/hardship-medical.yaml

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python benchmarks/tax_throughput.py

lint: setup
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
