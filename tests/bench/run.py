"""Build the same synthetic handbook four ways and compare time and peak memory.

    .venv/bin/python tests/bench/run.py [--pages 100,1000] [--with-3000] [--repeat 3]
                                        [--trees-per-100 5] [--tree-nodes 21] [--profile]

For each page count it generates one synthetic handbook (tests/bench/generate.py) and builds
it, each build in a fresh Python process, with:

  a  the handbook's mkdocs.yml as it is (hooks, theme overrides, plugins, features)
  b  the same without `hooks:`
  c  plain Material: default features, default plugins (search), no overrides, the same
     Markdown extensions minus snippets (so every page renders the same content)
  d  c plus mkdocs-htmlproofer-plugin, external URLs not checked

Builds alternate order between rounds and the best of `--repeat` rounds is kept. Peak memory
is the child's ru_maxrss as the kernel reports it to `wait4`. The table shows each figure
beside the target it is held to; nothing here fails on a figure, it only reports.
`--profile` also builds (a) at the largest size under pyinstrument into .bench/.
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_OUT = ROOT / ".bench"
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench")]

from generate import generate  # noqa: E402 - the bench folder is not a package

VARIANTS = ("a", "b", "c", "d")
DESCRIPTIONS = {
    "a": "handbook mkdocs.yml (hooks on)",
    "b": "handbook mkdocs.yml without hooks",
    "c": "plain Material, default features",
    "d": "plain Material + htmlproofer",
}
SEED = 20261125


# ---------------------------------------------------------------- configurations


def project_config(docs_dir: Path, hooks: bool = True) -> str:
    """The handbook's mkdocs.yml pointed at `docs_dir`, without its nav; `hooks` kept or dropped.

    The same rewrite the test fixtures use, so the bench builds what the tests build.
    """
    from tests.conftest import tiny_config

    text = tiny_config(docs_dir)
    if not hooks:
        text = re.sub(r"(?m)^hooks:\n(?:[ \t]+-.*\n)+", "", text)
    return text


def _markdown_extensions(docs_dir: Path) -> str:
    """The handbook's `markdown_extensions` block, minus snippets (which reads our includes)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.search(r"(?m)^markdown_extensions:\n(?:[ \t].*\n)+", text)
    if block is None:
        return ""
    kept: list[str] = []
    skipping = False
    for line in block.group(0).splitlines():
        if re.match(r"  - ", line):
            skipping = line.strip().startswith("- pymdownx.snippets")
        if not skipping:
            kept.append(line)
    return "\n".join(kept) + "\n"


def plain_config(docs_dir: Path, htmlproofer: bool = False) -> str:
    """Material with its defaults: no features, no overrides, no hooks; optionally htmlproofer."""
    text = (
        "site_name: Synthetic handbook\n"
        "site_url: http://127.0.0.1:8000/\n"
        f"docs_dir: {docs_dir}\n"
        "theme:\n  name: material\n"
        "exclude_docs: |\n  includes/\n"
    )
    text += _markdown_extensions(docs_dir)
    if htmlproofer:
        text += "plugins:\n  - search\n  - htmlproofer:\n      validate_external_urls: false\n"
    return text


def write_configs(folder: Path, docs_dir: Path) -> dict[str, Path]:
    """Write the four configurations into `folder`; returns {variant: config file}."""
    texts = {
        "a": project_config(docs_dir, hooks=True),
        "b": project_config(docs_dir, hooks=False),
        "c": plain_config(docs_dir),
        "d": plain_config(docs_dir, htmlproofer=True),
    }
    paths = {}
    for variant, text in texts.items():
        paths[variant] = folder / f"mkdocs-{variant}.yml"
        paths[variant].write_text(text, encoding="utf-8")
    return paths


# ---------------------------------------------------------------- one build in a child


