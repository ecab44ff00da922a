"""The three costs of the hooks, side by side in CPU seconds, against their targets.

    .venv/bin/python tests/bench/costs.py [--pages 300,1000] [--repeat 3]

For each page count it generates one synthetic handbook (tests/bench/generate.py), copies
it, and builds the copies in fresh Python processes (tests/bench/run.py's child builds):

  cold   a full build with no .cache/handbook/: the handbook's mkdocs.yml (a) over the same
         without `hooks:` (b); target at most 1.05x
  warm   a full build of (a) with the cache an earlier build left, over a cold one; target no
         slower (at most 1.00x, within the noise between runs)
  dirty  `build --dirty` after one page changes, (a) over (b); target at most 1.2x

The two builds of each ratio run at the same time, one in each copy, each pinned to one of
two cores: on a machine shared with other work, builds run one after the other see different
loads (their ratio moved by a tenth and more between rounds), while builds run side by side
see the same. Each round prints its three ratios; the table gives the median of the rounds'
ratios and the median times. The machine needs two free cores for this: run nothing else.
Nothing here fails on a figure; it reports.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from statistics import median

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from generate import generate  # noqa: E402 - the bench folder is not a package
from run import SEED, machine, run_together, write_configs  # noqa: E402

TARGETS = {"cold": 1.05, "warm": 1.00, "dirty": 1.2}


def _touch_one_page(docs: Path, round_number: int) -> None:
    """Change one page's text, as a writer saving an edit does."""
    page = sorted(docs.rglob("*.md"))[len(list(docs.rglob("*.md"))) // 2]
    page.write_text(
        page.read_text(encoding="utf-8") + f"\nEdited ({round_number}).\n", encoding="utf-8"
    )


def measure(pages: int, work: Path, repeat: int, trees_per_100: int) -> dict[str, list[float]]:
    """Each build kind's CPU seconds, round by round, for one generated handbook; each pair
    compared runs at the same time, one build on each core, in two copies of the handbook."""
    first = work / f"pages-{pages}" / "one"
    generate(first / "docs", pages, max(1, pages * trees_per_100 // 100), 21, SEED)
    second = first.with_name("two")
    shutil.copytree(first / "docs", second / "docs")
    folders = (first, second)
    configs = [write_configs(folder, folder / "docs") for folder in folders]
    found: dict[str, list[float]] = {}

    def pair(names: tuple[str, str], jobs: list[tuple[Path, Path, Path, bool]]) -> None:
        # Which core builds which alternates between rounds, as the copies do.
        turn = round_number % 2
        runs = run_together(jobs[::-1])[::-1] if turn else run_together(jobs)
        for name, run in zip(names, runs, strict=True):
            # A build that failed did less work than one that passed: its time says nothing.
            if not run.ok:
                raise SystemExit(
                    f"the {name} build of {pages} pages failed:\n" + "\n".join(run.messages)
                )
            found.setdefault(name, []).append(run.cpu_s)
        a, b = (found[name][-1] for name in names)
        print(f"  {pages:>5} pages  {names[0]:<7} {a:7.2f} s  {names[1]:<7} {b:7.2f} s CPU"
              f"  {a / b:5.2f}", flush=True)  # fmt: skip

    for round_number in range(repeat):
        # Which copy builds (a) alternates, so neither copy's place on disk favours it.
        one, two = folders if round_number % 2 == 0 else folders[::-1]
        conf_one, conf_two = (configs[folders.index(folder)] for folder in (one, two))
        for folder in folders:
            shutil.rmtree(folder / ".cache", ignore_errors=True)
            for site in folder.glob("site-*"):
                # MkDocs empties a site folder it finds; full builds start without one.
                shutil.rmtree(site, ignore_errors=True)
        pair(
            ("cold a", "cold b"),
            [
                (conf_one["a"], one / "site-a", one, False),
                (conf_two["b"], two / "site-b", two, False),
            ],
        )
        # (a) again in the first copy, with the cache its cold build left, beside a cold (a)
        # in the second copy, which has no cache: (b) keeps none.
        shutil.rmtree(one / "site-a", ignore_errors=True)
        pair(
            ("warm a", "cold a"),
            [
                (conf_one["a"], one / "site-a", one, False),
                (conf_two["a"], two / "site-a", two, False),
            ],
        )
        for folder in folders:
            _touch_one_page(folder / "docs", round_number)
        pair(
            ("dirty a", "dirty b"),
            [
                (conf_one["a"], one / "site-a", one, True),
                (conf_two["b"], two / "site-b", two, True),
            ],
        )
    return found


def report(results: dict[int, dict[str, list[float]]]) -> str:
    """Medians of the rounds' ratios, each ratio of two builds that ran side by side."""
    lines = [
        "",
        "| pages | cold a | cold b | cold a/b (target) | warm a | warm/cold (target) "
        "| dirty a | dirty b | dirty a/b (target) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for pages, found in results.items():
        colds_a = found["cold a"][0::2]  # the first of each round's two cold builds of (a)
        cold = median([a / b for a, b in zip(colds_a, found["cold b"], strict=True)])
        warm = median([w / c for w, c in zip(found["warm a"], found["cold a"][1::2], strict=True)])
        dirty = median([a / b for a, b in zip(found["dirty a"], found["dirty b"], strict=True)])

        def mark(value: float, name: str) -> str:
            verdict = "met" if value <= TARGETS[name] else "missed"
            return f"{value:.2f} (at most {TARGETS[name]:.2f}: {verdict})"

        lines.append(
            f"| {pages:,} | {median(colds_a):.1f} s | {median(found['cold b']):.1f} s "
            f"| {mark(cold, 'cold')} | {median(found['warm a']):.1f} s | {mark(warm, 'warm')} "
            f"| {median(found['dirty a']):.2f} s | {median(found['dirty b']):.2f} s "
            f"| {mark(dirty, 'dirty')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="300,1000", help="comma-separated page counts")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (the median is kept)")
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
