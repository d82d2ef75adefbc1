import io
import shutil
from pathlib import Path

import pytest

from xpos.cli import main
from xpos.model import mask_code
from xpos.refhost.seed import DEMO
from xpos.testing.demo import run_demo


def test_demo_runs_every_stage_twice_on_the_same_data_and_leaks_nothing(
        tmp_path: Path) -> None:
    for _ in range(2):
        out = io.StringIO()
        assert run_demo(tmp_path, out) == 0, out.getvalue()
        text = out.getvalue()
        assert "DEMO OK" in text and "签到成功" in text and "交易成功" in text
        assert "验证成功" in text and "冰淇淋蛋糕" in text and "￥12.34" in text
        assert DEMO.cards[0].pan not in text
        assert DEMO.demo_voucher not in text  # the typed code too, keys line included
        assert f"keys: {mask_code(DEMO.demo_voucher)} #" in text
        assert "<PIN block>" in text


def test_demo_in_a_temporary_directory_cleans_up(tmp_path: Path) -> None:
    removed: list[Path] = []

    def cleanup(path: Path) -> None:
        removed.append(path)
        shutil.rmtree(path)

    assert run_demo(None, io.StringIO(), cleanup=cleanup) == 0
    assert len(removed) == 1 and removed[0].name.startswith("xpos-demo-")


def test_journal_lists_the_demo_transactions_masked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_demo(tmp_path, io.StringIO()) == 0
    assert main(["journal", "--data-dir", str(tmp_path)]) == 0
    listing = capsys.readouterr().out
    assert "sale" in listing and "voucher" in listing and "approved" in listing
    assert "621234*********4567" in listing and DEMO.cards[0].pan not in listing
