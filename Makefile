# likecheck: every step of the build has a name here. `make` sets up and builds
# every figure; `make test` runs the test suite. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all

PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
INSTALLED := $(VENV)/.installed
# axe-core, for the accessibility test, from the npm registry as package-lock.json pins it.
AXE := node_modules/axe-core/axe.min.js
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

# What each step reads. Make compares their times with its stamp files in build/make/,
# so a `make` with nothing changed decides in make alone and starts no Python. The
# runner then reruns only the notebooks whose own inputs changed (build/stamps/).
DONE := build/make
DATA_FILES := $(wildcard data/*)
LIB_FILES := $(wildcard lib/likecheck/*.py lib/likecheck/*/*.py lib/likecheck/tools/templates/*)
NOTEBOOK_FILES := $(wildcard notebooks/*.ipynb notebooks/guide/*.ipynb)
# The committed outputs too: a figure edited or checked out by hand makes the build look again.
FIGURE_FILES := $(wildcard figures/* figures/guide/*)
SITE := build/site/index.html

.PHONY: all setup validate datapackage figures test bench clean lock rerun site site-check lab browser help

all: setup $(DONE)/figures ## set up the venv, validate the data, build every figure whose inputs changed

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

# A venv holding only uv: enough for `make lock`, even in a fresh clone.
$(UV):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: where PYTHONDONTWRITEBYTECODE=1 is set (as on the machine this was
# measured on), Python never caches what it compiles, and every process compiled pandas,
# matplotlib and pandera anew: importing the library took 3.2 s per process, 1.15 s with
# the bytecode written once here. The Makefile is a prerequisite, so a change to these steps redoes them.
$(INSTALLED): requirements.lock pyproject.toml Makefile | $(UV)
	@echo "== setting up $(VENV) from requirements.lock"
	@$(UV) pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	@$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@touch $@

setup: $(INSTALLED) ## create .venv and install the locked packages (once)

$(DONE)/validate: $(INSTALLED) $(DATA_FILES) $(LIB_FILES)
	@$(PY) -m likecheck validate
	@$(PY) -m likecheck datapackage --check
	@mkdir -p $(@D) && touch $@

validate: $(DONE)/validate ## load and validate every published table (when data/ or lib/ changed)

datapackage: $(INSTALLED) ## rewrite data/datapackage.json from lib/likecheck/schemas.py
	@$(PY) -m likecheck datapackage

$(DONE)/figures: $(DONE)/validate $(NOTEBOOK_FILES) $(DATA_FILES) $(LIB_FILES) $(FIGURE_FILES) requirements.lock
	@$(PY) -m likecheck build
	@touch $@

# Always asks the runner (one Python start), which reruns only the notebooks whose
# notebook, data, library or lock changed, or whose outputs differ from the manifest.
figures: $(DONE)/validate ## run the notebooks whose inputs changed and update figures/
	@$(PY) -m likecheck build
	@touch $(DONE)/figures

# Reads and writes no tracked file: tests that need the notebooks executed share one
# build into a temporary folder (tests/conftest.py) and compare it with figures/.
test: $(INSTALLED) browser axe ## run the whole test suite, in parallel (pytest-xdist)
	@$(PY) -m pytest -n auto --dist worksteal

bench: $(INSTALLED) ## time the build against plain scripts, and the importers at scale [POSTS=5000000]
	@$(PY) -m benchmarks $(if $(POSTS),--posts $(POSTS))

# The parameters reach Python as data: each goes into the environment as $(value ...),
# so make expands nothing in it and no shell ever parses it ($(x), `x`, quotes, Khmer
# text all arrive unchanged). LIKECHECK_CWD: a relative DATA or OUT is relative to here.
rerun: export LIKECHECK_START = $(value START)
rerun: export LIKECHECK_END = $(value END)
rerun: export LIKECHECK_DATA = $(value DATA)
rerun: export LIKECHECK_PAGE = $(value PAGE)
rerun: export LIKECHECK_FORMAT = $(value FORMAT)
rerun: export LIKECHECK_OUT = $(value OUT)
rerun: export LIKECHECK_HOME_COUNTRY = $(value HOME_COUNTRY)
rerun: export LIKECHECK_TOP = $(value TOP)
rerun: export LIKECHECK_CWD = $(CURDIR)
rerun: $(INSTALLED) ## make rerun START=YYYY-MM-DD END=YYYY-MM-DD [DATA=file|folder] [PAGE=name] [FORMAT=...] [OUT=folder] [HOME_COUNTRY=KH] [TOP=7]
	@$(PY) -m likecheck rerun --from-environment

# The same hand-over as rerun: parameters as data, through the environment.
.PHONY: screen
screen: export LIKECHECK_DATA = $(value DATA)
screen: export LIKECHECK_PAGE = $(value PAGE)
screen: export LIKECHECK_FORMAT = $(value FORMAT)
screen: export LIKECHECK_OUT = $(value OUT)
screen: export LIKECHECK_HOME_COUNTRY = $(value HOME_COUNTRY)
screen: export LIKECHECK_CWD = $(CURDIR)
screen: $(INSTALLED) ## make screen DATA=file|folder [PAGE=name] [FORMAT=...] [OUT=folder] [HOME_COUNTRY=KH]: signs of bought likes
	@$(PY) -m likecheck screen --from-environment

$(SITE): $(DONE)/figures
	@$(PY) -m likecheck site

site: $(SITE) ## build the static site under build/site/

site-check: site browser axe ## open build/site in headless Chromium; screenshot to build/site-screenshot.png
	@$(PY) tests/browser.py build/site/index.html build/site-screenshot.png

lab: $(INSTALLED) ## start JupyterLab on the project's own kernel
	@$(PY) -m likecheck lab

browser: ## install headless Chromium for the browser test (Debian packages)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "browser: run 'sudo apt-get install chromium chromium-driver' for the browser test"; fi; }

$(AXE): package.json package-lock.json
	@echo "== installing axe-core from package-lock.json (npm ci)"
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "axe: install Node.js and npm (Debian: sudo apt-get install npm)"; exit 2; fi; }
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: axe
axe: $(AXE) ## install axe-core (npm ci) for the accessibility test of the site

lock: $(UV) ## re-resolve requirements.lock and environment.yml from pyproject.toml
	@$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --quiet -o requirements.lock
	@$(PY) scripts/write_environment_yml.py

clean: ## remove everything the build makes, except .venv, the committed figures and your runs/
	rm -rf build .pytest_cache node_modules
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

.PHONY: clean-runs
clean-runs: ## remove runs/ (every rerun's output), after listing what goes
	@if [ -e runs ]; then echo "removing runs/ and everything in it:"; find runs -mindepth 1 -maxdepth 1 -printf '  runs/%P\n' | sort; rm -rf runs; else echo "runs/ does not exist: nothing to remove"; fi
