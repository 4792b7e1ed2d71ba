#!/usr/bin/env python3
"""Run a command with the network switched off, and prove that it is off.

    python tools/offline.py -- make test     # run `make test` without network
    python tools/offline.py --probe          # what a fresh Jupyter kernel can reach (JSON)

The command runs in a new, empty network namespace (``unshare -n``, from
util-linux) in which only the loopback interface exists and is brought up
(``ip link set lo up``, from iproute2): Jupyter kernels talk to their clients
over ZMQ on 127.0.0.1, and JupyterLab/Chromium use it too; nothing else is
reachable -- no DNS, no PyPI, no CDN.  As root that is ``unshare -n``; as
another user ``unshare -rn`` (a user namespace, where the kernel allows it).
Inside, ``DEIREZZOR_OFFLINE=1`` is set so that tests/test_offline.py knows it
must find the network closed.

``--probe`` starts a kernel (the notebooks' kind: ipykernel via nbclient),
tries from inside it to open TCP connections to public addresses (2 s timeout
each) and to a listening socket on 127.0.0.1 (the control: a probe that can't
connect anywhere proves nothing), and prints the results as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import threading

OFFLINE_ENV = "DEIREZZOR_OFFLINE"
# Public endpoints: an anycast IP (no DNS needed) and the package index, which
# is reachable from machines that may install packages at all.
PUBLIC = [("1.1.1.1", 443), ("8.8.8.8", 53), ("pypi.org", 443)]

PROBE_CODE = """
import json, socket
def _try(host, port):
    try:
        with socket.create_connection((host, port), timeout=2):
            return "connected"
    except OSError as e:
        return f"failed: {{type(e).__name__}}: {{e}}"
print(json.dumps({{f"{{h}}:{{p}}": _try(h, p) for h, p in {targets!r}}}))
"""


def is_offline_env() -> bool:
    return os.environ.get(OFFLINE_ENV) == "1"


def unshare_command() -> list[str] | None:
    """The argv prefix that opens an empty network namespace, or None."""
    if not (shutil.which("unshare") and shutil.which("ip")):
        return None
    return ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]


def run_offline(cmd: list[str]) -> int:
    prefix = unshare_command()
    if prefix is None:
        print("error: needs `unshare` (util-linux) and `ip` (iproute2); "
              "on Debian: apt-get install -y util-linux iproute2", file=sys.stderr)
        return 2
    inner = 'ip link set lo up && exec "$@"'
    env = dict(os.environ, **{OFFLINE_ENV: "1"})
    return subprocess.call(prefix + ["sh", "-c", inner, "offline"] + cmd, env=env)


def kernel_probe(targets=PUBLIC) -> dict:
    """From inside a fresh kernel: {"host:port": "connected" | "failed: ..."},
    including a local control listener on 127.0.0.1."""
    import nbformat
    from nbclient import NotebookClient

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                conn.close()
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    all_targets = [("127.0.0.1", port)] + list(targets)
    code = PROBE_CODE.format(targets=all_targets)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    try:
        NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    finally:
        stop.set()
        t.join()
        listener.close()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.output_type == "stream")
    result = json.loads(text.strip().splitlines()[-1])
    local = result.pop(f"127.0.0.1:{port}")
    result["local-control"] = local
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--probe", action="store_true", help="print what a kernel can reach (JSON)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER, help="-- command to run offline")
    args = ap.parse_args(argv)
    if args.probe:
        print(json.dumps({"offline_env": is_offline_env(), "results": kernel_probe()}))
        return 0
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("nothing to run: python tools/offline.py -- COMMAND ...")
    return run_offline(cmd)


if __name__ == "__main__":
    sys.exit(main())
