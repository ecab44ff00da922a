"""CPU time spent inside the hooks' own handlers during a cold full build, event by event.

    .venv/bin/python tests/bench/handlers.py [--pages 300] [--repeat 3] [--trees-per-100 10]

`costs.py` sets two whole builds side by side; on a shared machine their ratio moves by a
tenth from one round to the next. This times, within one build of (a), each `on_*` handler of
hooks/handbook.py (CPU seconds of this process), so the hooks' part can be compared between
two versions of the hooks however busy the machine is: run it in each checkout in turn. Each
round is a fresh process and a cold build (no .cache/handbook/); the best round is kept.
Drawing decision trees runs in `env`; the superfences formatter that leaves a placeholder for
each tree fence runs inside Markdown and is not counted (it looks a fence up in a list).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from generate import generate  # noqa: E402 - the bench folder is not a package
from run import ROOT, SEED, machine, write_configs  # noqa: E402


def child(config_file: str, site_dir: str) -> None:
    """Build (a) once in this process; print the CPU seconds of each handler and in all."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file, site_dir=site_dir)
    spent: dict[str, float] = {}

    def timed(event: str, handler):
        def run(*args, **kwargs):
            started = time.process_time()
            try:
                return handler(*args, **kwargs)
            finally:
                spent[event] = spent.get(event, 0.0) + time.process_time() - started

        return run

    for event, handlers in config.plugins.events.items():
        for index, handler in enumerate(handlers):
            if "handbook" in getattr(handler, "__module__", ""):
                handlers[index] = timed(event, handler)
    started = time.process_time()
    build(config)
    print(json.dumps({"build": time.process_time() - started, **spent}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (the best is kept)")
    parser.add_argument("--trees-per-100", type=int, default=10, help="tree pages per 100")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    print(machine(), flush=True)
    work = Path(tempfile.mkdtemp(prefix="handbook-handlers-"))
    try:
        docs = work / "docs"
        generate(docs, args.pages, max(1, args.pages * args.trees_per_100 // 100), 21, SEED)
        config = write_configs(work, docs)["a"]
        rounds = []
        for _ in range(args.repeat):
            shutil.rmtree(work / ".cache", ignore_errors=True)
            command = [sys.executable, __file__, "--child", str(config), str(work / "site")]
            output = subprocess.run(
                command, cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
            rounds.append(json.loads(output.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best = min(rounds, key=lambda found: sum(v for k, v in found.items() if k != "build"))
    hooks = sum(value for key, value in best.items() if key != "build")
    print(
        f"\n{args.pages:,} pages, best of {args.repeat}: build {best['build']:.2f} s CPU, "
        f"hooks' handlers {hooks:.2f} s ({hooks / (best['build'] - hooks):.1%} over the rest)"
    )
    for event, seconds in sorted(best.items()):
        if event != "build" and seconds >= 0.005:
            print(f"  on_{event:<14} {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
