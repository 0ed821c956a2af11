"""The runner gives each notebook's kernel its folder explicitly.

papermill's `cwd` chdirs the whole process; with two notebooks running in two threads, one
ending while the other's kernel starts moved the starting kernel into the wrong folder, so its
relative output_dir pointed elsewhere and the build dropped that notebook's figures as stale.
The kernel's folder is therefore also handed to nbclient, which starts the kernel there.
"""

from pathlib import Path

import nbformat
import papermill

from likecheck.paths import NOTEBOOKS
from likecheck.tools import runner


def capture_papermill(monkeypatch) -> list[dict]:
    calls = []

    def fake(input_path, output_path, **kwargs):
        calls.append(kwargs)
        nbformat.write(nbformat.v4.new_notebook(), output_path)
    monkeypatch.setattr(papermill, "execute_notebook", fake)
    return calls


def test_a_build_kernel_starts_in_the_notebook_s_folder(tmp_path, monkeypatch):
    calls = capture_papermill(monkeypatch)
    notebook = NOTEBOOKS / "guide" / "01_what_a_like_is.ipynb"
    runner.execute(runner.Job(notebook, tmp_path / "out", tmp_path / "executed.ipynb", None))
    assert calls[0]["cwd"] == str(NOTEBOOKS / "guide")
    assert calls[0]["resources"] == {"metadata": {"path": str(NOTEBOOKS / "guide")}}


def test_a_rerun_kernel_starts_in_the_run_s_notebooks_folder(tmp_path, monkeypatch):
    calls = capture_papermill(monkeypatch)
    run = tmp_path / "run"
    job = runner.Job(NOTEBOOKS / "01_like_origin.ipynb", run / "figures", run / "notebooks" / "01_like_origin.ipynb",
                     None, {"data": "../data"}, root=run)
    runner.execute(job)
    assert calls[0]["resources"] == {"metadata": {"path": str(run / "notebooks")}}
    assert calls[0]["parameters"]["output_dir"] == "../figures"  # relative to that folder
    assert Path(calls[0]["cwd"]) == run / "notebooks"
