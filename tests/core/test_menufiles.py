"""The shell's menu-folder reader, :func:`xpos.terminal.menufiles.load_menus`.

It lives next to the core menu tests because it is only the file-reading half of
:func:`xpos.core.menus.parse_menus`: these tests pin the folder behaviour (real files
in ``tmp_path``) and that errors name the real file path.
"""

from pathlib import Path

import pytest

from xpos.core.menus import parse_menus
from xpos.errors import MenuError
from xpos.terminal.menufiles import load_menus

from .menu_samples import MAIN, SHIPPED, X


def write(folder: Path, **files: str) -> Path:
    for name, text in files.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_shipped_menus_load():
    menus = load_menus(SHIPPED)
    assert menus.versions == {"main": 1, "preauth": 1, "print": 1, "x": 1}
    assert menus["main"].path == str(SHIPPED / "main.toml")


def test_loading_a_folder_equals_parsing_its_texts(tmp_path):
    write(tmp_path, main=MAIN, x=X)
    texts = {str(tmp_path / n): (tmp_path / n).read_text("utf-8") for n in ("main.toml", "x.toml")}
    assert load_menus(tmp_path) == parse_menus(texts)


def test_only_toml_files_are_read(tmp_path):
    write(tmp_path, main=MAIN, x=X)
    (tmp_path / "README.txt").write_text("not a menu", encoding="utf-8")
    assert sorted(load_menus(tmp_path).menus) == ["main", "x"]


def test_errors_name_the_file_path_and_the_key(tmp_path):
    write(tmp_path, main=MAIN.replace("builtin:sale", "builtin:no_such_flow"), x=X)
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    main = str(tmp_path / "main.toml")
    assert (info.value.path, info.value.key) == (main, "menu.items[0].action")
    assert str(info.value).startswith(f"{main}: menu.items[0].action: ")


def test_duplicate_menu_ids_name_the_second_file(tmp_path):
    write(tmp_path, main=MAIN, x=X, y=X)
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert (info.value.path, info.value.key) == (str(tmp_path / "y.toml"), "menu.id")
    assert str(tmp_path / "x.toml") in str(info.value)


def test_missing_root_menu_names_the_directory(tmp_path):
    write(tmp_path, x=X)
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert (info.value.path, info.value.key) == (str(tmp_path), "menu.id")


def test_empty_or_missing_directory_is_an_error(tmp_path):
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert (info.value.path, info.value.key) == (str(tmp_path), "menu")
    assert "no *.toml menu files" in str(info.value)
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path / "nowhere")
    assert info.value.path == str(tmp_path / "nowhere")


def test_non_utf8_file_is_an_error(tmp_path):
    write(tmp_path, main=MAIN, x=X)
    (tmp_path / "x.toml").write_bytes(X.encode("gb18030"))
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert (info.value.path, info.value.key) == (str(tmp_path / "x.toml"), "<toml>")
    assert "not UTF-8" in str(info.value)


def test_unreadable_file_is_an_error(tmp_path):
    write(tmp_path, main=MAIN)
    (tmp_path / "x.toml").mkdir()  # matches *.toml but cannot be read as a file
    with pytest.raises(MenuError) as info:
        load_menus(tmp_path)
    assert (info.value.path, info.value.key) == (str(tmp_path / "x.toml"), "<toml>")
    assert "cannot read" in str(info.value)


def test_builtin_names_can_be_extended_by_the_caller(tmp_path):
    write(tmp_path, main=MAIN.replace("builtin:sale", "builtin:reprint"), x=X)
    with pytest.raises(MenuError):
        load_menus(tmp_path)
    menus = load_menus(tmp_path, builtins={"reprint", "voucher_verify"})
    assert menus["main"].items[0].target == "reprint"
