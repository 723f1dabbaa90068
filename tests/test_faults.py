"""Faults in real builds: two builds at once, kills at any moment (inside the swap too), a
language worker killed or failing, a full disk, a read-only folder, external programs that hang.

Whatever happens, `site/` is one complete build (the previous one or the new one, compared
file by file with clean builds), the exit code and the message tell the truth, and there
is no traceback.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rihla.publish.workers import Worker, WorkerFailed
from tests.helpers import MINIMAL_RECORDS, ROOT, site_config
from tests.mkdocs_yml import read_mkdocs_yml, write_mkdocs_yml

OLD_DATE, NEW_DATE, OTHER_DATE = "2023-03-01", "2023-04-01", "2023-05-01"
"""Builds of the same records on other dates differ (the directory data carry the date), so
whose site is published can be told apart."""


def fingerprint(site_dir: Path) -> dict[str, str]:
    """Every file and a hash of its content; Pagefind's files (named by their own hashes) by how many per folder."""
    result: dict[str, str] = {}
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site_dir).as_posix()
        if "pagefind" in path.relative_to(site_dir).parts:
            folder = path.parent.relative_to(site_dir).as_posix()
            result[f"{folder}/*"] = str(int(result.get(f"{folder}/*", "0")) + 1)
        else:
            result[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def beside(folder: Path) -> list[str]:
    """What builds left next to the site (staging, scratch, lock, old sites), once a detached
    deletion of a replaced site is done."""
    deadline = time.monotonic() + 120  # waiting for the deletion to happen, not timing it
    while any(".rihla-discarded-" in p.name for p in folder.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("site."))


def config_for(folder: Path, site_dir: Path, build_date: str, name: str, **extra: object) -> Path:
    """A mkdocs.yml building the minimal records on `build_date` into `site_dir`."""
    scratch = folder / f"config-{name}"
    scratch.mkdir(parents=True, exist_ok=True)
    path = site_config(scratch, MINIMAL_RECORDS, build_date=build_date, **extra)
    config = read_mkdocs_yml(path)
    config["site_dir"] = str(site_dir)
    target = folder / f"mkdocs-{name}.yml"
    write_mkdocs_yml(config, target)
    return target


def command(config: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)]


def environment(**variables: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **variables}


@dataclass
class Run:
    returncode: int
    output: str


def run(config: Path, **variables: str) -> Run:
    result = subprocess.run(command(config), capture_output=True, text=True, env=environment(**variables),
                            cwd=config.parent, timeout=600)
    return Run(result.returncode, result.stdout + result.stderr)


