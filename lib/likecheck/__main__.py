"""`python -m likecheck COMMAND`: the entry point, a shim over the tools' command line."""
from .tools.cli import main

raise SystemExit(main())
