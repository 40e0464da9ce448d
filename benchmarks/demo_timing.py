"""Where the time of `sakip demo` goes, measured in one run on this machine.

    .venv/bin/python benchmarks/demo_timing.py

Three measurements of the same job on the bundled Dumai exports:
  1. `sakip demo` in a fresh process with no Prefect server: Prefect starts a temporary one (the newcomer's case);
  2. `sakip demo` against a Prefect server already running on 127.0.0.1 (how scheduled runs work);
  3. the pipeline's own steps called without Prefect, stage by stage (the floor).
Prints seconds and ratios; asserts nothing (the machine is shared and noisy)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))


def timed_demo(env: dict[str, str], warehouse: Path) -> float:
    started = time.perf_counter()
    subprocess.run([str(BIN / "sakip"), "demo", "--warehouse", str(warehouse)], env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="sakip-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false")

    timed_demo(env, tmp / "warm")  # the first ever run also creates Prefect's database
    temporary = timed_demo(env, tmp / "wh1")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/api"
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        running = timed_demo({**env, "PREFECT_API_URL": url}, tmp / "wh2")
    finally:
        server.terminate()
        server.wait(timeout=30)

    started = time.perf_counter()
    from builders import run  # the flow's steps without Prefect
    imports = time.perf_counter() - started
    clock = time.perf_counter()
    result = run(ROOT / "sakip" / "demo" / "inbox", tmp / "wh3", 2025, 6)
    bare = time.perf_counter() - clock
    stages = result.timings

    print(f"sakip demo, temporary Prefect server : {temporary:6.2f} s")
    print(f"sakip demo, running Prefect server   : {running:6.2f} s")
    print(f"pipeline steps without Prefect       : {bare:6.2f} s (+ {imports:.2f} s of imports)")
    for stage, seconds in stages.items():
        print(f"  {stage:<14} {seconds:6.2f} s")
    print(f"ratio temporary / bare steps : {temporary / bare:5.1f}")
    print(f"ratio running / bare steps   : {running / bare:5.1f}")
    print(f"Prefect's temporary server costs about {temporary - running:.1f} s of {temporary:.1f} s")


if __name__ == "__main__":
    main()