def assert_one_line_error(output: str, *phrases: str) -> None:
    """The failure is told on one line, without a traceback. MkDocs may add "Aborted with a
    BuildError!", and its own one-line error when a page of its cannot be written."""
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines()
             if line.strip() and "Aborted with a BuildError" not in line and "Error building page" not in line]
    assert len(lines) == 1, output
    for phrase in phrases:
        assert phrase in lines[0], output


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Clean builds of the minimal records on each date (each test copies the old one as its previous site)."""
    built = {}
    for build_date in (OLD_DATE, NEW_DATE, OTHER_DATE):
        folder = tmp_path_factory.mktemp(f"clean-{build_date}")
        result = run(config_for(folder, folder / "site", build_date, "clean"))
        assert result.returncode == 0, result.output
        built[build_date] = folder / "site"
    return built


@pytest.fixture
def previous(tmp_path: Path, clean: dict[str, Path]) -> Path:
    """The old site, published at `tmp_path/site`."""
    shutil.copytree(clean[OLD_DATE], tmp_path / "site")
    return tmp_path / "site"


# Two builds at once ------------------------------------------------------------------------


def start(config: Path, **variables: str) -> subprocess.Popen[str]:
    return subprocess.Popen(command(config), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=environment(**variables), cwd=config.parent)


def finish(builds: dict[str, subprocess.Popen[str]]) -> dict[str, tuple[int, str, float]]:
    """Wait for every build: its exit code, its output and when it ended."""
    ended: dict[str, tuple[int, str, float]] = {}
    while len(ended) < len(builds):
        for name, build in builds.items():
            if name not in ended and build.poll() is not None:
                ended[name] = (build.returncode, build.communicate()[0], time.monotonic())
        time.sleep(0.01)
    return ended


@pytest.mark.parametrize("offset", [0.0, 1.0, 2.5, 4.0])  # seconds between the two starts: start-up, pages, outputs, swap, after
def test_two_builds_into_one_site_publish_one_complete_build(
    tmp_path: Path, previous: Path, clean: dict[str, Path], offset: float
) -> None:
    """While one build runs, another into the same site stops with a message naming it; what is
    published is exactly one clean build, and each exit code says what happened to it."""
    dates = {"first": NEW_DATE, "second": OTHER_DATE}
    builds = {"first": start(config_for(tmp_path, previous, NEW_DATE, "first"))}
    time.sleep(offset)
    builds["second"] = start(config_for(tmp_path, previous, OTHER_DATE, "second"))
    ended = finish(builds)
    succeeded = [name for name in builds if ended[name][0] == 0]
    assert succeeded, ended
    for name in set(builds) - set(succeeded):  # stopped at once, naming the build that kept the site
        (other,) = succeeded
        assert_one_line_error(ended[name][1], f"another build (process {builds[other].pid}) is writing this site",
                              "nothing was built")
    last = max(succeeded, key=lambda name: ended[name][2])
    assert fingerprint(previous) == fingerprint(clean[dates[last]])
    assert beside(tmp_path) == []


def test_a_second_build_can_wait_for_the_first(tmp_path: Path, previous: Path, clean: dict[str, Path]) -> None:
    """With RIHLA_WAIT_FOR_BUILD, the second build waits its turn and publishes after the first."""
    first = start(config_for(tmp_path, previous, NEW_DATE, "first"))
    while not (tmp_path / "site.rihla-lock").exists() and first.poll() is None:
        time.sleep(0.01)
    second = start(config_for(tmp_path, previous, OTHER_DATE, "second"), RIHLA_WAIT_FOR_BUILD="300")
    ended = finish({"first": first, "second": second})
    assert ended["first"][0] == 0, ended["first"][1]
    assert ended["second"][0] == 0, ended["second"][1]
    assert ended["first"][2] < ended["second"][2]
    assert fingerprint(previous) == fingerprint(clean[OTHER_DATE])
    assert beside(tmp_path) == []


# Kills --------------------------------------------------------------------------------------


def test_a_build_killed_at_any_moment_leaves_a_complete_site(
    tmp_path: Path, previous: Path, clean: dict[str, Path]
) -> None:
    """SIGKILL at many moments of a build: `site/` is always the old site or the new one, whole;
    the next build cleans up what the killed one left and publishes."""
    config = config_for(tmp_path, previous, NEW_DATE, "new")
    old, new = fingerprint(clean[OLD_DATE]), fingerprint(clean[NEW_DATE])
    seen = set()
    for delay in (0.3, 1.0, 2.0, 3.0, 4.0, 5.0):
        build = subprocess.Popen(command(config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=environment(), cwd=tmp_path)
        time.sleep(delay)
        build.kill()
        build.wait()
        published = fingerprint(previous)
        assert published in (old, new), f"killed after {delay} s: site/ is neither the old nor the new site"
        seen.add("new" if published == new else "old")
        if published == new:  # put the old site back for the next kill
            shutil.rmtree(previous)
            shutil.copytree(clean[OLD_DATE], previous)
    assert "old" in seen  # the kills did land before the swap
    after = run(config, RIHLA_WAIT_FOR_BUILD="30")
    assert after.returncode == 0, after.output
    assert fingerprint(previous) == new
    assert beside(tmp_path) == []


@pytest.mark.parametrize("moment", ["before", "after"])
def test_a_build_killed_inside_the_swap_leaves_a_complete_site(
    tmp_path: Path, previous: Path, clean: dict[str, Path], moment: str
) -> None:
    """SIGKILL just before and just after the exchange of the two folders: `site/` is whole,
    the old site before, the new one after; the next build tidies up."""
    config = config_for(tmp_path, previous, NEW_DATE, "new")
    build = subprocess.Popen(command(config), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             env=environment(RIHLA_PAUSE_IN_SWAP=moment), cwd=tmp_path)
    assert build.stderr is not None
    for line in build.stderr:
        if line.strip() == f"rihla: {moment} the swap":
            break
    build.kill()
    build.wait()
    build.stderr.close()
    expected = clean[OLD_DATE] if moment == "before" else clean[NEW_DATE]
    assert fingerprint(previous) == fingerprint(expected)
    after = run(config, RIHLA_WAIT_FOR_BUILD="30")
    assert after.returncode == 0, after.output
    assert fingerprint(previous) == fingerprint(clean[NEW_DATE])
    assert beside(tmp_path) == []


def children(pid: int) -> Iterator[tuple[int, str]]:
    """The child processes of `pid` and their names (Linux)."""
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return
    for child in listed:
        try:
            yield int(child), Path(f"/proc/{child}/comm").read_text().strip()
        except OSError:
            continue


def test_a_killed_language_worker_fails_the_build(tmp_path: Path, previous: Path, clean: dict[str, Path]) -> None:
    """A language worker killed mid-work (out of memory, say) fails the build, naming its languages;
    the previous site stays."""
    config = config_for(tmp_path, previous, NEW_DATE, "new")
    build = subprocess.Popen(command(config), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env=environment(RIHLA_WORKERS="2"), cwd=tmp_path)
    killed = False
    while build.poll() is None and not killed:
        for child, name in children(build.pid):
            if name == "rihla-ar-en":
                time.sleep(0.5)  # well into its languages' build
                os.kill(child, signal.SIGKILL)
                killed = True
        time.sleep(0.002)
    output, _ = build.communicate(timeout=600)
    assert killed, "the language worker of ar and en was not seen running"
    assert build.returncode == 1, output
    assert_one_line_error(output, "language worker (ar, en)", "was killed (SIGKILL)", "the previous site was kept")
    assert fingerprint(previous) == fingerprint(clean[OLD_DATE])
    assert beside(tmp_path) == []


def docs_with(tmp_path: Path, files: dict[str, str]) -> Path:
    """The project's docs/ with more pages."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")
    return docs


