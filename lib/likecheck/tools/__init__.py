"""The machinery: command line, build, notebook runner, reruns, screens, site and lab.

Nothing in the science package (`likecheck.*` outside `tools/`) and no notebook
imports from here; tools import the science, never the other way round. The
benchmarks live outside the package, in benchmarks/ (docs/architecture.md).
"""

import os
import sys

# jsonschema (under nbformat, papermill and the manifest) imports the optional
# rfc3987_syntax checker when it is installed: 1.3 s of every process on this machine,
# compiling grammars for URI formats that nothing here checks. So our own processes,
# and the test suite's (tests/conftest.py), skip it; this is the one place that says so.
# LIKECHECK_FAST_IMPORTS=0 brings the checker back.
if os.environ.get("LIKECHECK_FAST_IMPORTS", "1") == "1":
    sys.modules.setdefault("rfc3987_syntax", None)
