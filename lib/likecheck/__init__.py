"""likecheck: the published record on Hun Sen's Facebook likes, as data, metrics and figures.

Two floors. Data flows one way, files -> tidy tables -> metrics -> figures:

    likecheck/            the science (what notebooks import), on floors that import only downwards
      errors, paths          one-line errors; one ROOT and the repository's folders
      dates, pages           every date rule and date in words; the one page matcher
      schemas -> load        table specifications (pandera) and the published record
      published, importers/  published numbers; exports -> tidy tables (a registry of formats)
      metrics                new fans, shares, weekly engagement
      labels                 origin names, the SIMULATED label, cite and credits
      evidence, ledger, simulate, screening/
                             one API for both sources; claim checks; the seeded
                             SYNTHETIC page; the screen's four signals
      style -> plots, outputs
                             house style; one function per chart; saving, atomically and byte-stable
      exercises              the guide's self-checks
    likecheck/tools/      the machinery (imports the science, never imported by it)
      cli, build, runner, manifest, outdir, rerun, screen, site, lab

tests/test_layers.py fails when a module imports upwards or a science module or
a notebook imports from `tools/`; docs/architecture.md has the whole picture.
"""

__version__ = "1.0.0"
