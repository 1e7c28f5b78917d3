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

.PHONY: install generate check lint-spec drift lint typecheck wheel-check test demo bench fuzz clean

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
	$(BIN)/python -m pytest -q

demo: $(STAMP)
	$(BIN)/python -m examples.demo

# The long Hypothesis runs (make test runs the same properties with a bounded number of examples).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/unit/test_rest_fuzz.py $(wildcard tests/unit/test_*fuzz*.py)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
