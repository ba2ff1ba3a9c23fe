# The two commands a new user needs: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := app

# Debian packages: WeasyPrint's text layout (Pango, HarfBuzz) and a font for PDFs; Chromium for the browser tests.
RUN_DEBS  := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_DEBS := $(RUN_DEBS) chromium ffmpeg

.PHONY: run test install install-dev system-deps-run system-deps-test pot translations migrate seed clean

run: install system-deps-run migrate seed
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C stops)"
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install-dev system-deps-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Install the missing Debian packages where we may (root with apt-get), else say in one line what to run.
define ensure_debs
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages: $$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) || exit 1; \
	  else \
	    echo "Missing system packages; run: sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi
endef

system-deps-run:
	$(call ensure_debs,$(RUN_DEBS))

system-deps-test:
	$(call ensure_debs,$(TEST_DEBS))

migrate: install
	$(BIN)/flask db upgrade

seed: install
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/flask seed-demo

# Extract every translatable string from the code and templates (tests/test_i18n.py runs this too).
POT ?= eventapp/translations/messages.pot
pot:
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs='.* .venv node_modules tests' --no-location --sort-output -o $(POT) .

# Re-extract the strings, merge them into both catalogs and compile (the .mo files are committed).
translations: install pot
	$(BIN)/pybabel update -i eventapp/translations/messages.pot -d eventapp/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d eventapp/translations

clean:
	rm -rf $(VENV) .pytest_cache
