"""The pytest plugin: scenario files under a ``scenarios`` directory become test items."""

import pytest

pytest_plugins = ["pytester"]


def test_scenarios_run_as_pytest_items(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("scenarios")
    (folder / "menu.yaml").write_text(
        "- name: 主菜单可见\n  tags: [smoke]\n  steps:\n    - expect_screen: 主菜单\n"
        "- name: wrong\n  steps:\n    - expect_screen: {text: 不存在, timeout: 1s}\n",
        encoding="utf-8")
    (pytester.path / "elsewhere.yaml").write_text("not: a scenario\n", encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider", "--xpos-evidence",
                                str(pytester.path / "ev"))
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*menu.yaml:7: expect_screen: 不存在*",
                                 f"*evidence: {pytester.path / 'ev'}*"])
    tagged = pytester.runpytest("-p", "no:cacheprovider", "-k", "smoke")
    tagged.assert_outcomes(passed=1, deselected=1)


def test_an_invalid_scenario_file_is_a_collection_error(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("scenarios")
    (folder / "bad.yaml").write_text("name: x\nsteps:\n  - swip: alice\n", encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*bad.yaml:3: unknown verb 'swip'*"])
