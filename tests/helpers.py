"""Assertions shared by the test modules."""


def one_line_error(excinfo, *parts) -> str:
    """The error is one line and names every part given (file, line, column, problem)."""
    text = str(excinfo.value)
    assert "\n" not in text, text
    for part in parts:
        assert part in text, f"{part!r} not in {text!r}"
    return text


def run_cli(*argv, cwd=None):
    """`python -m likecheck ARGV` run in this process, as if typed in `cwd` (default: the repository).

    The command line's own entry point and its one-line errors, without paying a fresh
    interpreter's imports (about 4 s here) for each case; tests/test_rerun_safety.py
    still runs the real `make rerun` in a subprocess.
    """
    import contextlib
    import io
    import subprocess
    from pathlib import Path

    from likecheck.tools import cli

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or Path(__file__).resolve().parents[1]), \
            contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = cli.main([str(a) for a in argv])
        except SystemExit as exit_:  # argparse's own usage errors
            code = exit_.code
    return subprocess.CompletedProcess(list(argv), code, stdout.getvalue(), stderr.getvalue())
