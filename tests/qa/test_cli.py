"""``xpos qa run``: exit status 0 / 1 / 2, output, --junit, --evidence, -k, --list."""

from pathlib import Path

import pytest

from xpos.cli import main

SCENARIOS = Path(__file__).parent.parent / "scenarios"
GOOD = "- name: menu\n  tags: [smoke]\n  steps:\n    - expect_screen: 主菜单\n"
BAD = "- name: wrong\n  steps:\n    - expect_screen: {text: 不存在, timeout: 1s}\n"


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_project_scenarios_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["qa", "run", str(SCENARIOS), "-q"]) == 0
    out = capsys.readouterr().out
    assert " 0 failed" in out and "scenarios/s" in out


def test_a_failure_exits_1_with_junit_and_evidence(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", BAD)
    junit, evidence = tmp_path / "out" / "junit.xml", tmp_path / "evidence"
    code = main(["qa", "run", str(tmp_path), "--junit", str(junit), "--evidence",
                 str(evidence)])
    out = capsys.readouterr().out
    assert code == 1
    assert "PASS  menu" in out and "FAIL  wrong" in out
    assert "1 passed, 1 failed" in out
    assert f"evidence: {evidence}" in out
    assert b'failures="1"' in junit.read_bytes()
    (folder,) = evidence.iterdir()
    assert (folder / "screens.txt").exists()


def test_an_invalid_file_exits_2_and_runs_nothing(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a.yaml", GOOD)
    bad = write(tmp_path, "b.yaml", "name: x\nsteps:\n  - swipe: nobody\n")
    assert main(["qa", "run", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert f"{bad}:3: unknown card id 'nobody'" in captured.err
    assert "PASS" not in captured.out


def test_k_selects_and_list_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", BAD)
    assert main(["qa", "run", str(tmp_path), "-k", "smoke"]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out
    assert main(["qa", "run", str(tmp_path), "--list"]) == 0
    listed = capsys.readouterr().out
    assert "a.yaml:1  menu  [smoke]" in listed and "b.yaml:1  wrong" in listed
    assert main(["qa", "run", str(tmp_path), "-k", "nothing-matches"]) == 1
    assert "no scenario selected" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    (["nope.yaml"], "no such file or directory"),
    (["-k", "a and", "."], "-k: expression ends too early"),
    (["--host", "localhost", "."], "must be host:port"),
    (["--evidence", "/proc/no/such", "."], "--evidence: cannot make the directory"),
    (["--junit", "/proc/no/such.xml", "."], "--junit: cannot write the file"),
    (["--pki-dir", ".", "."], "--pki-dir is for --host"),
    (["--pki-dir", ".", "--host", "127.0.0.1:1", "."], "ca.pem is missing"),
])
def test_bad_arguments_exit_2(args: list[str], message: str, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["qa", "run", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_folder_without_scenario_files_is_a_bad_argument_not_an_empty_selection(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "notes.txt", GOOD)
    assert main(["qa", "run", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"xpos qa: 错误 error: no *.yaml / *.yml scenario file in {tmp_path}\n")
