"""`bakerbot` without a token: explains, serves the preview page, stops on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_token_starts_playground_page_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DISCORD_TOKEN": "",
        "BAKERBOT_DATABASE": str(tmp_path / "pg.sqlite3"),
        "PYTHONUNBUFFERED": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        seen = []
        url = None
        deadline = time.monotonic() + 60  # a bound on waiting, not a timing assertion
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            match = re.search(r"(http://127\.0\.0\.1:\d+/\S*)", line)
            url = match.group(1) if match else None
        text = "".join(seen)
        assert "No DISCORD_TOKEN is set" in text
        assert url is not None, text
        with urllib.request.urlopen(url.split("#")[0], timeout=10) as page:
            assert page.status == 200
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0
        assert "Stopped." in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
