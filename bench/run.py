"""Run every benchmark, print one table, write the JSON to ``bench/results/``.

Each benchmark stays runnable alone; this runs them one after another, each in its own
process (so one's memory and caches never colour another's figures):

- ``bench_foundation.py``: load times, per-command latency next to /ping, RSS (JSON);
- ``bench_scale.py``: 1k/10k/100k catalogs, every figure next to its baseline (JSON);
- ``load.py``: 50 trivia channels plus /ask at once, next to one channel (JSON);
- ``bench_matching.py``, ``bench_ask.py``, ``bench_trivia.py``: their own printouts,
  kept verbatim in the JSON and summarised under the table.

Run: ``python bench/run.py [--quick]`` (``--quick``: fewer rounds, 1k and 10k only).
Nothing is asserted; the machine is shared and noisy, hence the baselines.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

#: (name, script, arguments, arguments with --quick); JSON-writing ones get --json.
SUITE: tuple[tuple[str, str, list[str], list[str]], ...] = (
    ("foundation", "bench_foundation.py", ["--rounds", "100"], ["--rounds", "20"]),
    ("scale", "bench_scale.py", [], ["--sizes", "1000", "10000", "--rounds", "15"]),
    (
        "scale-facts",
        "bench_scale.py",
        ["--profile", "facts"],
        ["--profile", "facts", "--sizes", "1000", "10000", "--rounds", "15"],
    ),
    ("load", "load.py", [], ["--channels", "20", "--rounds", "3"]),
    ("matching", "bench_matching.py", [], []),
    ("ask", "bench_ask.py", [], ["--rounds", "1", "--discord-rounds", "1"]),
    ("trivia", "bench_trivia.py", [], ["--guesses", "50000", "--channels", "100"]),
)
WRITES_JSON = frozenset({"foundation", "scale", "scale-facts", "load"})


def run_one(name: str, script: str, args: list[str], timeout: float) -> dict[str, Any]:
    """One benchmark in its own process: its JSON if it writes one, its output always."""
    path = BENCH / script
    if not path.exists():
        return {"skipped": f"{script} not present"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [sys.executable, str(path), *args]
        if name in WRITES_JSON:
            cmd += ["--json", str(out)]
        start = time.perf_counter()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:.0f} s"}
        result: dict[str, Any] = {
            "seconds": time.perf_counter() - start,
            "returncode": done.returncode,
            "output": done.stdout[-20_000:],
        }
        if done.returncode != 0:
            result["error"] = done.stderr.strip().splitlines()[-1:] or ["failed"]
        if out.exists():
            result["data"] = json.loads(out.read_text())
        return result


def table(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(figure, value [baseline], target) rows from the benchmarks that write JSON."""
    rows: list[tuple[str, str, str]] = []
    foundation = results.get("foundation", {}).get("data")
    if foundation:
        loads = foundation["loads"]
        rows += [
            ("bundled: cold load ms", f"{loads['cold_load_s'] * 1000:.0f}", "< 500"),
            ("bundled: unchanged reload ms", f"{loads['unchanged_reload_s'] * 1000:.1f}", "< 50"),
            ("bundled: bot RSS MB", f"{foundation['bot_rss_mb']:.0f}", "< 80"),
        ]
        for label, row in foundation["latency"].items():
            rows.append(
                (
                    f"bundled: {label} median ms [ping]",
                    f"{row['median_ms']:.2f} [{row['baseline_median_ms']:.2f}]"
                    f" = {row['x_baseline']:.1f}x, p99 {row['p99_ms']:.1f}",
                    "",
                )
            )
    for name in ("scale", "scale-facts"):
        scale = results.get(name, {}).get("data")
        if not scale:
            continue
        import bench_scale

        sizes = [f"{r['size']:,}" for r in scale["sizes"]]
        for label, cells, target in bench_scale.rows(scale):
            rows.append(
                (
                    f"{name}: {label}",
                    " | ".join(f"{s}: {c}" for s, c in zip(sizes, cells, strict=True)),
                    target,
                )
            )
    load = results.get("load", {}).get("data")
    if load:
        single, many = load["single"], load["many"]
        for kind in ("answer", "ask"):
            if many.get(kind) and single.get(kind):
                rows.append(
                    (
                        f"load: /{kind} p99 ms, {many['channels']} channels [1 channel]",
                        f"{many[kind]['p99_ms']:.1f} [{single[kind]['p99_ms']:.1f}]",
                        "",
                    )
                )
        rows.append(("load: every answer judged once", str(many["checks"]), "ok"))
    return rows


def print_table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"{'figure [baseline, same run]':{width}}  value  (target)")
    for figure, value, target in rows:
        print(f"{figure:{width}}  {value}" + (f"  ({target})" if target else ""))


def main(quick: bool, only: list[str] | None, timeout: float) -> dict[str, Any]:
    results: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "quick": quick}
    for name, script, args, quick_args in SUITE:
        if only and name not in only:
            continue
        print(f"... {name} ({script})", file=sys.stderr, flush=True)
        results[name] = run_one(name, script, quick_args if quick else args, timeout)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds; 1k and 10k only")
    parser.add_argument("--only", nargs="+", choices=[s[0] for s in SUITE], default=None)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per benchmark")
    args = parser.parse_args()
    outcome = main(args.quick, args.only, args.timeout)
    print_table(table(outcome))
    for name in ("matching", "ask", "trivia"):
        part = outcome.get(name)
        if part and part.get("output"):
            print(f"\n--- {name} ---\n{part['output'].strip()[:3000]}")
        elif part:
            print(f"\n--- {name} --- {part.get('skipped') or part.get('error')}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(outcome, indent=2))
    print(f"\nJSON: {path}")
