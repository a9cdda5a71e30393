# The two commands that matter: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Exactly the locked versions, checked against their hashes (README,
# "Dependencies"): requirements-dev.txt is the runtime lock plus the tools.
# A changed lock file changes the stamp's name, so the next command reinstalls.
LOCK := requirements-dev.txt
STAMP := $(VENV)/.installed-$(shell cksum < $(LOCK) | cut -d' ' -f1)
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade-package $(UPGRADE))
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint messages clean bench bench-smoke preflight preflight-tests lock

$(STAMP): $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

# Regenerate the lock files after a change to pyproject.toml; `make lock
# UPGRADE=sqlparse` moves one (transitive) package to its newest release.
lock: install
	$(PIP_COMPILE) -o requirements.txt pyproject.toml
	$(PIP_COMPILE) --allow-unsafe --extra dev --constraint requirements.txt \
		-o requirements-dev.txt pyproject.toml

# Before anything is installed: stop at once on a machine without the system
# libraries the PDFs need, naming the Debian packages (ibsu/lib/system_packages.py).
preflight:
	@$(PYTHON) ibsu/lib/system_packages.py

preflight-tests:
	@$(PYTHON) ibsu/lib/system_packages.py --tests

# Links in mail and the PDFs' QR codes point where this server listens
# (`make run PORT=8200`), unless SITE_URL is set.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: preflight install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Portal: http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --ini .bandit --quiet
	$(BIN)/python manage.py makemigrations --check --dry-run

test: preflight-tests lint
	$(BIN)/python -m pytest

# Regenerate locale/*/LC_MESSAGES/django.po from the code and compile them
# (needs GNU gettext). The compiled .mo files are committed, so `make run`
# and `make test` work without gettext.
messages: install
	$(BIN)/python manage.py makemessages --locale id --locale en --no-obsolete --no-location \
		--ignore ".venv/*" --ignore "tests/*"
	$(BIN)/python manage.py compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# The benchmark (bench/README.md): the portal beside this machine's own ceiling,
# on the PostgreSQL and Redis at 127.0.0.1 (its own database and Redis DB).
# Not part of `make test`: no timed tests there.
bench: install
	$(BIN)/python -m bench.run

# The same code path at a tiny scale, well under 2 minutes, for CI: it reports
# ratios without judging them and fails only when something errs or a request fails.
bench-smoke: install
	$(BIN)/python -m bench.run --smoke
