"""CPU time spent inside the hooks' own handlers during a cold full build, event by event.

    .venv/bin/python tests/bench/handlers.py [--pages 300] [--repeat 3] [--trees-per-100 10]
    .venv/bin/python tests/bench/handlers.py --phases [--pages 300] [--repeat 3]

`costs.py` sets two whole builds side by side; on a shared machine their ratio moves by a
tenth from one round to the next. This times, within one build of (a), each `on_*` handler of
hooks/handbook.py (CPU seconds of this process), so the hooks' part can be compared between
two versions of the hooks however busy the machine is: run it in each checkout in turn. Each
round is a fresh process and a cold build (no .cache/handbook/); the best round is kept.
Drawing decision trees runs in `env`; the superfences formatter that leaves a placeholder for
each tree fence runs inside Markdown and is not counted (it looks a fence up in a list).

`--phases` builds (a) and (b) in turn and sets their phases side by side, each phase's best
round: loading the config (which imports the hooks), reading and rendering the pages, each
event's handlers (the hooks' and the plugins'), writing the pages, and Python's cycle
collector wherever it ran. It shows where (a) - (b) lies, including work the hooks cause
elsewhere: Material's search reading what the hooks add to a page, say, or Markdown no longer
highlighting a tree's fence as code.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from generate import generate  # noqa: E402 - the bench folder is not a package
from run import ROOT, SEED, child_env, machine, write_configs  # noqa: E402


def child(config_file: str, site_dir: str) -> None:
    """Build once in this process; print the CPU seconds of the config, of each of the hooks'
    handlers, of each event's other handlers (all plugins', summed), of reading and rendering
    the pages, of writing them, and of the whole build."""
    import mkdocs.commands.build as mkdocs_build
    from mkdocs.config import load_config

    started = time.process_time()
    config = load_config(config_file, site_dir=site_dir)  # imports the hooks, if any
    spent: dict[str, float] = {"config": time.process_time() - started}

    def timed(key: str, function):
        def run(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[key] = spent.get(key, 0.0) + time.process_time() - started

        return run

    for event, handlers in config.plugins.events.items():
        for index, handler in enumerate(handlers):
            ours = "handbook" in getattr(handler, "__module__", "")
            handlers[index] = timed(f"{'hooks' if ours else 'plugins'} on_{event}", handler)
    # MkDocs' build looks these up by name at each call: each page read and rendered, each
    # page written (its template, and the page events within, counted above as well), and
    # the rest of its steps.
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    for owner, name, key in (
        (mkdocs_build, "_populate_page", "pages read"),
        (mkdocs_build, "_build_page", "pages written"),
        (mkdocs_build.utils, "clean_directory", "site folder emptied"),
        (mkdocs_build, "get_files", "files found"),
        (mkdocs_build, "get_navigation", "navigation"),
        (Files, "copy_static_files", "static files copied"),
        (mkdocs_build, "_build_theme_template", "theme pages (404, sitemap)"),
        (Page, "validate_anchor_links", "MkDocs' anchor validation"),
    ):
        setattr(owner, name, timed(key, getattr(owner, name)))
    collecting = [0.0]

    def collector(phase: str, info: dict) -> None:  # Python's cycle collector, in all
        if phase == "start":
            collecting[0] = time.process_time()
        else:
            spent["cycle collector"] = (
                spent.get("cycle collector", 0.0) + time.process_time() - collecting[0]
            )

    gc.callbacks.append(collector)
    started = time.process_time()
    mkdocs_build.build(config)
    print(json.dumps({"build": time.process_time() - started, **spent}))


def _rounds(config: Path, site: Path, cache: Path) -> dict:
    """One cold build in a fresh process, as `run.py` starts its child builds."""
    shutil.rmtree(cache, ignore_errors=True)
    command = [sys.executable, __file__, "--child", str(config), str(site)]
    output = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=True, env=child_env()
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _phases(rounds: dict[str, list[dict]], pages: int) -> None:
    """Each phase's best CPU seconds with the hooks (a) and without (b), and a - b."""
    keys = sorted({key for found in rounds["a"] + rounds["b"] for key in found})
    best = {v: {k: min(found.get(k, 0.0) for found in rounds[v]) for k in keys} for v in "ab"}
    print(f"\n{pages:,} pages, best of {len(rounds['a'])} per phase, CPU seconds")
    print(f"  {'phase':<26} {'a':>6} {'b':>6} {'a - b':>7}")
    for key in keys:
        a, b = best["a"][key], best["b"][key]
        if max(a, b) >= 0.005:
            print(f"  {key:<26} {a:6.2f} {b:6.2f} {a - b:+7.2f}")
    totals = {v: min(found["config"] + found["build"] for found in rounds[v]) for v in "ab"}
    print(
        f"  {'config and build':<26} {totals['a']:6.2f} {totals['b']:6.2f} "
        f"{totals['a'] - totals['b']:+7.2f}   a/b {totals['a'] / totals['b']:.3f}"
    )
    print(
        "  (pages read and pages written hold the page events; the rest of a - b is in the "
        "events the hooks handle and in other plugins' work on what the hooks add)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (the best is kept)")
    parser.add_argument("--trees-per-100", type=int, default=10, help="tree pages per 100")
    parser.add_argument(
        "--phases",
        action="store_true",
        help="build (a) and (b) in turn and set each phase of the two side by side",
    )
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
        configs = write_configs(work, docs)
        rounds: dict[str, list[dict]] = {"a": [], "b": []}
        for number in range(args.repeat):
            variants = ("a", "b") if args.phases else ("a",)
            for variant in variants if number % 2 == 0 else variants[::-1]:
                found = _rounds(configs[variant], work / f"site-{variant}", work / ".cache")
                rounds[variant].append(found)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.phases:
        _phases(rounds, args.pages)
        return 0
    handlers = [key for key in rounds["a"][0] if key.startswith("hooks ")]
    best = min(rounds["a"], key=lambda found: sum(found.get(key, 0.0) for key in handlers))
    hooks = sum(best.get(key, 0.0) for key in handlers)
    print(
        f"\n{args.pages:,} pages, best of {args.repeat}: build {best['build']:.2f} s CPU, "
        f"hooks' handlers {hooks:.2f} s ({hooks / (best['build'] - hooks):.1%} over the rest)"
    )
    for key in sorted(handlers):
        if best[key] >= 0.005:
            print(f"  {key.removeprefix('hooks '):<20} {best[key]:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
