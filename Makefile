# Every target works on a fresh clone with nothing but Python 3.11: the venv is built on demand.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The generator runs ruff (its post-hook) from PATH: use the pinned one in the venv.
export PATH := $(abspath $(BIN)):$(PATH)

GENERATED := generated/coder_chat/client
# `$(call generate_into,DIR)`: the one generation recipe, used by `generate` and by the drift check.
define generate_into
	rm -rf $(1)
	$(BIN)/openapi-python-client generate --path openapi.yaml --config generator-config.yaml \
		--custom-template-path templates --meta none --output-path $(1) --fail-on-warning
	touch $(1)/py.typed
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

# Build the wheel, install it into a brand-new venv (not editable, no extras) and import both halves of
# coder_chat; read a REST body and decode a frame without msgspec (the `fast` extra), as a plain
# `pip install` does.
wheel-check: $(STAMP)
	$(eval TMP := $(shell mktemp -d))
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(TMP)/dist .
	$(PYTHON) -m venv $(TMP)/venv
	$(TMP)/venv/bin/python -m pip install --quiet $(TMP)/dist/*.whl
	cd $(TMP) && venv/bin/python -c "import coder_chat.client, coder_chat.streaming, coder_chat.client.api.chats.get_chat; \
		from coder_chat.client import AuthenticatedClient; import importlib.resources as r; \
		assert r.files('coder_chat.client').joinpath('py.typed').is_file(); \
		assert r.files('coder_chat.streaming').joinpath('py.typed').is_file(); \
		import httpx; from coder_chat._runtime import types as rt; from coder_chat._runtime import speedups; assert not speedups.available and not speedups.enabled; \
		from coder_chat.client import types; assert types.json_body(httpx.Response(200, content=b'{\"a\":[1,2.5]}')) == {'a': [1, 2.5]}; \
		from coder_chat.streaming import _decoder, decode_frame; assert _decoder._FAST is None; \
		[e] = decode_frame(b'[{\"type\":\"message_part\",\"chat_id\":\"6f1c1b1e-8c43-4d0e-9a57-0b8a5c3f2d11\",\"message_part\":{\"role\":\"assistant\",\"part\":{\"type\":\"text\",\"text\":\"hi\"}}}]'); \
		assert e.message_part.part.text == 'hi'; \
		print('wheel ok (no extras: standard-library JSON for REST and stream):', coder_chat.client.__file__, coder_chat.streaming.__file__)"
	rm -rf $(TMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy streaming/coder_chat generated/coder_chat tests examples bench

test: $(STAMP)
	scripts/run_tests.sh $(BIN)/python

# `make test-all`: the suite on every Python the package claims (requires-python >= 3.11). For .venv's
# interpreter (3.11 where python3.11 exists) it is `make test` itself; every other version in
# TEST_PYTHONS gets its own venv, .venv-X.Y, built on demand like .venv, and the same `pytest -q`.
# `make test test-all` (what .ci/run does) runs .venv's suite once, as the `test` goal, and test-all
# the other versions.
# An interpreter is pythonX.Y on PATH, else the newest X.Y.* under pyenv's versions/ (PYENV_ROOT,
# `pyenv root` or ~/.pyenv). A missing one is never silently skipped: it is reported in a banner and in
# the summary, and fails the target when CI is set (CI runs with CI=true: a version the package claims
# went untested) or STRICT=1; on a developer's machine without it the target passes with the warning.
# Every version is run even after a failure; the summary lists each version's outcome and time.
TEST_PYTHONS ?= 3.11 3.12 3.13
# `$(call find_python,X.Y)`: shell code that prints the path of a working Python X.Y, or nothing.
define find_python
for p in "$$(command -v python$(1))" \
	$$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/$(1).*/bin/python$(1) \
		"$$(pyenv root 2>/dev/null)"/versions/$(1).*/bin/python$(1) 2>/dev/null | sort -V -r); do \
	[ -n "$$p" ] && "$$p" -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] != sys.argv[1])' "$(1)" \
		2>/dev/null && { echo "$$p"; break; }; \
done
endef

test-all: $(STAMP)
	@default=$$($(BIN)/python -c 'import platform; print(platform.python_version())'); \
	failed=0; missing=""; \
	if [ -n "$(filter test,$(MAKECMDGOALS))" ]; then summary="  $$default: .venv, run by the make test goal above"; \
	else \
		echo "test-all: Python $$default: make test (.venv)"; start=$$(date +%s); \
		if $(MAKE) --no-print-directory test; then outcome=passed; else outcome=FAILED; failed=1; fi; \
		summary="  $$default: .venv, $$outcome in $$(( $$(date +%s) - start )) s"; \
	fi; \
	for v in $(TEST_PYTHONS); do \
		case "$$default" in "$$v".*) continue;; esac; \
		py=$$($(call find_python,$$v)); \
		if [ -z "$$py" ]; then \
			printf '\n%s\n%s\n%s\n\n' '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!' \
				"!!! test-all: no Python $$v found (python$$v on PATH or under pyenv): NOT TESTED" \
				'!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!' >&2; \
			summary="$$summary\n  $$v: MISSING, not tested"; missing="$$missing $$v"; continue; \
		fi; \
		echo "test-all: Python $$v: $$py -> .venv-$$v"; start=$$(date +%s); \
		if $(MAKE) --no-print-directory .venv-$$v/.installed-stamp VENV_PYTHON="$$py" \
			&& PATH="$(CURDIR)/.venv-$$v/bin:$$PATH" .venv-$$v/bin/python -m pytest -q; then \
			outcome=passed; else outcome=FAILED; failed=1; fi; \
		summary="$$summary\n  $$(.venv-$$v/bin/python -c 'import platform; print(platform.python_version())' 2>/dev/null || echo $$v): .venv-$$v, $$outcome in $$(( $$(date +%s) - start )) s"; \
	done; \
	printf "test-all summary:\n$$summary\n"; \
	strict="$(STRICT)"; case "$${CI:-}" in ""|false|0) ;; *) strict=1;; esac; \
	if [ -n "$$missing" ] && [ -n "$$strict" ]; then \
		echo "test-all: FAILED: Python$$missing missing (CI or STRICT set: every claimed version must run)" >&2; exit 1; fi; \
	[ $$failed = 0 ] || { echo "test-all: FAILED on at least one version (see the summary)" >&2; exit 1; }

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
