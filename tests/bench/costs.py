"""The three costs of the hooks, side by side in CPU seconds, against their targets.

    .venv/bin/python tests/bench/costs.py [--pages 300,1000] [--repeat 2]

For each page count it generates one synthetic handbook (tests/bench/generate.py) and builds
it in fresh Python processes (tests/bench/run.py's child builds):

  cold   a full build with no .cache/handbook/: the handbook's mkdocs.yml (a) over the same
         without `hooks:` (b); target at most 1.05x
  warm   a full build of (a) with the cache an earlier build left, over a cold one; target no
         slower (at most 1.00x, within the noise between runs)
  dirty  `build --dirty` after one page changes, (a) over (b); target at most 1.2x

Builds alternate order between rounds and the best CPU time of `--repeat` rounds is kept.
Nothing here fails on a figure; it reports.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from generate import generate  # noqa: E402 - the bench folder is not a package
from run import SEED, Run, machine, run_child, write_configs  # noqa: E402

TARGETS = {"cold": 1.05, "warm": 1.00, "dirty": 1.2}


def _touch_one_page(docs: Path, round_number: int) -> None:
    """Change one page's text, as a writer saving an edit does."""
    page = sorted(docs.rglob("*.md"))[len(list(docs.rglob("*.md"))) // 2]
    page.write_text(
        page.read_text(encoding="utf-8") + f"\nEdited ({round_number}).\n", encoding="utf-8"
    )


def measure(pages: int, work: Path, repeat: int, trees_per_100: int) -> dict[str, float]:
    """Best CPU seconds of each build kind for one generated handbook."""
    folder = work / f"pages-{pages}"
    docs = folder / "docs"
    generate(docs, pages, max(1, pages * trees_per_100 // 100), 21, SEED)
    configs = write_configs(folder, docs)
    cache = folder / ".cache"
    best: dict[str, float] = {}

    def keep(name: str, run: Run) -> None:
        # A build that failed did less work than one that passed: its time says nothing.
        if not run.ok:
            raise SystemExit(
                f"the {name} build of {pages} pages failed:\n" + "\n".join(run.messages)
            )
        best[name] = min(best.get(name, run.cpu_s), run.cpu_s)
        print(f"  {pages:>5} pages  {name:<8} {run.cpu_s:7.2f} s CPU", flush=True)

    for round_number in range(repeat):
        variants = ("a", "b") if round_number % 2 == 0 else ("b", "a")
        for variant in variants:
            shutil.rmtree(cache, ignore_errors=True)
            site = folder / f"site-{variant}"
            # Every full build starts without a site folder: MkDocs empties one it finds, and
            # warm and cold must differ only in the cache.
            shutil.rmtree(site, ignore_errors=True)
            keep(f"cold {variant}", run_child(configs[variant], site, folder))
            if variant == "a":  # the cache the cold build left
                shutil.rmtree(site, ignore_errors=True)
                keep("warm a", run_child(configs[variant], site, folder))
            _touch_one_page(docs, round_number)
            keep(f"dirty {variant}", run_child(configs[variant], site, folder, dirty=True))
    return best


def report(results: dict[int, dict[str, float]]) -> str:
    lines = [
        "",
        "| pages | cold a | cold b | cold a/b (target) | warm a | warm/cold (target) "
        "| dirty a | dirty b | dirty a/b (target) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for pages, best in results.items():
        cold = best["cold a"] / best["cold b"]
        warm = best["warm a"] / best["cold a"]
        dirty = best["dirty a"] / best["dirty b"]

        def mark(value: float, name: str) -> str:
            verdict = "met" if value <= TARGETS[name] else "missed"
            return f"{value:.2f} (at most {TARGETS[name]:.2f}: {verdict})"

        lines.append(
            f"| {pages:,} | {best['cold a']:.1f} s | {best['cold b']:.1f} s | {mark(cold, 'cold')} "
            f"| {best['warm a']:.1f} s | {mark(warm, 'warm')} | {best['dirty a']:.2f} s "
            f"| {best['dirty b']:.2f} s | {mark(dirty, 'dirty')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="300,1000", help="comma-separated page counts")
    parser.add_argument("--repeat", type=int, default=2, help="rounds (the best is kept)")
    parser.add_argument("--trees-per-100", type=int, default=10, help="tree pages per 100")
    args = parser.parse_args(argv)
    print(machine(), flush=True)
    work = Path(tempfile.mkdtemp(prefix="handbook-costs-"))
    try:
        results = {
            pages: measure(pages, work, args.repeat, args.trees_per_100)
            for pages in sorted(int(size) for size in args.pages.split(","))
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