def child_build(
    config_file: str, site_dir: str, result_file: str, profile: str = "", dirty: bool = False
) -> None:
    """Build once in this process; write {build_s, cpu_s, ok, messages} as JSON (child side)."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logging.getLogger("mkdocs").addHandler(Collect(level=logging.WARNING))
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    ok = True
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        # A dirty build logs MkDocs' own warning about dirty builds: not strict then.
        build(load_config(config_file, strict=not dirty, site_dir=site_dir), dirty=dirty)
    except Abort:
        ok = False
    except MkDocsException as error:
        messages.append(str(error))
        ok = False
    build_s, cpu_s = time.perf_counter() - started, time.process_time() - started_cpu
    if profiler is not None:
        profiler.stop()
        Path(profile + ".html").write_text(profiler.output_html(), encoding="utf-8")
        Path(profile + ".txt").write_text(
            profiler.output_text(unicode=True, show_all=False), encoding="utf-8"
        )
        # Library frames too (MkDocs, Material, Jinja), in a flat list of where time is spent.
        Path(profile + "-flat.txt").write_text(
            profiler.output_text(unicode=True, show_all=True, flat=True), encoding="utf-8"
        )
        profiler.last_session.save(profile + ".pyisession")  # `pyinstrument --load` reopens it
    result = {"build_s": build_s, "cpu_s": cpu_s, "ok": ok, "messages": messages}
    Path(result_file).write_text(json.dumps(result), encoding="utf-8")


@dataclass
class Run:
    """One build's figures: time inside the build, whole process time, peak resident memory."""

    build_s: float
    process_s: float
    cpu_s: float  # CPU time of the build itself, all threads: steadier than wall time
    peak_mib: float
    ok: bool
    messages: list[str]
    timed_out: bool = False  # stopped at the time limit: its times are lower bounds


def _child(
    config_file: Path, site_dir: Path, work: Path, profile: str = "", dirty: bool = False
) -> tuple[list[str], dict[str, str], Path]:
    """The command, environment and result file of one child build."""
    result_file = work / "result.json"
    result_file.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--child", str(config_file), str(site_dir)]
    command += [str(result_file)] + (["--child-profile", profile] if profile else [])
    command += ["--child-dirty"] if dirty else []
    return command, child_env(), result_file


