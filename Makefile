# SP Tracker: `make demo` and `make test` do everything on a fresh Debian with Python 3.11.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages the code uses: OCR (Khmer + English), poppler's pdftotext/pdftoppm,
# Khmer OS fonts, ICU headers for PyICU's build, chromium for the web tracker's browser tests.
APT_PACKAGES := tesseract-ocr tesseract-ocr-khm tesseract-ocr-eng poppler-utils fonts-khmeros \
	libicu-dev pkg-config g++ chromium
PYTEST_WORKERS ?= 2

.PHONY: install system demo test lint unit test-postgres fixtures bench eval clean messages

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(MAKE) --no-print-directory system
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	$(PYTHON) -m venv --help >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: install
	$(VENV)/bin/sptrack demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

unit: install
	$(VENV)/bin/pytest -q -n $(PYTEST_WORKERS)

test: lint unit

# The whole suite again on a throw-away PostgreSQL server on 127.0.0.1 (.ci/postgres).
test-postgres: install
	@dir=$$(mktemp -d /tmp/sptrack-pg.XXXXXX); \
	eval "$$(.ci/postgres start $$dir)" && \
	$(VENV)/bin/pytest -q -n $(PYTEST_WORKERS); status=$$?; \
	.ci/postgres stop $$dir; exit $$status

# Rebuild the fixture documents and the demo site (needs LibreOffice: apt-get install
# libreoffice-writer-nogui).
fixtures: install
	$(PY) tests/fixtures/make_fixtures.py
	$(PY) tests/fixtures/make_scans.py

# The interface's catalogues (web/locale/{en,km}/LC_MESSAGES/messages.po) brought up to date
# with the _() of web/ and its templates; then translate the new km entries by hand. The app
# compiles the .po when it starts (web/translations.py): there is no .mo to build.
messages: install
	$(VENV)/bin/pybabel -q extract -F babel.cfg --no-location --sort-output -k N_ \
	  --project=sptrack -o web/locale/messages.pot .
	for lang in en km; do \
	  $(VENV)/bin/pybabel -q update -i web/locale/messages.pot -d web/locale -l $$lang \
	    --no-fuzzy-matching --ignore-obsolete || exit 1; \
	done
	rm -f web/locale/messages.pot

bench: install
	$(PY) bench/run_all.py

# Every evaluation on the labelled data shipped in evaluation/data (realworld skips the
# cases whose git snapshots are not fetched; see docs/cli.md).
EVALS := extract compare match crosscheck metamorphic realworld
eval: install
	@for e in $(EVALS); do echo "== sptrack eval $$e"; $(VENV)/bin/sptrack eval $$e || exit 1; done
	$(VENV)/bin/sptrack eval match evaluation/data/provisions.jsonl

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache demo-data