@pytest.mark.parametrize("language", [
    "en",  # the worker's first language: MkDocs would count its warnings only after on_post_build
    "ar",  # a language the worker builds after it (mkdocs-static-i18n's loop): MkDocs aborts it
])
def test_a_warning_in_a_language_worker_fails_a_strict_build(
    tmp_path: Path, previous: Path, clean: dict[str, Path], language: str
) -> None:
    """A broken link on a page in one language only (built by the second worker) fails the strict
    build as it would in one process: the warning is shown, one line says why the build stopped,
    nothing is published."""
    docs = docs_with(tmp_path, {f"note.{language}.md": "# Note\n\n[page](missing-page.md)\n"})
    config = config_for(tmp_path, previous, NEW_DATE, "new", docs_dir=str(docs))
    # Without -q: MkDocs does not count the warnings it silences.
    result = subprocess.run(command(config)[:-3] + ["-f", str(config)], capture_output=True, text=True,
                            env=environment(RIHLA_WORKERS="2"), cwd=tmp_path, timeout=600)
    build = Run(result.returncode, result.stdout + result.stderr)
    assert build.returncode == 1, build.output
    assert "Traceback" not in build.output
    warnings = [line for line in build.output.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and "missing-page.md" in warnings[0], build.output
    errors = [line for line in build.output.splitlines() if line.upper().startswith("ERROR")]
    assert len(errors) == 1, build.output
    for phrase in ("language worker (ar, en): Aborted with 1 warnings in strict mode!", "the previous site was kept"):
        assert phrase in errors[0], build.output
    assert fingerprint(previous) == fingerprint(clean[OLD_DATE])
    assert beside(tmp_path) == []


def test_an_error_in_a_language_worker_fails_the_build(tmp_path: Path, previous: Path, clean: dict[str, Path]) -> None:
    """A template that fails in Arabic only (a bug, here a division by zero in the second worker's
    language) stops the build with one line saying which worker, what and where; nothing is published."""
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    main = overrides / "main.html"
    main.write_text(main.read_text(encoding="utf-8")
                    + '\n{% block footer %}{{ super() }}{% if rihla_language == "ar" %}{{ 1 // 0 }}{% endif %}{% endblock %}\n',
                    encoding="utf-8")
    config = config_for(tmp_path, previous, NEW_DATE, "new")
    settings = read_mkdocs_yml(config)
    settings["theme"]["custom_dir"] = str(overrides)
    write_mkdocs_yml(settings, config)
    build = run(config, RIHLA_WORKERS="2")
    assert build.returncode == 1, build.output
    assert_one_line_error(build.output, "language worker (ar, en)", "ZeroDivisionError", "main.html",
                          "the previous site was kept")
    assert fingerprint(previous) == fingerprint(clean[OLD_DATE])
    assert beside(tmp_path) == []


@pytest.mark.parametrize(("status", "reason"), [(3, "exited with status 3"), (0, "closed its pipe")])
def test_a_worker_that_ends_before_it_reported_is_a_failure(tmp_path: Path, status: int, reason: str) -> None:
    """A language worker that ends without its report has failed, even with status 0."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: sends half a report, then dies
        os.write(write_end, b"\x80\x05")
        os._exit(status)
    os.close(write_end)
    worker = Worker(pid, os.fdopen(read_end, "rb"), ("nl", "en"), tmp_path)
    with pytest.raises(WorkerFailed) as failure:
        worker.report()
    assert str(failure.value) == f"language worker (nl, en): the process {reason} before it finished"


# Disks and folders ---------------------------------------------------------------------------


def in_own_mount(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    """Run `script` (sh) in a mount namespace of its own, where it may mount a small or read-only
    file system at `tmp_path/disk`; skipped where the machine does not allow it."""
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0 or shutil.which("unshare") is None:
        pytest.skip("mount namespaces are not available here (unshare -m)")
    (tmp_path / "disk").mkdir()
    path = tmp_path / "script.sh"
    path.write_text("set -e\n" + textwrap.dedent(script), encoding="utf-8")
    return subprocess.run(["unshare", "-m", "sh", str(path)], capture_output=True, text=True, timeout=600,
                          env=environment(), cwd=tmp_path)


def build_on_disk(tmp_path: Path, clean: dict[str, Path], mount: str) -> tuple[Run, dict[str, str], list[str]]:
    """The old site on a file system of its own (`mount`: sh lines), then a build into it;
    returns the build, the site after it, and what is left beside the site."""
    disk = tmp_path / "disk"
    config = config_for(tmp_path, disk / "site", NEW_DATE, "disk")
    result = in_own_mount(tmp_path, f"""
        {mount.format(disk=disk, old=clean[OLD_DATE])}
        set +e
        {" ".join(command(config))} > {tmp_path}/output 2>&1
        echo $? > {tmp_path}/returncode
        set -e
        cp -r {disk}/site {tmp_path}/after
        ls -a {disk} > {tmp_path}/beside
        """)
    assert result.returncode == 0, result.stdout + result.stderr
    build = Run(int((tmp_path / "returncode").read_text()), (tmp_path / "output").read_text())
    left = [name for name in (tmp_path / "beside").read_text().split() if name.startswith("site.")]
    return build, fingerprint(tmp_path / "after"), left


@pytest.mark.parametrize("size", ["9m", "11m"])  # full while MkDocs copies the theme, while pages are written
def test_a_full_disk_stops_the_build_with_a_message(tmp_path: Path, clean: dict[str, Path], size: str) -> None:
    """ENOSPC from a small disk: exit 1, one line naming the path and saying the previous site was kept (it was)."""
    build, after, left = build_on_disk(tmp_path, clean, f"""
        mount -t tmpfs -o size={size} tmpfs {{disk}}
        cp -r {{old}} {{disk}}/site
        """)
    assert build.returncode == 1, build.output
    assert_one_line_error(build.output, "No space left on device", f"{tmp_path}/disk/site.rihla-",
                          "the previous site was kept")
    assert after == fingerprint(clean[OLD_DATE])
    assert left == []


def test_a_read_only_folder_stops_the_build_with_a_message(tmp_path: Path, clean: dict[str, Path]) -> None:
    """EROFS: exit 1, one line naming the path and saying the previous site was kept (it was)."""
    build, after, left = build_on_disk(tmp_path, clean, """
        mount -t tmpfs -o size=64m tmpfs {disk}
        cp -r {old} {disk}/site
        mount -o remount,ro {disk}
        """)
    assert build.returncode == 1, build.output
    assert_one_line_error(build.output, f"{tmp_path}/disk/site.rihla-lock: Read-only file system",
                          "the previous site was kept")
    assert after == fingerprint(clean[OLD_DATE])
    assert left == []


def test_a_site_folder_that_cannot_be_made_stops_the_build_with_a_message(tmp_path: Path) -> None:
    """A site folder under a file: one line naming the path, nothing published."""
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    build = run(config_for(tmp_path, tmp_path / "a-file" / "site", NEW_DATE, "missing"))
    assert build.returncode == 1, build.output
    assert_one_line_error(build.output, f"{tmp_path}/a-file/site: Not a directory", "nothing was published")
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "not a folder"


def test_a_site_folder_whose_parent_is_missing_is_made(tmp_path: Path, clean: dict[str, Path]) -> None:
    """`-d build/site` on a fresh checkout: the missing folders are made, as MkDocs makes them."""
    site_dir = tmp_path / "build" / "site"
    build = run(config_for(tmp_path, site_dir, NEW_DATE, "fresh"))
    assert build.returncode == 0, build.output
    assert fingerprint(site_dir) == fingerprint(clean[NEW_DATE])


# External programs -----------------------------------------------------------------------------


def test_pagefind_has_a_time_limit(tmp_path: Path, previous: Path, clean: dict[str, Path]) -> None:
    """Pagefind stopped at its time limit fails the build with a message saying so; the previous site stays."""
    build = run(config_for(tmp_path, previous, NEW_DATE, "new"), RIHLA_PAGEFIND_TIMEOUT="0.001")
    assert build.returncode == 1, build.output
    assert "Traceback" not in build.output
    assert "Pagefind did not finish within 0.001 seconds and was stopped" in build.output
    assert "RIHLA_PAGEFIND_TIMEOUT" in build.output
    assert fingerprint(previous) == fingerprint(clean[OLD_DATE])
    assert beside(tmp_path) == []


def test_chromium_has_a_time_limit(tmp_path: Path, previous: Path, clean: dict[str, Path]) -> None:
    """Chromium stopped at its time limit fails the build with a message saying so; the previous site stays."""
    from rihla.export.pdf import chromium_path

    if chromium_path() is None and not os.environ.get("CI"):
        pytest.skip("Chromium is not installed")
    build = run(config_for(tmp_path, previous, NEW_DATE, "pdf", pdf=True), RIHLA_CHROMIUM_TIMEOUT="0.001")
    assert build.returncode == 1, build.output
    assert "Traceback" not in build.output
    assert "Chromium did not answer within 0.001 seconds and was stopped" in build.output
    assert fingerprint(previous) == fingerprint(clean[OLD_DATE])
    assert beside(tmp_path) == []
