"""README.md's commands stay what CI runs."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL = 'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[test]" && '


def readme_commands() -> list[str]:
    lines = (ROOT / "README.md").read_text().splitlines()
    return [line[len(INSTALL) :] for line in lines if line.startswith(INSTALL)]


def ci_test_command() -> str:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    return lines[lines.index("# test-command:") + 1]


def test_readme_gives_the_main_job_and_the_test_suite() -> None:
    assert len(readme_commands()) == 2


def test_ci_runs_the_exact_test_command_of_the_readme() -> None:
    assert readme_commands()[1] == ci_test_command()


def test_main_job_runs_the_example_shop() -> None:
    assert readme_commands()[0] == "pytest examples/shop"