def child_env() -> dict[str, str]:
    """The environment of a child build, the hooks' bytecode compiled for it.

    Python keeps the hooks' compiled bytecode in hooks/__pycache__ (git-ignored), as pip did
    for MkDocs and every plugin when it installed them. With PYTHONDONTWRITEBYTECODE set,
    every build of (a) would compile the hooks' source again (about 0.2 s of CPU), which a
    writer's builds do once: compile them now, and let the builds use it.
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(ROOT / "hooks", quiet=1)
    return env


def _result(work: Path, result_file: Path, returncode: int, process_s: float, peak: float) -> Run:
    """A finished child build's figures, or its log's end when it failed."""
    if returncode != 0 or not result_file.exists():
        tail = (work / "child.log").read_text(encoding="utf-8", errors="replace")[-2000:]
        nan = float("nan")
        return Run(nan, process_s, nan, peak, False, [tail])
    result = json.loads(result_file.read_text(encoding="utf-8"))
    return Run(
        result["build_s"], process_s, result["cpu_s"], peak, result["ok"], result["messages"]
    )


def run_child(
    config_file: Path,
    site_dir: Path,
    work: Path,
    profile: str = "",
    timeout: float = 0,
    dirty: bool = False,
) -> Run:
    """Build in a fresh interpreter and read its peak memory and CPU time from `wait4`.

    A build still running after `timeout` seconds (0: no limit) is stopped; its figures are
    then lower bounds, and the run is marked as timed out.
    """
    command, env, result_file = _child(config_file, site_dir, work, profile, dirty)
    started = time.perf_counter()
    timed_out = False
    with open(work / "child.log", "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG if timeout else 0)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                process.kill()
                timed_out = True
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.1)
    process.returncode = os.waitstatus_to_exitcode(status)  # waited for here, not by Popen
    process_s = time.perf_counter() - started
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    if timed_out:
        cpu = usage.ru_utime + usage.ru_stime
        return Run(
            process_s, process_s, cpu, peak, False, [f"timed out after {timeout:.0f} s"], True
        )
    return _result(work, result_file, process.returncode, process_s, peak)


def run_together(jobs: list[tuple[Path, Path, Path, bool]]) -> list[Run]:
    """Several child builds at once, each (config file, site folder, work folder, dirty) with
    a work folder of its own, the k-th on the k-th core: on a machine with a core for each,
    builds run side by side see the same load from other work, so their ratio moves far less
    than that of builds run one after the other."""
    cores = sorted(os.sched_getaffinity(0))
    started = time.perf_counter()
    running = []
    for number, (config_file, site_dir, work, dirty) in enumerate(jobs):
        command, env, result_file = _child(config_file, site_dir, work, dirty=dirty)
        log = open(work / "child.log", "wb")  # noqa: SIM115 - closed once the child ends
        # Each on a core of its own, when there are enough: no build waits for the other.
        core = {cores[number]} if len(jobs) <= len(cores) else None
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
            preexec_fn=(lambda core=core: os.sched_setaffinity(0, core)) if core else None,
        )
        running.append((process, log, work, result_file))
    runs = []
    for process, log, work, result_file in running:
        _, status, usage = os.wait4(process.pid, 0)
        log.close()
        process_s = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss / 1024
        runs.append(_result(work, result_file, process.returncode, process_s, peak))
    return runs


def best(runs: list[Run]) -> Run:
    """The least time of each kind over a series, and the highest peak memory reached."""
    return Run(
        min(run.build_s for run in runs),
        min(run.process_s for run in runs),
        min(run.cpu_s for run in runs),
        max(run.peak_mib for run in runs),
        all(run.ok for run in runs),
        next((run.messages for run in runs if not run.ok), runs[0].messages),
        any(run.timed_out for run in runs),
    )


# ---------------------------------------------------------------- the whole comparison


def bench_size(
    pages: int,
    work: Path,
    repeat: int,
    trees_per_100: int,
    tree_nodes: int,
    variants: tuple[str, ...] = VARIANTS,
    timeout: float = 0,
) -> dict[str, Run]:
    """Generate one handbook of `pages` pages and build it every way, alternating order."""
    folder = work / f"pages-{pages}"
    docs = folder / "docs"
    trees = max(1, pages * trees_per_100 // 100) if trees_per_100 else 0
    generate(docs, pages, trees, tree_nodes, SEED)
    configs = write_configs(folder, docs)
    runs: dict[str, list[Run]] = {variant: [] for variant in variants}
    for round_number in range(repeat):
        order = variants if round_number % 2 == 0 else tuple(reversed(variants))
        for variant in order:
            run = run_child(configs[variant], folder / f"site-{variant}", folder, timeout=timeout)
            runs[variant].append(run)
            status = "ok" if run.ok else f"FAILED ({len(run.messages)} messages)"
            status = "TIMED OUT (figures are lower bounds)" if run.timed_out else status
            print(
                f"  {pages:>5} pages  round {round_number + 1}  {variant}: "
                f"{run.build_s:7.2f} s wall {run.cpu_s:7.2f} s CPU "
                f"{run.peak_mib:6.0f} MiB  {status}",
                flush=True,
            )
    return {variant: best(series) for variant, series in runs.items()}


def _mark(value: float, limit: float, at_most: bool = True) -> str:
    if value != value:  # NaN: a build failed or was not run
        return "n/a"
    met = value <= limit if at_most else value >= limit
    return "meets" if met else "MISSES"


def _times(value: float) -> str:
    return f"{value:6.1f}x" if value == value else "    n/a"


def _figure(runs: dict[str, Run], variant: str, metric: str) -> float:
    # A timed-out build's times are lower bounds, still worth comparing; a failed one's are not.
    run = runs.get(variant)
    usable = run is not None and (run.ok or run.timed_out)
    return getattr(run, metric) if usable else float("nan")


def _ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom and bottom == bottom else float("nan")


def ratios(runs: dict[str, Run], metric: str) -> dict[str, float]:
    """The compared figures of one size, for `metric` "build_s" (wall) or "cpu_s"."""
    a, b, c, d = (_figure(runs, v, metric) for v in VARIANTS)
    hooks_cost, proofer_cost = a - b, d - c
    return {
        "a/b": _ratio(a, b),
        "a/c": _ratio(a, c),
        "a-b": hooks_cost,
        "d-c": proofer_cost,
        # Hooks that cost less than the noise between runs (a-b <= 0) give no ratio at all.
        "cheaper": proofer_cost / hooks_cost if hooks_cost > 0 else float("nan"),
    }


def report(results: dict[int, dict[str, Run]]) -> str:
    """The comparison table and every ratio beside its target, as text."""
    lines = ["", "Builds: best of the rounds. wall and CPU are the build's own (imports excluded);"]
    lines += ["process = the whole child; peak = the child's ru_maxrss.", ""]
    header = (
        f"{'pages':>6} {'build':<40} {'wall s':>8} {'CPU s':>8} {'process s':>10} "
        f"{'peak MiB':>9}  ok"
    )
    lines += [header, "-" * len(header)]
    for pages, runs in results.items():
        for variant, run in runs.items():
            name = f"{variant} {DESCRIPTIONS[variant]}"
            lines.append(
                f"{pages:>6} {name:<40} {run.build_s:>8.2f} {run.cpu_s:>8.2f} "
                f"{run.process_s:>10.2f} {run.peak_mib:>9.0f}  "
                + ("timed out: >=" if run.timed_out else "yes" if run.ok else "NO")
            )
    lines += ["", "Ratios and targets (wall | CPU)", ""]
    for pages, runs in results.items():
        wall, cpu = ratios(runs, "build_s"), ratios(runs, "cpu_s")
        at_1000 = pages == 1000
        memory = _ratio(_figure(runs, "a", "peak_mib"), _figure(runs, "b", "peak_mib"))
        lines.append(f"{pages} pages:")
        target = f"   target <= 1.05 at 1,000 pages: {_mark(cpu['a/b'], 1.05)}" if at_1000 else ""
        lines.append(f"  a/b hooks overhead      {wall['a/b']:6.3f} | {cpu['a/b']:6.3f}{target}")
        target = f"   target <= 0.40 at 1,000 pages: {_mark(cpu['a/c'], 0.40)}" if at_1000 else ""
        lines.append(f"  a/c project vs plain    {wall['a/c']:6.3f} | {cpu['a/c']:6.3f}{target}")
        lines.append(
            f"  hooks a-b {wall['a-b']:7.2f} s | {cpu['a-b']:7.2f} s  vs  htmlproofer d-c "
            f"{wall['d-c']:7.2f} s | {cpu['d-c']:7.2f} s"
        )
        lines.append(
            f"  link checking cheaper   {_times(wall['cheaper'])} | {_times(cpu['cheaper'])}"
            f"   target >= 10x: {_mark(cpu['cheaper'], 10, at_most=False)}"
            + (
                "  (a-b <= 0: the hooks cost less than the noise between runs)"
                if not cpu["a-b"] > 0
                else "  (a-b is all hook work, trees included: an upper bound)"
            )
            + ("  (d timed out: at least this)" if runs.get("d") and runs["d"].timed_out else "")
        )
        lines.append(
            f"  peak memory a/b         {memory:6.3f}   target <= 1.2: {_mark(memory, 1.2)}"
        )
    sizes = sorted(results)
    pairs = list(itertools.pairwise(sizes))
    if 100 in results and 1000 in results and (100, 1000) not in pairs:
        pairs.append((100, 1000))
    if pairs:
        lines += ["", "Growth of (a) (wall | CPU)"]
    for small, large in pairs:
        grew = {
            metric: _ratio(
                _figure(results[large], "a", metric), _figure(results[small], "a", metric)
            )
            for metric in ("build_s", "cpu_s")
        }
        target = (
            f"   target <= 4x: {_mark(grew['cpu_s'], 4.0)}" if (small, large) == (300, 1000) else ""
        )
        lines.append(
            f"  {small:>5} -> {large:<5} pages: {grew['build_s']:6.2f}x | {grew['cpu_s']:6.2f}x"
            f"{target}"
        )
    for pages, runs in results.items():
        for variant, run in runs.items():
            if not run.ok:
                lines.append(f"\n{pages} pages, build {variant} did not finish; first messages:")
                lines += [f"  {message}" for message in run.messages[:5]]
    lines.append(
        "\nTargets are judged on CPU time, which other work on the machine disturbs least."
    )
    return "\n".join(lines)


def machine() -> str:
    """One line about the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run every build and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="100,1000", help="comma-separated page counts")
    parser.add_argument("--with-3000", action="store_true", help="add a 3,000-page build")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per build (best is kept)")
    parser.add_argument("--trees-per-100", type=int, default=5, help="tree pages per 100 pages")
    parser.add_argument("--tree-nodes", type=int, default=21, help="nodes in each tree")
    parser.add_argument("--profile", action="store_true", help="profile (a) into .bench/")
    parser.add_argument("--variants", default="a,b,c,d", help="which builds to run")
    parser.add_argument(
        "--timeout", type=float, default=1200, help="stop a build after this many seconds"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated sites")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", default="", help=argparse.SUPPRESS)
    parser.add_argument("--child-dirty", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_build(*args.child, profile=args.child_profile, dirty=args.child_dirty)
        return 0

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    sizes = sorted(
        {int(size) for size in args.pages.split(",")} | ({3000} if args.with_3000 else set())
    )
    variants = tuple(v for v in VARIANTS if v in args.variants.split(","))
    print(machine(), flush=True)
    work = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    results: dict[int, dict[str, Run]] = {}
    try:
        for pages in sizes:
            results[pages] = bench_size(
                pages,
                work,
                args.repeat,
                args.trees_per_100,
                args.tree_nodes,
                variants,
                args.timeout,
            )
        print(report(results))
        if args.profile:
            pages = sizes[-1]
            folder = work / f"pages-{pages}"
            BENCH_OUT.mkdir(exist_ok=True)
            target = str(BENCH_OUT / f"profile-a-{pages}")
            run = run_child(folder / "mkdocs-a.yml", folder / "site-a", folder, profile=target)
            print(f"\nProfile of (a) at {pages} pages ({run.build_s:.2f} s under the profiler):")
            for suffix in (".html", ".txt", "-flat.txt", ".pyisession"):
                print(f"  {target}{suffix}")
    finally:
        if args.keep:
            print(f"\nGenerated sites kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
