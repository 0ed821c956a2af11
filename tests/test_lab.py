"""`make lab`: JupyterLab starts on the venv's kernel and runs the guide notebooks through it,
and opens in a browser without the Jupyter news question.

The server test starts the real server on 127.0.0.1 with a random token,
starts a kernel over REST as the Lab front end would, and runs a notebook's
code cells in it with jupyter_client (through the kernel's connection file,
which the server writes in the project's runtime folder). All traffic stays
on 127.0.0.1.
"""

import http.client
import json
import os
import queue
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jupyter_client import BlockingKernelClient

from browser import CHROMIUM, headless_chromium
from helpers import stop_process
from likecheck.tools.lab import (JUPYTER_HOME, NOTIFICATION_PLUGIN, QUIET_NOTIFICATIONS, jupyter_dirs,
                                 lab_command, lab_environment, prepare, server_info_file, settings_file)

ROOT = Path(__file__).resolve().parents[1]
GUIDE_NOTEBOOK = ROOT / "notebooks" / "guide" / "01_what_a_like_is.ipynb"
HOST = "127.0.0.1"
STARTUP_LIMIT = 60  # seconds the server may take to answer /api/status
CELL_LIMIT = 300  # seconds one cell may run before the test gives up waiting
# Direct connections only: an http_proxy in the environment must not see local traffic.
LOCAL_ONLY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def test_lab_command_runs_this_venvs_jupyter_on_the_notebooks_folder():
    command = lab_command(ROOT)
    assert command[:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert f"--notebook-dir={ROOT / 'notebooks'}" in command and "--no-browser" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert not any("--user" in part or "install" in part for part in command)


def test_jupyter_files_go_under_build_jupyter_and_kernels_come_from_the_venv():
    env = lab_environment(ROOT, base={"HOME": "/home/someone", "PATH": "/usr/bin"})
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                 "JUPYTERLAB_SETTINGS_DIR"):
        assert Path(env[name]).is_relative_to(ROOT / JUPYTER_HOME), name
    assert env["JUPYTER_PATH"] == str(Path(sys.prefix) / "share" / "jupyter")
    assert (Path(env["JUPYTER_PATH"]) / "kernels" / "python3" / "kernel.json").is_file()
    assert env["HOME"] == "/home/someone" and env["PATH"] == "/usr/bin"


def test_lab_settings_turn_off_news_and_update_checks_and_keep_a_students_own_choice(tmp_path):
    import jsonschema
    prepare(tmp_path)
    written = settings_file(tmp_path, NOTIFICATION_PLUGIN)
    assert written == (tmp_path / "build/jupyter/config/lab/user-settings/@jupyterlab/apputils-extension"
                       / "notification.jupyterlab-settings")
    settings = json.loads(written.read_text(encoding="utf-8"))
    assert settings == {"fetchNews": "false", "checkForUpdates": False}  # "false" is Lab's "Never"
    schema = Path(sys.prefix) / "share/jupyter/lab/schemas/@jupyterlab/apputils-extension/notification.json"
    jsonschema.validate(settings, json.loads(schema.read_text(encoding="utf-8")))
    written.write_text('{"fetchNews": "true"}', encoding="utf-8")  # the student opted in, in Lab
    prepare(tmp_path)
    assert json.loads(written.read_text(encoding="utf-8")) == {"fetchNews": "true"}


# --- a running server ---------------------------------------------------------------

