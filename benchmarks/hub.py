"""Benchmark: a class of 30 logging in at once on the class server (JupyterHub, deploy/).

Starts the hub exactly as ``make hub`` does (127.0.0.1 only) for a generated roster,
then, for every student at the same moment, through the hub's REST API: start their
server, start a real kernel and run the first cell of an exercise notebook (numpy,
pandas and crmlab imported, ``check`` answered). Reported per student: seconds to a
running server and to a usable notebook (the first cell's reply); memory per student
(proportional set size, PSS, of all the student's processes: shared libraries are split
fairly) with the kernel idle after that cell; how many such students fit in this
machine's memory. Compared with each student installing the course themselves: the
time and disk of building the same environment (a fresh venv, pinned packages, warm
pip cache, as ``python course.py install`` does).

Run as root on Linux: ``.venv/bin/python benchmarks/hub.py [--students 30]
[--no-install]``. The generated accounts are removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
import hub  # noqa: E402

FIRST_CELL = """import numpy as np
import pandas as pd
from crmlab import clv, datasets, equity, glossary
from crmlab.exercises import check, given
print("usable")
check("ch2.ex1", [185.19, 171.47, 158.77])
"""
GIB = 2 ** 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _api(client, base, token, method, path, body=None):
    request = HTTPRequest(f"{base}{path}", method=method,
                          headers={"Authorization": f"token {token}"},
                          body=None if body is None else json.dumps(body),
                          allow_nonstandard_methods=True, request_timeout=600)
    response = await client.fetch(request, raise_error=False)
    try:
        return response.code, json.loads(response.body or b"null")
    except ValueError:  # a proxy error page (busy machine)
        return response.code, None


async def _run_cell(base: str, account: str, token: str, kernel: str) -> str:
    url = f"{base.replace('http', 'ws')}/user/{account}/api/kernels/{kernel}/channels"
    # the token in a header: JupyterHub refuses tokens in URLs
    connection = await websocket_connect(HTTPRequest(
        url, headers={"Authorization": f"token {token}"}, request_timeout=600))
    message_id = uuid.uuid4().hex
    connection.write_message(json.dumps({
        "header": {"msg_id": message_id, "msg_type": "execute_request", "username": account,
                   "session": uuid.uuid4().hex, "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": FIRST_CELL, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False}}))
    output, reply, idle = "", None, False
    while True:  # until the reply (shell) and the kernel's "idle" (iopub, after all output)
        raw = await connection.read_message()
        if raw is None:
            raise RuntimeError("kernel connection closed")
        message = json.loads(raw)
        if message.get("parent_header", {}).get("msg_id") != message_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "stream":
            output += content["text"]
        elif kind in ("display_data", "execute_result"):  # check's feedback
            output += content["data"].get("text/plain", "")
        elif kind == "execute_reply":
            reply = content
        elif kind == "status" and content["execution_state"] == "idle":
            idle = True
        if reply is not None and idle:
            connection.close()
            if reply["status"] == "ok":
                return output
            return f"{reply.get('ename')}: {reply.get('evalue')}"


async def _student(client, base: str, admin: str, account: str, start: float) -> dict:
    code, _ = await _api(client, base, admin, "POST", f"/hub/api/users/{account}/server", {})
    assert code in (201, 202), (account, code)
    while True:
        _, user = await _api(client, base, admin, "GET", f"/hub/api/users/{account}")
        server = (user.get("servers") or {}).get("")
        if server and server.get("ready"):
            break
        await asyncio.sleep(0.5)
    running = time.monotonic() - start
    _, made = await _api(client, base, admin, "POST", f"/hub/api/users/{account}/tokens",
                         {"note": "benchmark", "expires_in": 3600})
    token = made["token"]
    try:
        for _ in range(3):  # a busy proxy may answer 502/599 once
            code, kernel = await _api(client, base, token, "POST",
                                      f"/user/{account}/api/kernels", {"name": "python3"})
            if code == 201:
                break
            await asyncio.sleep(2)
        else:
            raise RuntimeError(f"kernel not started: HTTP {code}")
        output = await _run_cell(base, account, token, kernel["id"])
    except Exception as error:  # counted and shown, not fatal for the class
        output = f"{type(error).__name__}: {error}"
    return {"account": account, "running": running, "usable": time.monotonic() - start,
            "ok": "usable" in output and "正确" in output, "output": output}


def _memory(keep) -> dict:
    """PSS and RSS (bytes) summed by ``keep(pid, uid, session)`` → key (None: skip)."""
    totals: dict = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            session = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[3])
            key = keep(int(entry.name), entry.stat().st_uid, session)
            if key is None:
                continue
            pss, rss = totals.get(key, (0, 0))
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
            totals[key] = (pss, rss)
        except (OSError, ValueError, IndexError):
            continue
    return totals


def _self_install() -> tuple[float, float]:
    """Seconds and GiB of building the course's environment from scratch (warm cache)."""
    with tempfile.TemporaryDirectory(prefix="crmlab-bench-venvs-") as folder:
        started = time.monotonic()
        venv = hub.build_venv(ROOT, Path(folder))
        seconds = time.monotonic() - started
        size = sum(p.stat().st_size for p in venv.rglob("*") if p.is_file()
                   and not p.is_symlink())
    return seconds, size / GIB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--no-install", action="store_true",
                        help="skip timing a from-scratch install (about two minutes)")
    args = parser.parse_args()
    if os.geteuid() != 0 or shutil.which("configurable-http-proxy") is None:
        print("needs root and configurable-http-proxy (see .ci/run)")
        return 0
    state = Path(tempfile.mkdtemp(prefix="crmlab-hub-bench-"))
    os.chmod(state, 0o755)
    roster = state / "roster.csv"
    ids = [f"hb{n:03d}" for n in range(1, args.students + 1)]
    roster.write_text("学号,姓名\n" + "".join(f"{i},学生{i}\n" for i in ids), encoding="utf-8")
    port, admin = _free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    common = ["--state", str(state), "--lecturer", "hbteacher"]
    log = open(state / "hub.log", "wb")
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "course.py"), "hub", "start", "--roster", str(roster),
         "--port", str(port), "--idle-timeout", "3600", *common],
        env=dict(os.environ, CRMLAB_HUB_API_TOKEN=admin), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    uids: set[int] = set()
    try:
        started = time.monotonic()
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() - started > 900:
                    print((state / "hub.log").read_text(errors="replace")[-3000:])
                    return 1
                time.sleep(1)
        time.sleep(3)
        uids = {pwd.getpwnam(hub.account_name(i)).pw_uid for i in ids}
        client = AsyncHTTPClient(max_clients=2 * args.students)

        async def everyone():
            start = time.monotonic()
            return await asyncio.gather(*(_student(client, base, admin, hub.account_name(i),
                                                   start) for i in ids))

        results = asyncio.run(everyone())
        time.sleep(5)                                   # kernels idle after the first cell
        students = _memory(lambda pid, uid, session: uid if uid in uids else None)
        memory = (statistics.mean(p for p, _ in students.values()),
                  statistics.mean(r for _, r in students.values()))
        # the hub's own session: JupyterHub, configurable-http-proxy, the idle culler
        hub_pss = sum(p for p, _ in _memory(
            lambda pid, uid, session: 0 if session == server.pid and uid == 0 else None
        ).values())
        installed = None if args.no_install else _self_install()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        for entry in Path("/proc").iterdir():         # anything of theirs the hub left
            try:
                if entry.name.isdigit() and entry.stat().st_uid in uids:
                    os.kill(int(entry.name), signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass
        subprocess.run([sys.executable, str(ROOT / "course.py"), "hub", "remove", "--roster",
                        str(roster), *common], capture_output=True)
        hub.remove_account("hbteacher")
        shutil.rmtree(state, ignore_errors=True)
    _report(args.students, results, memory, hub_pss, installed)
    return 0 if all(r["ok"] for r in results) else 1


def _report(students, results, memory, hub_pss, installed) -> None:
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    running = sorted(r["running"] for r in results)
    usable = sorted(r["usable"] for r in results)
    pss, rss = memory
    fits = int((total - 2 * GIB - hub_pss) // pss)
    print(f"# class server: {students} students logging in at once\n")
    print(machine())
    print()
    print("| measure | median | slowest |")
    print("| --- | ---: | ---: |")
    print(f"| seconds to a running JupyterLab | {statistics.median(running):.1f} |"
          f" {running[-1]:.1f} |")
    print(f"| seconds to a usable notebook (first cell answered) |"
          f" {statistics.median(usable):.1f} | {usable[-1]:.1f} |")
    print(f"\nfirst cell right for {sum(r['ok'] for r in results)}/{students} students")
    for result in results:
        if not result["ok"]:
            print(f"{result['account']}: {result['output'][-500:]!r}")
            break
    print(f"memory per student, JupyterLab server + idle kernel: PSS {pss / GIB:.2f} GiB"
          f" (shared libraries split between the {students}), RSS {rss / GIB:.2f} GiB")
    print(f"hub + proxy + idle culler (PSS): {hub_pss / GIB:.2f} GiB")
    print(f"students this machine holds by memory ({total / GIB:.0f} GiB, 2 GiB kept for the"
          f" system), one kernel each: about {fits}")
    if installed:
        seconds, size = installed
        print(f"\neach student installing the course instead: {seconds:.0f} s and"
              f" {size:.2f} GiB per laptop (fresh venv, pinned packages, warm pip cache);"
              f" on the server one shared copy serves all {students}")


if __name__ == "__main__":
    sys.exit(main())
