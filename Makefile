# Two commands do all the set-up: `make run` (demo school on SQLite) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export FLASK_APP := steungroep

.PHONY: run test test-quick deps lint chromium containers wheel clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

steungroep/static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p steungroep/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js steungroep/static/vendor/htmx.min.js

# The catalogs are compiled by the build (the .mo files are not kept in git).
CATALOGS := $(wildcard steungroep/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

%/LC_MESSAGES/messages.mo: %/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@ --statistics

deps: $(STAMP) steungroep/static/vendor/htmx.min.js $(COMPILED)

chromium:
	@test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

# podman, runc and mmdebstrap for the container test, nginx and Caddy for the proxy test
containers:
	@command -v podman >/dev/null && test -x /usr/sbin/runc && command -v mmdebstrap >/dev/null && command -v nginx >/dev/null && command -v caddy >/dev/null || \
	  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y podman runc mmdebstrap nginx-light caddy; }

# The installable package, with htmx and the compiled catalogs in it (deploy/Containerfile)
wheel: deps
	rm -rf dist build
	$(BIN)/python -m pip wheel --no-deps --quiet -w dist .

PORT ?= 5000

run: deps
	$(BIN)/flask db upgrade
	@# the demo is refused (and left out) on a database with real schools or accounts
	-PORT=$(PORT) $(BIN)/flask demo
	$(BIN)/flask serve --host 127.0.0.1 --port $(PORT)

lint: deps
	$(BIN)/ruff check .

# Two test workers (pytest-xdist) on a 2-core machine: about 1.6 times as fast as one process
# (see the README). PYTEST_WORKERS=0 runs the suite in one process.
PYTEST_WORKERS ?= 2

test: deps chromium containers lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Everything but the real-browser tests (tests/browser/), without installing chromium,
# podman or the proxies (the container and proxy tests skip when those are missing)
test-quick: deps lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --ignore=tests/browser $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules steungroep/static/vendor .pytest_cache test-output dist build

# After adding or changing texts: extract them and bring the English catalog up to date
# (then translate what `make test` reports as missing in steungroep/translations/en/).
messages: deps
	mkdir -p steungroep/translations
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -k N_ \
		-o steungroep/translations/messages.pot .
	$(BIN)/pybabel update -i steungroep/translations/messages.pot -d steungroep/translations \
		--no-fuzzy-matching --ignore-obsolete
