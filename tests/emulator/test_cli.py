from pathlib import Path

import pytest

import xpos.emulator.app.launch as launch
from xpos.cli import main
from xpos.emulator.app.launch import EmulatorOptions, build_app


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[EmulatorOptions]:
    seen: list[EmulatorOptions] = []

    def fake_run(options: EmulatorOptions) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr(launch, "run_emulator", fake_run)
    return seen


def test_emulator_command_passes_its_options(tmp_path: Path,
                                             launched: list[EmulatorOptions]) -> None:
    code = main(["emulator", "--data-dir", str(tmp_path), "--host", "10.0.0.5:8583",
                 "--lang", "en"])
    assert code == 0
    assert launched == [EmulatorOptions(data_dir=tmp_path, host="10.0.0.5:8583", lang="en")]


def test_emulator_defaults(launched: list[EmulatorOptions], tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XPOS_DATA", str(tmp_path))
    assert main(["emulator"]) == 0
    assert launched[0].host is None and launched[0].lang is None


@pytest.mark.parametrize("bad", ["localhost", "host:", ":8583", "host:0", "host:99999",
                                 "host:port"])
def test_bad_host_is_a_usage_error(bad: str, launched: list[EmulatorOptions],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["emulator", "--host", bad])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--host" in err and "host:port" in err
    assert launched == []


def test_bad_lang_is_a_usage_error(launched: list[EmulatorOptions]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["emulator", "--lang", "fr"])
    assert exit_info.value.code == 2


def test_invalid_configuration_fails_before_the_screen_with_exit_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "xpos.toml").write_text("lang = [\n", encoding="utf-8")
    assert main(["emulator", "--data-dir", str(tmp_path)]) == 1
    assert "配置错误" in capsys.readouterr().err


def test_a_data_dir_that_is_a_file_is_a_clear_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "file"
    path.write_text("x", encoding="utf-8")
    assert main(["emulator", "--data-dir", str(path)]) == 1
    assert "data directory" in capsys.readouterr().err


def test_language_comes_from_the_configuration_unless_given(tmp_path: Path) -> None:
    (tmp_path / "xpos.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert build_app(EmulatorOptions(data_dir=tmp_path)).lang == "en"
    assert build_app(EmulatorOptions(data_dir=tmp_path, lang="zh")).lang == "zh"


def test_help_lists_the_emulator(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "emulator" in capsys.readouterr().out
