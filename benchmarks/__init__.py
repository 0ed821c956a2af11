"""`make bench`: the speed goals, as ratios, never in a timed test.

Outside the package on purpose: nothing the notebooks or the command line run
imports a benchmark. `python -m benchmarks` (what `make bench` runs) times:

* build.py: `make clean && make figures` against the notebooks' code cells
  run as plain scripts one after another;
* imports.py (with import_step.py, one step per process): the CrowdTangle
  importer at scale against pyarrow, on a SYNTHETIC export;
* screening.py: the screen over SYNTHETIC fan counts and posts.

synthetic.py makes the SYNTHETIC in-memory tables, measure.py the CPU time and
memory of a step: one of each for every benchmark.
"""
