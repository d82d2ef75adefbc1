from pathlib import Path

import pytest

from xpos.cli import main
from xpos.security.kcv import kcv
from xpos.security.keys import combine_components

A = "0123456789ABCDEFFEDCBA9876543210"
B = "1111111111111111222222222222222"[:31] + "2"


def _kcv_hex(*components: str) -> str:
    return kcv(combine_components([bytes.fromhex(c) for c in components])).hex().upper()[:6]


def test_keys_load_stores_the_tmk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["keys", "load", "--data-dir", str(tmp_path), "--component", A,
                 "--component", B, "--kcv", _kcv_hex(A, B)])
    assert code == 0
    assert (tmp_path / "keys.json").exists()
    assert "TMK loaded" in capsys.readouterr().out


def test_keys_load_with_wrong_kcv_is_refused_and_stores_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["keys", "load", "--data-dir", str(tmp_path), "--component", A,
                 "--component", B, "--kcv", "000000"])
    assert code == 1
    err = capsys.readouterr().err
    assert "密钥校验值不符" in err and "TMK" in err
    assert not (tmp_path / "keys.json").exists()


@pytest.mark.parametrize(("components", "says"), [
    (["XYZ", B], "component 1 is not hexadecimal"),
    ([A], "2 or 3 components, got 1"),
    ([A, B, A, B], "2 or 3 components, got 4"),
    ([A, B[:30]], "component 2 must be 32 or 48 hex digits, got 30"),
])
def test_keys_load_component_errors_are_key_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], components: list[str],
        says: str) -> None:
    argv = ["keys", "load", "--data-dir", str(tmp_path), "--kcv", "000000"]
    for component in components:
        argv += ["--component", component]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "密钥输入错误 key entry error" in err and says in err
    assert "配置错误" not in err and B[:30] not in err  # no key digits quoted
    assert not (tmp_path / "keys.json").exists()


def test_journal_without_a_journal_says_so(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["journal", "--data-dir", str(tmp_path)]) == 1
    assert "no journal" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out
