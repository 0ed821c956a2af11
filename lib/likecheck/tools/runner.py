"""Run notebooks with papermill's Python API, in parallel, in one process.

`run_jobs` executes `Job`s (a notebook, its parameters, where its outputs,
executed copy and HTML go) two at a time, stops every kernel on Ctrl-C or
SIGTERM within half a second, and writes each executed notebook without the
run's timestamps. What to run and where the results go is the caller's: the
build (tools.build), a rerun or a screen.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FileSystemError, LikecheckError, display_path
from ..paths import NOTEBOOKS, ROOT
from ..outputs import atomic_write_bytes

#: Notebook and cell metadata that papermill and nbclient fill with the time of the run.
VOLATILE_KEYS = ("start_time", "end_time", "duration", "exception", "execution")


def notebook_key(path: Path) -> str:
    """'01_like_origin.ipynb' or 'guide/01_what_a_like_is.ipynb'."""
    return path.relative_to(NOTEBOOKS).as_posix()



def strip_volatile(node):
    """Drop run timestamps so an executed notebook depends only on its inputs."""
    if isinstance(node, dict):
        for key in VOLATILE_KEYS:
            node.pop(key, None)
        for value in node.values():
            strip_volatile(value)
    elif isinstance(node, list):
        for value in node:
            strip_volatile(value)
    return node


@dataclass
class Job:
    notebook: Path
    output_dir: Path
    executed: Path
    html: Path | None
    parameters: dict = field(default_factory=dict)
    seconds: float = 0.0
    #: A run's own folder (a rerun's or a screen's): the kernel works in the folder of the executed
    #: notebook, and every path the notebook records (output_dir, papermill's input and output paths)
    #: is relative, so a staging folder renamed to OUT names neither, two runs into two folders record
    #: the same, and the executed notebook opened again from OUT/notebooks/ finds its data. None: the build.
    root: Path | None = None


#: Seconds to wait for a notebook's kernel to answer (papermill's default is 60).
KERNEL_START_TIMEOUT = 300
#: Times a notebook is started on a new kernel when its kernel dies before answering at all.
#: jupyter_client picks the kernel's five TCP ports free and hands them over; another process
#: (another run's kernel) can bind one of them first, and the kernel then dies at once with
#: "Address already in use". No cell has run then, so starting again is safe.
KERNEL_START_ATTEMPTS = 3
KERNEL_DIED_AT_START = "Kernel died before replying to kernel_info"


class KernelDiedAtStart(LikecheckError):
    """The notebook's kernel died before it answered: no cell ran."""


def execute(job: Job, stopping: threading.Event | None = None) -> Job:
    """Execute one notebook with papermill; write the executed copy and its HTML.

    A kernel that dies before it answers is replaced (KERNEL_START_ATTEMPTS in all), unless
    `stopping` is set: then the run is being stopped, and its kernels were killed on purpose.
    """
    for _ in range(KERNEL_START_ATTEMPTS - 1):
        try:
            return _execute_once(job)
        except KernelDiedAtStart:
            if stopping is not None and stopping.is_set():
                raise
    return _execute_once(job)  # the last attempt: its error goes up


def notebook_relative(folder: Path, notebook: Path) -> str:
    """`folder` as the notebook's kernel should be given it: relative to the notebook's own folder
    (its working directory) when both are inside the repository, so an executed notebook shows
    '../build/staging/01_like_origin', never the builder's home; absolute otherwise (a user's OUT)."""
    folder, notebook = Path(folder).resolve(), Path(notebook).resolve()
    root = ROOT.resolve()
    if root in folder.parents and root in notebook.parents:
        return Path(os.path.relpath(folder, notebook.parent)).as_posix()
    return str(folder)