@dataclass
class Server:
    process: subprocess.Popen
    token: str
    log: Path
    port: int = 0    # chosen by the system when the server binds, read from its info file

    @property
    def http(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def api(server: Server, method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{server.http}{path}?token={server.token}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with LOCAL_ONLY.open(request, timeout=30) as response:
        text = response.read()
    return json.loads(text) if text else {}


PORT_TAKEN = "is already in use"   # what Jupyter Server logs when another process took its port


def wait_until_answering(server: Server, root: Path) -> bool:
    """Wait for the server's info file (its port), then for /api/status; False if its port was taken.

    The server is started on port 0 and reads back the port the system gave
    it, then binds that port again a moment later when its event loop starts.
    On a busy suite another process (a kernel on another pytest worker) can
    take the port in that moment: once seen as a ZeroMQ greeting where HTTP was
    expected. The server then exits, and the caller starts another.
    """
    deadline = time.monotonic() + STARTUP_LIMIT
    info = server_info_file(root, server.process.pid)
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            if PORT_TAKEN in server.log_tail():
                return False
            pytest.fail(f"jupyter lab exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            server.port = server.port or json.loads(info.read_text())["port"]
            api(server, "GET", "/api/status")
            return True
        except (FileNotFoundError, json.JSONDecodeError, urllib.error.URLError, ConnectionError, TimeoutError,
                http.client.HTTPException):
            # The info file may be missing or half-written, the server not answering yet,
            # or the port someone else's until the server fails to bind it.
            time.sleep(0.2)
    pytest.fail(f"jupyter lab did not answer /api/status within {STARTUP_LIMIT} s:\n{server.log_tail()}")


@contextmanager
def running_lab(root: Path, log: Path, attempts: int = 3):
    """JupyterLab for `root`, prepared as `make lab` prepares it, on a port the system picks, with a random token."""
    token = secrets.token_hex(24)
    prepare(root)
    extra = [f"--ServerApp.token={token}", "--port=0", f"--ServerApp.ip={HOST}"]
    for _ in range(attempts):
        with log.open("wb") as sink:
            process = subprocess.Popen([*lab_command(root), *extra], env=lab_environment(root), cwd=root,
                                       stdout=sink, stderr=subprocess.STDOUT)
        running = Server(process, token, log)
        try:
            if wait_until_answering(running, root):
                break
        except BaseException:
            stop_process(process)
            raise
    else:
        pytest.fail(f"jupyter lab lost its port to another process {attempts} times:\n{running.log_tail()}")
    try:
        yield running
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_lab(ROOT, tmp_path_factory.mktemp("lab") / "jupyter-lab.log") as running:
        yield running


# --- a kernel the server started, through jupyter_client ------------------------------

@dataclass
class CellResult:
    status: str = ""
    stdout: str = ""
    errors: list[str] = field(default_factory=list)


def run_cell(client: BlockingKernelClient, code: str) -> CellResult:
    """Run one cell and collect its output until the kernel is idle again."""
    result = CellResult()

    def collect(message):
        kind, content = message["msg_type"], message["content"]
        if kind == "stream" and content["name"] == "stdout":
            result.stdout += content["text"]
        elif kind == "error":
            result.errors.append(f"{content['ename']}: {content['evalue']}")

    reply = client.execute_interactive(code, timeout=CELL_LIMIT, output_hook=collect, allow_stdin=False)
    result.status = reply["content"]["status"]
    return result


def wait_until_replying(client: BlockingKernelClient) -> None:
    """Ask for kernel_info until the kernel answers on both channels. (jupyter_client's
    wait_for_ready takes a kernel whose first heartbeat comes late, while it is still
    starting, for a dead one.) IOPub is a ZeroMQ subscription that joins a moment after
    the shell channel, and what the kernel publishes before then is lost, a cell's
    closing "idle" included; so the kernel counts as ready only once its IOPub messages
    about a kernel_info request arrive here."""
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        request = client.kernel_info()
        try:
            while client.get_shell_msg(timeout=1)["parent_header"].get("msg_id") != request:
                pass
            while client.get_iopub_msg(timeout=1)["parent_header"].get("msg_id") != request:
                pass
            return
        except queue.Empty:
            continue
    pytest.fail(f"the kernel did not answer within {STARTUP_LIMIT} s")


@contextmanager
def kernel_client(server: Server, kernel_dir: str | None):
    """Start a kernel over REST (its working folder below notebooks/), as Lab does, and talk to it
    through its connection file in the project's runtime folder."""
    body = {"name": "python3", **({"path": kernel_dir} if kernel_dir is not None else {})}
    kernel = api(server, "POST", "/api/kernels", body)
    client = BlockingKernelClient()
    try:
        client.load_connection_file(jupyter_dirs(ROOT)["JUPYTER_RUNTIME_DIR"] / f"kernel-{kernel['id']}.json")
        client.start_channels()
        wait_until_replying(client)
        yield client
    finally:
        client.stop_channels()
        api(server, "DELETE", f"/api/kernels/{kernel['id']}")


def notebook_to_run(tmp_path: Path) -> tuple[Path, str | None]:
    """The first guide notebook once it exists; until then a tiny one. Also its kernel folder."""
    if GUIDE_NOTEBOOK.is_file():
        return GUIDE_NOTEBOOK, str(GUIDE_NOTEBOOK.parent.relative_to(ROOT / "notebooks"))
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# A stand-in"},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["from likecheck.simulate import simulate\n", "sim = simulate(days=30, purchase_days=5,\n",
                         "               purchase_start='2015-10-20')"]},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": "print(len(sim.fan_counts) > 0)"}]
    path = tmp_path / "stand_in.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path, None


def code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c["cell_type"] == "code"]


def run_notebook_in_kernel(server: Server, notebook: Path, kernel_dir: str | None) -> list[str]:
    """Run the notebook's code cells in order in a fresh kernel; return the kernel's sys.prefix first."""
    with kernel_client(server, kernel_dir) as client:
        outputs = [run_cell(client, "import sys; print(sys.prefix)").stdout.strip()]
        for number, code in enumerate(code_cells(notebook), start=1):
            result = run_cell(client, code)
            assert result.status == "ok" and not result.errors, (
                f"{notebook.name}, code cell {number}: {result.errors or result.status}")
            outputs.append(result.stdout)
        return outputs


