"""Notebook kernels for the test suite, forked from one process that has already imported pandas.

Every notebook the suite executes would otherwise start `python -m ipykernel_launcher`
and import pandas, matplotlib, pandera and ipykernel's debugger again: about
2 s of this 2-core machine per notebook, for some 60 notebooks per `make test`.
Here one server per pytest worker imports them once and forks a child per
kernel, in 0.5 s; the child then starts the very same ipykernel application a
real kernel runs, on the connection file jupyter_client wrote.

jupyter_client still launches a process per kernel and watches it: a small
proxy (`python -I -S warm_kernels.py proxy SOCKET ...`) that hands its cwd,
environment and stdin/stdout/stderr to the server, forwards SIGINT, SIGTERM,
SIGHUP and SIGQUIT to the forked kernel, and exits as the kernel exits (by
the same signal when it was killed). When the proxy is killed, or its parent
dies, the kernel goes too. So papermill and the runner's interrupt and stop
paths see what they see with a real kernel.

What differs, and why it does not matter here: pandas, matplotlib and the rest
are imported before the notebook's cwd and environment are set (they read
neither when imported, except the matplotlib backend, handled below); the
library's plotting side is not preloaded, so its import-time acts happen in the
kernel (the server reads the published record once through likecheck.load,
which has none);
the forked kernels share one hash seed. tests/test_warm_kernels.py compares
what a notebook sees on both kinds, and interrupts and kills a warm one. The
build the suite compares with the committed figures (conftest's fresh_build)
runs on warm kernels while the committed figures come from real ones (`make`,
checked by CI), so a difference in any figure fails a test. The reruns that
tests stop with signals start kernels that wait for a file to go (HOLD_VARIABLE),
so the signal lands while the notebook runs. `with_real_kernels(env)` gives an
environment without the warm kernels. Set LIKECHECK_TEST_KERNELS=fresh to run
the whole suite on real kernels.

Used by tests/conftest.py; the server is started as `python warm_kernels.py serve SOCKET`.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import sys
import time

#: Signals the proxy passes on to its kernel, as a terminal or jupyter_client sends them.
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: What the notebooks import, less the library itself: the server imports these before its
#: first fork. Not likecheck's plotting side: its modules act when imported (style.py chooses
#: matplotlib's Agg backend), and a kernel must see that happen when the notebook imports
#: them, as a real one does; they take 0.1 s once pandas and the rest are in. Only
#: likecheck.load (with errors, paths, schemas: no acts on import) is preloaded, in serve().
WARM_MODULES = ("numpy", "pandas", "pyarrow", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
                "PIL.Image", "pandera.pandas", "pycountry", "ipykernel.kernelapp", "ipykernel.ipkernel",
                "ipykernel.zmqshell", "ipykernel.debugger")


#: Names the folder of the warm kernelspec while the suite runs (set by tests/conftest.py).
SPEC_FOLDER_VARIABLE = "LIKECHECK_WARM_KERNELS"
#: Names a file: while it exists, a kernel started with this variable waits before it starts,
#: so a test can stop a run for certain while its notebook is running (a warm kernel may
#: otherwise finish first).
HOLD_VARIABLE = "LIKECHECK_TEST_HOLD_KERNELS"


def with_real_kernels(env) -> dict[str, str]:
    """`env` without the warm kernelspec: a process started with it runs notebooks on real kernels."""
    env = dict(env)
    ours = env.pop(SPEC_FOLDER_VARIABLE, None)
    if ours:
        rest = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != ours]
        if rest:
            env["JUPYTER_PATH"] = os.pathsep.join(rest)
        else:
            env.pop("JUPYTER_PATH", None)
    return env


def kernel_spec(socket_path: str) -> dict:
    """kernel.json of the warm "python3" kernel (jupyter_client fills in the connection file)."""
    # "ipykernel_launcher" names what the kernel runs, and puts the word in the proxy's command
    # line, where the runner's stop_kernels (and tests) recognise a notebook's kernel.
    return {"argv": [sys.executable, "-I", "-S", os.path.abspath(__file__), "proxy", socket_path,
                     "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (warm, tests only)", "language": "python",
            "metadata": {"debugger": False}}


def send_message(conn: socket.socket, message: dict, fds: list[int] = ()) -> None:
    data = json.dumps(message).encode()
    socket.send_fds(conn, [struct.pack("!I", len(data))], list(fds))
    conn.sendall(data)


def receive_message(conn: socket.socket) -> tuple[dict, list[int]]:
    header, fds, _flags, _addr = socket.recv_fds(conn, 4, 3)
    (size,) = struct.unpack("!I", header)
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("short request")
        data += chunk
    return json.loads(data), fds


# --- the proxy: the process jupyter_client launched ---------------------------------------

def proxy(socket_path: str, kernel_args: list[str]) -> int:
    # The process that launched this kernel (jupyter_client says which); it may be gone already.
    parent = int(os.environ.get("JPY_PARENT_PID") or os.getppid())
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    deadline = time.monotonic() + 300  # the server may still be importing
    while True:
        try:
            conn.connect(socket_path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                print(f"warm kernel server never answered at {socket_path}", file=sys.stderr)
                return 1
            time.sleep(0.05)
    send_message(conn, {"args": kernel_args, "cwd": os.getcwd(), "env": dict(os.environ)}, [0, 1, 2])
    received = b""
    while b"\n" not in received:
        received += conn.recv(64) or b"0\nexit 1\n"
    first, received = received.split(b"\n", 1)
    kernel = int(first)
    if kernel <= 0:  # the server closed the connection without starting a kernel
        return 1

    def forward(signum, _frame):
        try:
            os.kill(kernel, signum)
        except ProcessLookupError:
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    # Until the kernel ends ("exit STATUS"). A real kernel ends itself within a second of
    # its parent's death (ipykernel's ParentPollerUnix); this one is the server's child, so
    # the proxy watches the parent instead.
    while b"\n" not in received:
        if select.select([conn], [], [], 1.0)[0]:
            received += conn.recv(64) or b"exit 1\n"  # the server is gone
        elif os.getppid() != parent:
            forward(signal.SIGKILL, None)
    line = received.decode()
    status = int(line.split()[1]) if line.startswith("exit ") else 1
    if status < 0:  # the kernel was killed by a signal: end the same way, as Popen reports it
        signal.signal(-status, signal.SIG_DFL)
        os.kill(os.getpid(), -status)
    return status


# --- the server: one per pytest worker -------------------------------------------------------

def start_kernel(request: dict, fds: list[int], server_backend: str) -> None:
    """In the forked child: become the kernel a fresh `python -m ipykernel_launcher` would be."""
    os.setsid()  # jupyter_client starts kernels in a new session too
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    backend = os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)  # as ipykernel does
    if backend != server_backend:  # matplotlib read the server's when it was imported
        import matplotlib
        matplotlib.use(backend)
    site_packages = os.path.dirname(os.path.dirname(sys.modules["ipykernel"].__file__))
    # IPKernelApp reads JPY_PARENT_PID into a default when ipykernel is imported: before this
    # environment existed here. Given again, the kernel logs what a launched one logs.
    launcher_pid = os.environ.get("JPY_PARENT_PID")
    parent = [f"--IPKernelApp.parent_handle={launcher_pid}"] if launcher_pid else []
    sys.argv = [os.path.join(site_packages, "ipykernel_launcher.py"), *request["args"], *parent]
    hold = os.environ.get(HOLD_VARIABLE)
    while hold and os.path.exists(hold):
        time.sleep(0.05)
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


def serve(socket_path: str) -> None:
    import selectors

    del sys.path[0]  # as ipykernel_launcher does: this script's folder is not the kernel's
    # What ipykernel sets before a notebook's imports, unless the environment chose (make sets Agg).
    backend = os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    import importlib
    for name in WARM_MODULES:
        importlib.import_module(name)
    # The published record, read once here: every notebook's first load_record() would read
    # and validate it again (0.25 s, some 60 times a suite). load keeps the last record read,
    # keyed by its files' bytes, so a kernel still reads any changed file afresh.
    from likecheck import load
    load.load_record()

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path + ".new")
    os.rename(socket_path + ".new", socket_path)  # proxies connect only once everything is imported
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin, selectors.EVENT_READ, "parent")  # EOF: the pytest worker is gone
    kernels: dict[int, socket.socket] = {}

    def stop_all() -> None:
        for pid in kernels:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    while True:
        for key, _events in selector.select(timeout=0.05):
            if key.data == "parent":
                stop_all()
                return
            if key.data == "accept":
                conn, _ = listener.accept()
                try:
                    request, fds = receive_message(conn)
                except Exception:  # noqa: BLE001  a proxy stopped before it asked (struct.error on EOF)
                    conn.close()
                    continue
                pid = os.fork()
                if pid == 0:
                    status = 1
                    try:
                        selector.close()
                        listener.close()
                        for other in (conn, *kernels.values()):
                            other.close()
                        start_kernel(request, fds, backend)
                        status = 0
                    except SystemExit as exit_:
                        status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
                    except BaseException:
                        import traceback
                        traceback.print_exc()
                    finally:
                        sys.stdout.flush()
                        sys.stderr.flush()
                        os._exit(status)
                for fd in fds:
                    os.close(fd)
                kernels[pid] = conn
                try:
                    conn.sendall(f"{pid}\n".encode())
                except OSError:  # the proxy is gone already: the EOF below stops its kernel
                    pass
                selector.register(conn, selectors.EVENT_READ, pid)
            else:  # the proxy closed its end: it was killed, so its kernel goes too
                pid = key.data
                selector.unregister(key.fileobj)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        while kernels:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            conn = kernels.pop(pid, None)
            if conn is None:
                continue
            status = (-os.WTERMSIG(wait_status) if os.WIFSIGNALED(wait_status)
                      else os.WEXITSTATUS(wait_status))
            try:
                conn.sendall(f"exit {status}\n".encode())
            except OSError:
                pass
            try:
                selector.unregister(conn)
            except (KeyError, ValueError):
                pass
            conn.close()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    elif sys.argv[1] == "proxy":
        sys.exit(proxy(sys.argv[2], sys.argv[4:]))  # argv[3]: "ipykernel_launcher", see kernel_spec
