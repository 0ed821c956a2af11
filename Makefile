# likecheck: every step of the build has a name here. `make` sets up and builds
# every figure; `make test` runs the test suite. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all

PYTHON ?= python3
# The Pythons the project is tested on; pyproject.toml's requires-python, README,
# environment.yml and the universal requirements.lock say the same (tests/test_supported_pythons.py).
PYTHON_MIN := 3.11
PYTHON_MAX := 3.13
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
NOTEBOOK_FILES := $(wildcard notebooks/*.ipynb notebooks/guide/*.ipynb notebooks/guide/solutions/*.ipynb)
# The committed outputs too: a figure edited or checked out by hand makes the build look again.
FIGURE_FILES := $(wildcard figures/* figures/guide/*)
SITE := build/site/index.html

.PHONY: all setup validate datapackage figures test bench clean lock rerun site site-check lab browser help

all: setup $(DONE)/figures ## set up the venv, validate the data, build every figure whose inputs changed

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

# Before anything is installed, the Python that the venv has or will be made with is checked:
# one the project is not tested on gets one line, naming the versions and how to get one, and
# exit 2 (make's $(error)). Expanded only when a set-up recipe runs, so a `make` with nothing
# to do still starts no Python. Written for any Python, even 2, so an old one hears it too.
python_version = $(shell $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
python_supported = $(shell $(1) -c 'import sys; lo, hi = [tuple(int(p) for p in v.split(".")) for v in ("$(PYTHON_MIN)", "$(PYTHON_MAX)")]; print("yes" if lo <= sys.version_info[:2] <= hi else "")' 2>/dev/null)
setup_python = $(if $(wildcard $(PY)),$(PY),$(PYTHON))
python_found = $(if $(call python_version,$(1)),is Python $(call python_version,$(1)),was not found)
python_advice = $(if $(wildcard $(PY)),move $(VENV) aside and run,run)
check_python = $(if $(call python_supported,$(1)),,$(error likecheck needs Python $(PYTHON_MIN) to $(PYTHON_MAX); $(1) $(python_found). Install one (for example `uv python install $(PYTHON_MAX)`, or your system's python$(PYTHON_MAX) package) and $(python_advice) `make PYTHON=python$(PYTHON_MAX)`))

# A venv holding only uv: enough for `make lock`, even in a fresh clone.
$(UV):
	@$(call check_python,$(setup_python))
	@test -x $(PY) || { echo "== setting up: creating $(VENV) with $(PYTHON) (Python $(call python_version,$(PYTHON))) and installing uv $(UV_VERSION) into it"; \
	  $(PYTHON) -m venv $(VENV); }
	@$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# --compile-bytecode: where PYTHONDONTWRITEBYTECODE=1 is set (as on the machine this was
# measured on), Python never caches what it compiles, and every process compiled pandas,
# matplotlib and pandera anew: importing the library took 3.2 s per process, 1.15 s with
# the bytecode written once here. The Makefile is a prerequisite, so a change to these steps redoes them.
$(INSTALLED): requirements.lock pyproject.toml Makefile | $(UV)
	@$(call check_python,$(PY))
	@echo "== setting up: downloading and installing the packages of requirements.lock into $(VENV) with uv (20 to 50 s the first time in CI's fresh root; docs/platforms.md)"
	@$(UV) pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	@$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@touch $@

setup: $(INSTALLED) ## create .venv and install the locked packages (once)

$(DONE)/validate: $(INSTALLED) $(DATA_FILES) $(LIB_FILES)
	@$(PY) -m likecheck validate --datapackage
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

# The edit loop: everything but the notebooks and the browser (the tests marked slow or browser).
.PHONY: test-fast
test-fast: $(INSTALLED) ## the tests that run no notebook and no browser, in parallel: the edit loop
	@$(PY) -m pytest -n auto --dist worksteal -m "not slow and not browser"

bench: export LIKECHECK_POSTS = $(value POSTS)
bench: export LIKECHECK_BUILD_ONLY = $(value BUILD_ONLY)
bench: $(INSTALLED) ## time make clean && make figures against plain scripts, and the importers at scale [POSTS=5000000] [BUILD_ONLY=1]
	@$(PY) -m benchmarks $${LIKECHECK_POSTS:+--posts "$$LIKECHECK_POSTS"} $${LIKECHECK_BUILD_ONLY:+--build-only}

# The parameters reach Python as data: each goes into the environment as $(value ...),
# so make expands nothing in it and no shell ever parses it ($(x), `x`, quotes, Khmer
# text all arrive unchanged). LIKECHECK_CWD: a relative DATA or OUT is relative to here.
# GNU make also exports every variable given on its command line to every recipe's
# environment, expanded: START='$(shell touch x)' would run while the setup step starts.
# So the parameters themselves are never exported; only their $(value ...) copies are.
# ZONE (not TZ, which would set the clock of every process make starts) settles a time zone an
# export cannot place itself; it reaches Python only as LIKECHECK_ZONE.
PARAMETERS := START END DATA PAGE FORMAT OUT ZONE HOME_COUNTRY TOP POSTS BUILD_ONLY
unexport $(PARAMETERS)
rerun: export LIKECHECK_START = $(value START)
rerun: export LIKECHECK_END = $(value END)
rerun: export LIKECHECK_DATA = $(value DATA)
rerun: export LIKECHECK_PAGE = $(value PAGE)
rerun: export LIKECHECK_FORMAT = $(value FORMAT)
rerun: export LIKECHECK_OUT = $(value OUT)
rerun: export LIKECHECK_ZONE = $(value ZONE)
rerun: export LIKECHECK_HOME_COUNTRY = $(value HOME_COUNTRY)
rerun: export LIKECHECK_TOP = $(value TOP)
rerun: export LIKECHECK_CWD = $(CURDIR)
rerun: $(INSTALLED) ## make rerun START=YYYY-MM-DD END=YYYY-MM-DD [DATA=file|folder] [PAGE=name] [FORMAT=crowdtangle-api|graph-api|crowdtangle-xlsx|insights-xlsx|4cat-crowdtangle|crowdtangle-api-csv|tidy-posts|tidy-fans|crowdtangle|insights-csv] [ZONE=+0530] [HOME_COUNTRY=KH] [TOP=7] [OUT=folder]
	@$(PY) -m likecheck rerun --from-environment

# The same hand-over as rerun: parameters as data, through the environment.
.PHONY: screen
screen: export LIKECHECK_DATA = $(value DATA)
screen: export LIKECHECK_PAGE = $(value PAGE)
screen: export LIKECHECK_FORMAT = $(value FORMAT)
screen: export LIKECHECK_OUT = $(value OUT)
screen: export LIKECHECK_ZONE = $(value ZONE)
screen: export LIKECHECK_HOME_COUNTRY = $(value HOME_COUNTRY)
screen: export LIKECHECK_CWD = $(CURDIR)
screen: $(INSTALLED) ## make screen DATA=file|folder [PAGE=name] [FORMAT=crowdtangle-api|graph-api|crowdtangle-xlsx|insights-xlsx|4cat-crowdtangle|crowdtangle-api-csv|tidy-posts|tidy-fans|crowdtangle|insights-csv] [ZONE=+0530] [HOME_COUNTRY=KH] [OUT=folder]: signs of bought likes
	@$(PY) -m likecheck screen --from-environment

$(SITE): $(DONE)/figures
	@$(PY) -m likecheck site

site: $(SITE) ## build the static site under build/site/

site-check: site browser axe ## check every page of build/site in headless Chromium (links, images, axe-core): one line per finding, then the counts
	@$(PY) tests/browser.py build/site/index.html build/site-screenshot.png

lab: $(INSTALLED) ## start JupyterLab on the project's own kernel
	@$(PY) -m likecheck lab

browser: ## install headless Chromium for the browser test (Debian packages)
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then echo "== installing Debian's chromium and chromium-driver (apt-get) for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "browser: run 'sudo apt-get install chromium chromium-driver' for the browser test"; fi; }

$(AXE): package.json package-lock.json
	@echo "== installing axe-core from package-lock.json (npm ci)"
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then echo "== installing Debian's npm (apt-get) for axe-core"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "axe: install Node.js and npm (Debian: sudo apt-get install npm)"; exit 2; fi; }
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: axe
axe: $(AXE) ## install axe-core (npm ci) for the accessibility test of the site

# One universal lock for every supported Python and platform (markers where they differ).
# --fork-strategy fewest: one version of a package for all the Pythons wherever one fits,
# so the figures come from the same numpy, pandas and matplotlib whichever Python runs them.
lock: $(UV) ## re-resolve requirements.lock and environment.yml from pyproject.toml
	@$(UV) pip compile pyproject.toml --extra dev --universal --fork-strategy fewest --python-version $(PYTHON_MIN) --generate-hashes --quiet -o requirements.lock
	@$(PY) scripts/write_environment_yml.py

clean: ## remove everything the build makes, except .venv, the committed figures and your runs/
	rm -rf build .pytest_cache node_modules
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

.PHONY: clean-runs
clean-runs: ## remove runs/ (every rerun's output), after listing what goes
	@if [ -e runs ]; then echo "removing runs/ and everything in it:"; find runs -mindepth 1 -maxdepth 1 -printf '  runs/%P\n' | sort; rm -rf runs; else echo "runs/ does not exist: nothing to remove"; fi
