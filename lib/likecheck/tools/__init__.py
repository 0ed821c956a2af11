"""The machinery: command line, notebook runner, reruns, site, lab and bench.

Nothing in the science package (`likecheck.*` outside `tools/`) and no notebook
imports from here; tools import the science, never the other way round.
"""
