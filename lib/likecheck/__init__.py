"""likecheck: the published record on Hun Sen's Facebook likes, as data, metrics and figures.

Layers, bottom to top: errors -> schemas -> load -> (importers, metrics) ->
(ledger, runner, simulate); style is apart. Notebooks only narrate and call.
"""

__version__ = "1.0.0"
