"""likecheck: the published record on Hun Sen's Facebook likes, as data, metrics and figures.

Two floors. Data flows one way, files -> tidy tables -> metrics -> figures:

    likecheck/            the science (what notebooks import)
      errors, paths         one-line errors; one ROOT and the repository's folders
      dates                 START and END as typed: ISO days, checked without pandas
      schemas -> load        table specifications (pandera) and the published record
      published, importers/  published numbers; exports -> tidy tables
      metrics, evidence      new fans, shares, weekly engagement; one API for both sources
      ledger, simulate       claim checks; the seeded SYNTHETIC page
      style -> plots         house style; one function per kind of chart
      outputs                saving figures and tables, atomically and byte-stable
      exercises              the guide's self-checks
    likecheck/tools/      the machinery (imports the science, never imported by it)
      cli, runner, rerun, site, lab, bench, scale

A test (tests/test_layers.py) fails when a science module or a notebook
imports from `tools/`.
"""

__version__ = "1.0.0"
