"""The suite's warm kernels (tests/warm_kernels.py) behave as real ones where the suite relies on it.

Each case runs the same probe on a real kernel (a fresh `python -m ipykernel_launcher`)
and on a warm one, and compares; the kernel's own answers are the expected values.
"""

import os
import signal
import socket
import time
from contextlib import contextmanager

import nbformat
import papermill
import psutil
import pytest
from jupyter_client.manager import KernelManager

from warm_kernels import SPEC_FOLDER_VARIABLE, with_real_kernels

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def only_with_warm_kernels(warm_kernels):
    if SPEC_FOLDER_VARIABLE not in os.environ:
        pytest.skip("the suite runs on real kernels (LIKECHECK_TEST_KERNELS=fresh)")

PROBE = """\
import json, os, sys
import matplotlib
print(json.dumps({"cwd": os.getcwd(), "probe": os.environ.get("LIKECHECK_PROBE"),
                  "backend": matplotlib.get_backend(), "executable": sys.executable,
                  "argv0": os.path.basename(sys.argv[0]), "path0": sys.path[0],
                  "parent": os.environ.get("JPY_PARENT_PID") == str(os.getppid()) or "not the parent"}))
"""


def probe(tmp_path, monkeypatch, *, real: bool) -> str:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source, executed = tmp_path / "probe.ipynb", tmp_path / f"probe-{real}.ipynb"
    nbformat.write(notebook, source)
    monkeypatch.setenv("LIKECHECK_PROBE", "ក្រុង $(x) 'q'")
    if real:
        real_env = with_real_kernels(os.environ)
        for name in ("JUPYTER_PATH", SPEC_FOLDER_VARIABLE):
            if name in real_env:
                monkeypatch.setenv(name, real_env[name])
            else:
                monkeypatch.delenv(name, raising=False)
    papermill.execute_notebook(str(source), str(executed), kernel_name="python3", cwd=str(tmp_path),
                               progress_bar=False)
    return nbformat.read(executed, as_version=4).cells[0].outputs[0]["text"]


def test_a_warm_kernel_sees_what_a_real_one_sees(tmp_path, monkeypatch):
    real = probe(tmp_path, monkeypatch, real=True)
    monkeypatch.undo()
    warm = probe(tmp_path, monkeypatch, real=False)
    assert '"probe": "\\u1780' in real  # the variable reached the kernel at all
    # The parent differs on purpose: a warm kernel is the server's child, not papermill's.
    assert warm.replace('"parent": "not the parent"', '"parent": true') == real


def warm_kernel_manager() -> KernelManager:
    manager = KernelManager(kernel_name="python3")
    assert "warm_kernels.py" in " ".join(manager.kernel_spec.argv)
    return manager


@contextmanager
def running_warm_kernel():
    manager = warm_kernel_manager()
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    try:
        yield manager, client
    finally:
        client.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)


@pytest.fixture
def warm_kernel():
    with running_warm_kernel() as started:
        yield started


def kernel_pid(client) -> int:
    printed = []
    client.execute_interactive("import os; print(os.getpid())", timeout=30,
                               output_hook=lambda m: printed.append(m["content"].get("text", "")))
    return int("".join(printed))


def test_an_interrupt_reaches_the_running_cell(warm_kernel):
    manager, client = warm_kernel
    errors = []
    began = time.monotonic()
    message = client.execute("import time; print('sleeping', flush=True); time.sleep(60)")
    while True:  # the cell's own output: the interrupt lands in the cell, not in the kernel's dispatch
        reply = client.get_iopub_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == message and reply["msg_type"] == "stream":
            break
    manager.interrupt_kernel()
    while True:
        reply = client.get_iopub_msg(timeout=30)
        if reply["parent_header"].get("msg_id") != message:
            continue
        if reply["msg_type"] == "error":
            errors.append(reply["content"]["ename"])
        if reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
            break
    assert errors == ["KeyboardInterrupt"] and time.monotonic() - began < 30


def test_killing_what_jupyter_client_started_kills_the_kernel(warm_kernel):
    manager, client = warm_kernel
    kernel = psutil.Process(kernel_pid(client))
    assert kernel.pid != manager.provisioner.process.pid  # the proxy and the forked kernel
    manager.provisioner.process.send_signal(signal.SIGKILL)
    kernel.wait(timeout=10)
    assert not psutil.pid_exists(kernel.pid) or kernel.status() == psutil.STATUS_ZOMBIE


def test_a_proxy_stopped_before_it_asks_leaves_the_server_serving():
    # A run stopped at once kills its kernel's proxy, maybe before the proxy has sent its
    # request; the server once died of that, and every later notebook of its worker waited 300 s.
    socket_path = warm_kernel_manager().kernel_spec.argv[5]  # python -I -S SCRIPT proxy SOCKET ...
    deadline = time.monotonic() + 120
    while not os.path.exists(socket_path):  # the server binds it once its imports are done
        assert time.monotonic() < deadline, "the warm kernel server never started"
        time.sleep(0.05)
    for partial_request in (b"", b"\0\0", b"\0\0\0\x09{\"args"):  # nothing, half a header, half a body
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dropped:
            dropped.connect(socket_path)
            dropped.sendall(partial_request)
    with running_warm_kernel() as (_, client):
        assert kernel_pid(client) > 0
