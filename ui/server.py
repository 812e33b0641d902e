"""Start and stop the app as a user does (``streamlit run app.py``), for the browser tests and the
browser benchmark: one way to launch it, wait until it answers, and stop it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(db_url: str, port: int, log: IO[bytes]) -> subprocess.Popen:
    """``streamlit run app.py`` on ``port`` with TROOPMAP_DB=db_url, its output to ``log``."""
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.fileWatcherType", "none", "--server.port", str(port)],
        cwd=ROOT, env={**os.environ, "TROOPMAP_DB": db_url}, stdout=log, stderr=subprocess.STDOUT)


def wait_until_healthy(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    """Until the server at ``base`` answers its health check; RuntimeError if it exits first,
    TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("streamlit exited")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("streamlit did not start")


def stop(process: subprocess.Popen) -> None:
    """Ask the server to stop; kill it if it has not within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
