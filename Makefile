# Every target works on a fresh clone with nothing but Python 3.11: the venv is built on demand.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The generator runs ruff (its post-hook) from PATH: use the pinned one in the venv.
export PATH := $(abspath $(BIN)):$(PATH)

GENERATED := generated/coder_chat/client
# `$(call generate_into,DIR)`: the one generation recipe, used by `generate` and by the drift check. Every
# package gets its py.typed marker (make wheel-check requires one in each package of the wheel).
define generate_into
	rm -rf $(1)
	$(BIN)/openapi-python-client generate --path openapi.yaml --config generator-config.yaml \
		--custom-template-path templates --meta none --output-path $(1) --fail-on-warning
	find $(1) -type d -exec touch {}/py.typed \;
endef

.PHONY: install generate check lint-spec drift lint typecheck wheel-check test test-all demo bench fuzz clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(call generate_into,$(GENERATED))

check: lint-spec drift lint typecheck

lint-spec: $(STAMP)
	$(BIN)/python -m openapi_spec_validator openapi.yaml

drift: $(STAMP)
	$(eval TMP := $(shell mktemp -d))
	$(call generate_into,$(TMP)/client)
	diff -r -x __pycache__ $(GENERATED) $(TMP)/client || { echo "generated/ differs from 'make generate' output: run make generate"; rm -rf $(TMP); exit 1; }
	rm -rf $(TMP)

# Build the wheel, install it into a brand-new venv (not editable, no extras) and check what a user gets:
# both halves import and read JSON without msgspec, every package carries py.typed, and mypy --strict
# against the installed wheel accepts scripts/typing/accepted.py and rejects scripts/typing/rejected.py.
wheel-check: $(STAMP)
	$(BIN)/python scripts/wheel_check.py --python $(PYTHON)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy streaming/coder_chat generated/coder_chat tests examples bench

test: $(STAMP)
	scripts/run_tests.sh $(BIN)/python

# `make test-all`: the suite on every Python the package claims, each in its own venv (.venv-X.Y, built
# by the rule below); scripts/test_all.sh says how interpreters are found and when a missing one fails.
# `make test test-all` (what .ci/run does) runs .venv's suite once, as the `test` goal.
TEST_PYTHONS ?= 3.11 3.12 3.13

test-all: $(STAMP)
	@TEST_PYTHONS="$(TEST_PYTHONS)" STRICT="$(STRICT)" MAKE="$(MAKE)" \
		scripts/test_all.sh $(if $(filter test,$(MAKECMDGOALS)),--default-ran)

# The venv of one extra interpreter for test-all (VENV_PYTHON: its path, found by test-all).
.venv-%/.installed-stamp: pyproject.toml
	@test -n "$(VENV_PYTHON)" || { echo "build .venv-$* through make test-all (it finds the interpreter)" >&2; exit 1; }
	$(VENV_PYTHON) -m venv .venv-$*
	.venv-$*/bin/python -m pip install --quiet --upgrade pip
	.venv-$*/bin/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(STAMP)
	$(BIN)/python -m examples.demo

# The long Hypothesis runs (make test runs the same properties with a bounded number of examples).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q $(wildcard tests/unit/test_*fuzz*.py)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .venv-* .pytest_cache .mypy_cache .ruff_cache