@pytest.mark.slow
def test_lab_runs_the_guide_notebook_on_the_venv_kernel(server, tmp_path):
    runtime = jupyter_dirs(ROOT)["JUPYTER_RUNTIME_DIR"]
    assert (runtime / f"jpserver-{server.process.pid}.json").is_file(), "runtime files went elsewhere"
    assert api(server, "GET", "/api/kernelspecs")["default"] == "python3"
    notebook, kernel_dir = notebook_to_run(tmp_path)
    prefix, *_ = run_notebook_in_kernel(server, notebook, kernel_dir)
    assert Path(prefix).resolve() == (ROOT / ".venv").resolve()


@pytest.mark.slow
def test_a_failing_cell_comes_back_as_an_error_not_a_hang(server):
    with kernel_client(server, None) as client:
        ok = run_cell(client, "print(6 * 7)")
        failing = run_cell(client, "1 / 0")
    assert (ok.status, ok.stdout.strip(), ok.errors) == ("ok", "42", [])
    assert failing.status == "error" and failing.errors == ["ZeroDivisionError: division by zero"]


@pytest.mark.slow
def test_lab_reports_the_quiet_notification_settings_through_its_settings_api(server):
    answer = api(server, "GET", f"/lab/api/settings/{NOTIFICATION_PLUGIN}")
    if answer["raw"] != settings_file(ROOT, NOTIFICATION_PLUGIN).read_text(encoding="utf-8"):
        pytest.fail("Lab did not read the project's own settings file under build/jupyter/")
    if json.loads(answer["raw"]) != QUIET_NOTIFICATIONS:
        pytest.skip("this checkout's Lab settings were changed in Lab (a choice prepare() keeps)")
    assert answer["settings"]["fetchNews"] == "false" and answer["settings"]["checkForUpdates"] is False


@pytest.mark.slow
@pytest.mark.parametrize("name", ["04_check_a_claim.ipynb", "05_bought_or_viral.ipynb"])
def test_lab_runs_the_new_guides_top_to_bottom(server, name):
    notebook = GUIDE_NOTEBOOK.parent / name
    _, *printed = run_notebook_in_kernel(server, notebook,
                                         str(notebook.parent.relative_to(ROOT / "notebooks")))
    assert "".join(printed).count("no answer yet") == 4


# --- Lab in a browser, as a student opens it ------------------------------------------

NEWS_QUESTION = "official Jupyter news"  # Lab's pop-up: "Would you like to get notified about ..."


def news_question_shown(server: Server, wait: float) -> tuple[bool, float]:
    """Open Lab in headless Chromium; whether the news question pops up within `wait` seconds
    of Lab's shell appearing, and after how long."""
    with tempfile.TemporaryDirectory(prefix="likecheck-chromium-") as profile, \
            headless_chromium(Path(profile)) as driver:
        driver.get(f"{server.http}/lab?token={server.token}")
        deadline = time.monotonic() + STARTUP_LIMIT
        while not driver.execute_script("return !!document.querySelector('.jp-LabShell')"):
            if time.monotonic() > deadline:
                pytest.fail(f"Lab's page did not start within {STARTUP_LIMIT} s:\n{server.log_tail()}")
            time.sleep(0.1)
        shown_at = time.monotonic()
        while time.monotonic() - shown_at < wait:
            toasts = driver.execute_script(
                "return Array.from(document.querySelectorAll('.Toastify__toast')).map(e => e.innerText)")
            if any(NEWS_QUESTION in text for text in toasts):
                return True, time.monotonic() - shown_at
            time.sleep(0.1)
    return False, wait


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} is absent (run 'make browser')")
def test_lab_opens_in_a_browser_without_the_news_question_it_asks_by_default(tmp_path):
    (tmp_path / "notebooks").mkdir()
    with running_lab(tmp_path, tmp_path / "jupyter-lab.log") as lab:
        quiet = settings_file(tmp_path, NOTIFICATION_PLUGIN)
        quiet.write_text(json.dumps({"fetchNews": "none"}), encoding="utf-8")  # Lab's own default: ask
        asked, seconds = news_question_shown(lab, wait=STARTUP_LIMIT)
        assert asked, "Lab's default did not ask about news: the check cannot see the question"
        quiet.unlink()
        prepare(tmp_path)  # as `make lab` does before Lab starts
        assert news_question_shown(lab, wait=2 * seconds + 5) == (False, 2 * seconds + 5)