def _execute_once(job: Job) -> Job:
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    job.output_dir.mkdir(parents=True, exist_ok=True)
    job.executed.parent.mkdir(parents=True, exist_ok=True)
    # A run into OUT: relative to the kernel's folder (OUT/notebooks); the build: relative to the notebook.
    cwd = job.executed.parent if job.root else job.notebook.parent
    output_dir = (Path(os.path.relpath(job.output_dir, cwd)).as_posix() if job.root
                  else notebook_relative(job.output_dir, job.notebook))
    parameters = {**job.parameters, "output_dir": output_dir}
    began = time.perf_counter()
    try:
        papermill.execute_notebook(str(job.notebook), str(job.executed), parameters=parameters,
                                   kernel_name="python3", cwd=str(cwd),
                                   # The kernel's own folder, given to it explicitly: papermill's `cwd`
                                   # chdirs the whole process, and when another thread's notebook ends
                                   # while this kernel starts, the kernel would start in that thread's
                                   # folder, and the relative output_dir and data above would point
                                   # elsewhere (a build once wrote a notebook's figures there and then
                                   # dropped them as stale). nbclient starts the kernel in this path.
                                   resources={"metadata": {"path": str(cwd)}},
                                   progress_bar=False, log_output=False,
                                   # Written once, when the notebook ends (also when a cell fails),
                                   # not after every cell: each save serialises and validates the
                                   # whole notebook, images included, for no reader.
                                   request_save_on_cell_execute=False,
                                   # A loaded 2-core machine (a test suite, a browser) can take
                                   # longer than papermill's 60 s to start a kernel.
                                   start_timeout=KERNEL_START_TIMEOUT,
                                   # The kernel's own log says nothing a reader can act on: a TCP-transport
                                   # warning, and "KeyboardInterrupt caught in kernel" at ERROR level when
                                   # jupyter_client interrupts it before shutting it down. A failing cell
                                   # still reaches us, as PapermillExecutionError below.
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                                   # Every output has reached us and every file is written when the last
                                   # cell ends; a graceful shutdown then only waits for the kernel to
                                   # exit (0.4 to 0.9 s of each notebook's wall time, the CPU idle).
                                   shutdown_kernel="immediate")
    except PapermillExecutionError as err:
        raise LikecheckError(f"{display_path(job.notebook)}: cell {err.exec_count} failed: "
                             f"{err.ename}: {' '.join(str(err.evalue).split())} "
                             f"(executed copy: {display_path(job.executed)})") from None
    except OSError as err:  # papermill writing the executed notebook: a full disk, the file-size limit
        raise FileSystemError.of(err, "write the executed notebook", job.executed) from None
    except RuntimeError as err:  # jupyter_client: "Kernel didn't respond in N seconds", "Kernel died"
        problem = (KernelDiedAtStart if KERNEL_DIED_AT_START in str(err) else LikecheckError)
        raise problem(f"{display_path(job.notebook)}: the notebook's Python kernel did not start "
                      f"({' '.join(str(err).split())}); try again when the machine is less busy") from None
    job.seconds = time.perf_counter() - began
    nb = strip_volatile(nbformat.read(job.executed, as_version=4))
    for cell in nb.cells:  # the same run, the same bytes:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives the cell it injects a random id
        if cell.get("outputs"):
            cell["outputs"] = joined_streams(cell["outputs"])  # a print may arrive in one message or two
    if job.root is not None:
        record_relative_paths(nb, job)
    else:
        record = nb.metadata.get("papermill", {})
        for key in ("input_path", "output_path"):  # the builder's home is nobody's business
            if record.get(key):
                record[key] = display_path(Path(record[key]), ROOT)
    atomic_write_bytes(job.executed, nbformat.writes(nb).encode("utf-8"))
    if job.html is not None:
        write_html(nb, job.html)
    return job


def joined_streams(outputs: list) -> list:
    """Consecutive stdout (or stderr) messages of a cell as one: how the kernel split them is timing."""
    joined = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            previous["text"] = previous["text"] + output["text"]
        else:
            joined.append(output)
    return joined


def record_relative_paths(nb, job: Job) -> None:
    """papermill's record of where the notebook came from and went, relative: the notebook to the
    repository, the executed copy to the run's folder."""
    record = nb.metadata.get("papermill", {})
    notebook = Path(job.notebook).resolve()
    record["input_path"] = notebook.relative_to(ROOT).as_posix() if notebook.is_relative_to(ROOT) else notebook.name
    record["output_path"] = Path(os.path.relpath(job.executed, job.root)).as_posix()


#: nbconvert's lab template without the tags that load require.js, MathJax, mermaid and the
#: widget manager from a CDN: an executed notebook's HTML works offline (equations stay TeX).
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


_exporter_lock = threading.Lock()
_exporter = None


