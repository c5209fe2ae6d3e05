"""The long fuzzing run: 10,000 Hypothesis examples per command with a text option.

It runs the bounded fuzz tests of ``tests/e2e/test_fuzz.py`` (arbitrary Unicode, huge
strings, markdown and mentions through SimCord, as a moderator, plus the @mention) with
``FUZZ_EXAMPLES`` raised, unseeded, one pytest process. Every example must be
answered, raise no unhandled error, stay inside Discord's limits, and nothing sent may
be able to ping (the e2e conftest checks every REST body). A failure is shrunk by
Hypothesis to its smallest input and shown by pytest.

Run: ``python bench/fuzz_commands.py [--examples 10000] [--only film ask]``. Prints
one line per command (examples, outcome, seconds) and exits non-zero on a failure.
Minutes per command at full size; use ``nice`` on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/e2e/test_fuzz.py"


def run(examples: int, only: list[str] | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "fuzz.xml"
        nodes = [f"{TEST}::test_fuzz_command[{name}]" for name in only or ()]
        cmd = [
            sys.executable,
            "-m",
            "pytest",
            *(nodes or [f"{TEST}::test_fuzz_command"]),
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit}",
        ]
        env = {**os.environ, "FUZZ_EXAMPLES": str(examples)}
        done = subprocess.run(cmd, cwd=ROOT, env=env, check=False)
        return {"returncode": done.returncode, "commands": parse(junit, examples)}


def parse(junit: Path, examples: int) -> dict[str, Any]:
    if not junit.exists():
        return {}
    out: dict[str, Any] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("name", "")
        if "[" not in name:
            continue
        command = name[name.index("[") + 1 : -1]
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        outcome = "FAILED" if failed else "skipped" if skipped else "ok"
        out[command] = {
            "examples": 0 if skipped else examples,
            "outcome": outcome,
            "seconds": float(case.get("time", 0.0)),
        }
    return out


def report(result: dict[str, Any]) -> None:
    print(f"\n{'command':24} {'examples':>9} {'outcome':>8} {'seconds':>8}")
    for command, row in result["commands"].items():
        print(f"{command:24} {row['examples']:>9} {row['outcome']:>8} {row['seconds']:>8.1f}")
    total = sum(r["examples"] for r in result["commands"].values())
    failed = [c for c, r in result["commands"].items() if r["outcome"] == "FAILED"]
    print(f"{total} examples; failed: {', '.join(failed) or 'none'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=10_000, help="examples per command")
    parser.add_argument("--only", nargs="+", default=None, help="commands (default: all)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    outcome = run(args.examples, args.only)
    report(outcome)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(outcome, indent=2))
    raise SystemExit(outcome["returncode"])