def html_exporter():
    """The one nbconvert exporter of this process, made on first use: making one compiles its Jinja
    templates anew (about 0.9 s here, more than a notebook's export). An exporter keeps state while it
    converts, so the build's threads take turns with it (`_exporter_lock`); an export takes 0.1 to 0.3 s."""
    global _exporter
    if _exporter is None:
        from jinja2 import DictLoader
        from nbconvert import HTMLExporter
        _exporter = HTMLExporter(template_name="lab", template_file="offline.html.j2",
                                 extra_loaders=[DictLoader({"offline.html.j2": OFFLINE_TEMPLATE})])
    return _exporter


def notebook_html(nb) -> str:
    """The notebook as one HTML page that loads nothing from the network, with the site's
    Content-Security-Policy (site.offline_page) in case anything still tries."""
    from .site import offline_page
    with _exporter_lock:
        body, _ = html_exporter().from_notebook_node(nb)
    return offline_page(body)


def write_html(nb, target: Path) -> None:
    atomic_write_bytes(target, notebook_html(nb).encode("utf-8"))


#: Seconds the main thread waits for a notebook before it lets a pending signal's handler run.
SIGNAL_LATENCY = 0.5


def run_jobs(jobs: list[Job], workers: int = 2, log=print) -> list[Job]:
    """Execute jobs in parallel threads (each notebook has its own kernel process).

    A Ctrl-C (or a SIGTERM that the caller turns into an exception, as tools.outdir does)
    stops the run within SIGNAL_LATENCY, whenever it comes: the notebooks not begun are
    cancelled, the kernels started so far are stopped, and the exception goes on up.
    """
    if not jobs:
        return []
    # Futures of our own, made before any thread starts, so that a Ctrl-C in the middle of
    # the submissions still finds every notebook that began (the executor's own future of a
    # submission cut short would be lost, and its notebook would run on to the end).
    futures = [Future() for _ in jobs]
    stopping = threading.Event()  # set before the kernels are stopped: no notebook starts a new one
    finished = []
    # papermill chdirs the whole process into the notebook's folder and back; two threads
    # doing so at once can leave it in notebooks/, where a relative path would then point
    cwd, before = os.getcwd(), child_pids()
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            try:
                for job, future in zip(jobs, futures):
                    pool.submit(execute_into, job, future, stopping)
                for done, future in enumerate(futures, start=1):
                    job = result_interruptibly(future)
                    log(f"[{done}/{len(jobs)}] {notebook_key(job.notebook)} ({job.seconds:.1f} s)")
                    finished.append(job)
            except BaseException:
                stopping.set()
                for f in futures:
                    f.cancel()
                while not all(f.done() for f in futures):  # a kernel may still be starting: again
                    stop_kernels(before)
                    wait(futures, timeout=SIGNAL_LATENCY)
                raise
    finally:
        os.chdir(cwd)
    return finished


def execute_into(job: Job, future: Future, stopping: threading.Event) -> None:
    """execute(job) in a pool's thread, its outcome into `future`; nothing once `future` is cancelled."""
    if not future.set_running_or_notify_cancel():
        return
    try:
        future.set_result(execute(job, stopping))
    except BaseException as err:  # noqa: BLE001  handed to the main thread, which raises it
        future.set_exception(err)


def result_interruptibly(future):
    """future.result(), waking every SIGNAL_LATENCY seconds.

    Python runs signal handlers only in the main thread, but the system may hand a
    SIGINT or SIGTERM sent to the process to any thread that does not block it
    (numpy's, jupyter_client's, a notebook's); a main thread asleep in an endless
    wait would then not run the handler until the notebook ended, and a Ctrl-C
    would seem ignored. (Blocking the signals in the notebooks' threads instead would
    pass the block on to the kernels they start, which then could not be interrupted.)
    """
    while not future.done():
        wait([future], timeout=SIGNAL_LATENCY)
    return future.result()


def child_pids() -> set[int]:
    import psutil
    return {child.pid for child in psutil.Process().children()}


def stop_kernels(before: set[int]) -> None:
    """Stop the kernels this run started (children not in `before`), so that it ends now.

    Without this the pool would wait for every running notebook to finish (the
    kernels run in their own sessions, so a Ctrl-C in the terminal never reaches
    them); the notebooks' own threads then fail at once on the dead kernel.
    """
    import logging
    import psutil
    for name in ("papermill", "traitlets"):  # their "kernel died" lines would bury the one that matters
        logging.getLogger(name).setLevel(logging.CRITICAL)
    for child in psutil.Process().children():
        try:
            if child.pid not in before and "ipykernel" in " ".join(child.cmdline()):
                child.terminate()
        except psutil.Error:  # gone already
            pass

