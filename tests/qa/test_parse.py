"""Scenario files: the vocabulary, and errors that name file, line and key."""

from pathlib import Path

import pytest

from xpos.errors import ScenarioError
from xpos.model import Key
from xpos.qa.model import (
    ExpectHostStep,
    ExpectScreenStep,
    HostFaultStep,
    KeysStep,
    PaperStep,
    PinStep,
    PowerCycleStep,
    SwipeStep,
    WaitStep,
)
from xpos.qa.parse import find_scenario_files, load_scenarios
from xpos.qa.verbs import ACTIONS, REGISTRY, VERBS

GOOD = """\
name: 团购蛋糕兑换券 (J2)
tags: [x-menu, voucher]
terminal: {tid: "10000001", mid: "898100012340001"}
fixtures:
  cards:
    - {id: alice, kind: bank, pan: "6212345678901234567", expiry: "3012", pin: "123456",
       balance: 100000}
  vouchers:
    - {code: "883300112233", provider: groupbuy-demo, title: "冰淇淋蛋糕", quantity: 1}
steps:
  - select: "订单验证"
  - keys: "883300112233#"
  - swipe: alice
  - tap: {uid: "04A1B2C3"}
  - scan: "883300112233"
  - pin: "123456"
  - expect_screen: "验证成功"
  - expect_receipt: {contains: ["冰淇淋蛋糕"], not_contains: ["6212345678901234567"]}
  - expect_host: {message: sale, response_code: "00", amount: 1234}
  - expect_journal: {last: {type: sale, status: approved}}
  - host_fault: {next: decline, code: "51"}
  - power_cycle: {}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error(tmp_path: Path, text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenarios(write(tmp_path, text))
    return info.value


def test_the_example_from_the_issue_parses_with_every_verb(tmp_path: Path) -> None:
    (scenario,) = load_scenarios(write(tmp_path, GOOD))
    assert scenario.name == "团购蛋糕兑换券 (J2)"
    assert scenario.tags == ("x-menu", "voucher")
    assert dict(scenario.terminal) == {"tid": "10000001", "mid": "898100012340001"}
    assert scenario.fixtures.cards[0].balance == 100000
    assert scenario.fixtures.vouchers[0].title == "冰淇淋蛋糕"
    assert [s.verb for s in scenario.steps] == [
        "select", "keys", "swipe", "tap", "scan", "pin", "expect_screen", "expect_receipt",
        "expect_host", "expect_journal", "host_fault", "power_cycle"]
    assert [s.line for s in scenario.steps][:3] == [11, 12, 13]
    keys = scenario.steps[1]
    assert isinstance(keys, KeysStep) and keys.keys[-1] is Key.HASH and len(keys.keys) == 13
    swipe = scenario.steps[2]
    assert isinstance(swipe, SwipeStep) and swipe.track2.startswith("6212345678901234567=3012")
    host = scenario.steps[8]
    assert isinstance(host, ExpectHostStep)
    assert dict(host.checks) == {"response_code": "00", "amount": 1234}


def test_secrets_never_show_in_step_descriptions_or_reprs(tmp_path: Path) -> None:
    (scenario,) = load_scenarios(write(tmp_path, GOOD))
    text = " ".join([*(s.describe() for s in scenario.steps), repr(scenario)])
    assert "6212345678901234567" not in text
    assert "pin: ******" in text
    assert "123456" not in text.replace("123456789", "")


def test_a_list_file_holds_several_scenarios(tmp_path: Path) -> None:
    text = "- name: a\n  steps: [power_cycle]\n- name: b\n  steps:\n    - wait: 2m\n"
    a, b = load_scenarios(write(tmp_path, text))
    assert isinstance(a.steps[0], PowerCycleStep)
    assert isinstance(b.steps[0], WaitStep) and b.steps[0].seconds == 120
    assert b.line == 3


def test_named_keys_go_in_a_list(tmp_path: Path) -> None:
    text = 'name: k\nsteps:\n  - keys: ["12", enter, CANCEL, "#"]\n'
    (s,) = load_scenarios(write(tmp_path, text))
    step = s.steps[0]
    assert isinstance(step, KeysStep)
    assert step.keys == (Key.D1, Key.D2, Key.ENTER, Key.CANCEL, Key.HASH)


def test_scalars_keep_the_text_written(tmp_path: Path) -> None:
    text = ("name: zeros\nterminal: {tid: 00000001, operator: 007}\n"
            "fixtures:\n  cards:\n    - {id: z, pan: 0000123456789012, pin: 0123}\n"
            "steps:\n  - swipe: z\n")
    (s,) = load_scenarios(write(tmp_path, text))
    assert dict(s.terminal)["tid"] == "00000001"
    assert s.fixtures.cards[0].pan == "0000123456789012"
    assert s.fixtures.cards[0].pin == "0123"


def test_other_forms(tmp_path: Path) -> None:
    text = """\
name: forms
steps:
  - host_fault: {delay: 40s}
  - host_fault: drop
  - host_fault: {next: bad_mac, on: [sale, voucher]}
  - expect_screen: {regex: "^金额", timeout: 500ms}
  - expect_screen: {text: "处理中", absent: true}
  - pin: cancel
  - paper_out
  - paper_reload: {}
  - swipe: {track2: "6212345678901234567D30121010000000000"}
"""
    (s,) = load_scenarios(write(tmp_path, text))
    delay, drop, bad_mac, regex, absent, pin, out, reload_, swipe = s.steps
    assert isinstance(delay, HostFaultStep) and (delay.fault, delay.seconds) == ("delay", 40)
    assert isinstance(drop, HostFaultStep) and drop.fault == "drop"
    assert isinstance(bad_mac, HostFaultStep) and bad_mac.on == ("sale", "voucher_verify")
    assert isinstance(regex, ExpectScreenStep) and regex.timeout_s == 0.5
    assert regex.regex is not None and regex.regex.search("x\n金额: 1")
    assert isinstance(absent, ExpectScreenStep) and absent.absent
    assert isinstance(pin, PinStep) and pin.pin is None
    assert isinstance(out, PaperStep) and not out.paper
    assert isinstance(reload_, PaperStep) and reload_.paper
    assert (out.describe(), reload_.describe()) == ("paper_out: {}", "paper_reload: {}")
    assert isinstance(swipe, SwipeStep) and "6212345678901234567" not in swipe.describe()


@pytest.mark.parametrize(("text", "line", "key", "words"), [
    ("name: x\nsteps:\n  - swipe: alice\n  - swip: alice\n", 4, "swip",
     ["unknown verb 'swip'", "did you mean 'swipe'"]),
    ("name: x\nsteps:\n  - keys: [\"1\", ENTRE]\n", 3, "ENTRE",
     ["unknown key 'ENTRE'", "did you mean 'ENTER'"]),
    ("name: x\nsteps:\n  - keys: ENTER\n", 3, "ENTER",
     ["named keys go in a list: keys: [ENTER]"]),
    ("name: x\nsteps:\n  - keys: \"12x\"\n", 3, "x", ["unknown key 'x'"]),
    ("name: x\nsteps:\n  - swipe: alcie\n", 3, "alcie",
     ["unknown card id 'alcie'", "did you mean 'alice'"]),
    ("name: x\nfixtures:\n  cards:\n    - {id: a, pan: \"6212345678901234567\", pni: \"1\"}\n"
     "steps: [power_cycle]\n", 4, "pni", ["unknown key 'pni' in a card", "did you mean 'pin'"]),
    ("name: x\nfixtures:\n  coupons: []\nsteps: [power_cycle]\n", 3, "coupons",
     ["unknown key 'coupons' in fixtures"]),
    ("name: x\nstep:\n  - power_cycle\n", 2, "step", ["unknown key 'step' in a scenario"]),
    ("name: x\nsteps:\n  - host_fault: {next: explode}\n", 3, "explode",
     ["unknown next 'explode'"]),
    ("name: x\nsteps:\n  - expect_host: {message: teleport}\n", 3, "teleport",
     ["unknown message 'teleport'"]),
    ("name: x\nsteps:\n  - expect_journal: {last: {kind: sale}}\n", 3, "kind",
     ["unknown key 'kind' in last"]),
    ("name: x\nsteps:\n  - pin: \"12\"\n", 3, "pin", ["pin must be 4 to 12 digits"]),
    ("name: x\nsteps:\n  - wait: soon\n", 3, "wait", ["duration"]),
    ("name: x\nterminal: {tid: \"123\"}\nsteps: [power_cycle]\n", 2, "tid",
     ["'tid' must be 8 characters"]),
    ("name: x\nterminal:\n  tid: \"10000001\"\n  lang: fr\nsteps: [power_cycle]\n", 4,
     "lang", ["'lang' must be 'zh' or 'en'"]),
    ("name: x\nsteps:\n  - swip\n", 3, "swip", ["unknown verb 'swip'", "'swipe'"]),
    ("name: x\nsteps:\n  - wait\n", 3, "wait", ["wait needs an argument"]),
    ("name: x\nsteps:\n  - host_fault: {next: decline, delay: 40s}\n", 3, "delay",
     ["'delay' does not apply to a decline fault"]),
    ("name: x\nsteps:\n  - host_fault: {next: drop, code: \"51\"}\n", 3, "code",
     ["'code' does not apply to a drop fault"]),
    ("name: x\nsteps:\n  - expect_journal: {last: }\n", 3, "last",
     ["last needs at least one field"]),
    ("name: x\nsteps:\n  - expect_receipt:\n", 3, "expect_receipt", ["must not be empty"]),
    ("name: x\nfixtures:\n  vouchers:\n    - {code: \"1\", title: t, expires: 2024-13-45}\n"
     "steps: [power_cycle]\n", 4, "expires", ["expires must be a date"]),
    ("name: x\nterminal: {host: \"1.2.3.4:1\"}\nsteps: [power_cycle]\n", 2, "host",
     ["unknown key 'host' in terminal"]),
    ("name: x\nsteps:\n  - expect_screen: {regex: \"(\"}\n", 3, "regex", ["bad regex"]),
    ("name: x\nsteps: []\n", 2, "steps", ["at least one step"]),
    ("steps: [power_cycle]\n", 1, "name", ["needs 'name'"]),
    ("name: x\nname: y\nsteps: [power_cycle]\n", 2, "name", ["duplicate key 'name'"]),
    ("name: x\nsteps:\n  - power_cycle: now\n", 3, "power_cycle", ["takes no argument"]),
    ("name: x\nsteps:\n  - {keys: \"1\", swipe: alice}\n", 3, "", ["one 'verb: argument'"]),
])
def test_errors_name_file_line_and_key(tmp_path: Path, text: str, line: int, key: str,
                                       words: list[str]) -> None:
    exc = error(tmp_path, text)
    assert exc.line == line, str(exc)
    assert exc.key == key, str(exc)
    assert str(exc).startswith(f"{tmp_path / 's.yaml'}:{line}: ")
    for word in words:
        assert word in str(exc)


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    exc = error(tmp_path, "name: x\nsteps:\n  - keys: [1, 2\n  - swipe: alice\n")
    assert "not valid YAML" in str(exc) and exc.line >= 3


def test_duplicate_scenario_names_and_fixture_ids(tmp_path: Path) -> None:
    assert "duplicate scenario name 'a'" in str(error(
        tmp_path, "- {name: a, steps: [power_cycle]}\n- {name: a, steps: [power_cycle]}\n"))
    text = ("name: x\nfixtures:\n  cards:\n    - {id: a, pan: \"6212345678901234567\"}\n"
            "    - {id: a, pan: \"6212345678901234568\"}\nsteps: [power_cycle]\n")
    exc = error(tmp_path, text)
    assert "duplicate id 'a'" in str(exc) and exc.line == 5


def test_empty_and_missing_files(tmp_path: Path) -> None:
    assert "empty" in str(error(tmp_path, ""))
    with pytest.raises(ScenarioError, match="no such file"):
        find_scenario_files([tmp_path / "nope"])


def test_find_scenario_files_walks_directories_in_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.yaml", "a.yml", "sub/c.yaml", "notes.txt"):
        (tmp_path / name).write_text("x")
    found = find_scenario_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.yml", "b.yaml",
                                                                    "sub/c.yaml"]


def test_errors_never_echo_a_pin_or_a_full_pan_or_track(tmp_path: Path) -> None:
    track = error(tmp_path, 'name: x\nsteps:\n  - swipe: "6212345678901234567=30121010000000000"\n')
    assert "6212345678901234567" not in str(track) and "621234*********4567=****" in str(track)
    assert "{track2: ...}" in str(track)
    pan = error(tmp_path, 'name: x\nfixtures:\n  cards:\n'
                          '    - {id: a, pan: "621234567890123456X"}\n'
                          "steps: [power_cycle]\n")
    assert "621234567890123456X" not in str(pan) and "pan must be 12 to 19 digits" in str(pan)
    pin = error(tmp_path, 'name: x\nfixtures:\n  cards:\n'
                          '    - {id: a, pan: "6212345678901234567", pin: "12345x"}\n'
                          "steps: [power_cycle]\n")
    assert "12345x" not in str(pin) and "pin must be 4 to 12 digits" in str(pin)


# One minimal argument per verb, to check the registry row by row.
MINIMAL = {
    "select": '"签到"', "keys": '"1"', "swipe": "alice", "tap": '"04A1B2C3"', "scan": '"1"',
    "pin": '"1234"', "expect_screen": '"x"', "expect_receipt": '"x"',
    "expect_host": "{message: sale}", "expect_journal": "{count: 0}", "host_fault": "drop",
    "power_cycle": "{}", "wait": "1s", "paper_out": "{}", "paper_reload": "{}",
    "mark": "{}", "expect_order": "[sale]", "expect_host_state": "{batch: 1}",
    "host_control": "down", "device_fault": "pinpad_error", "never_shown": '"x"',
    "key_original": "2",
    "till": '{sale: "1.00"}', "expect_till": "{result: NS}",
}


def test_the_registry_has_one_row_per_verb_with_its_parser_and_action(tmp_path: Path) -> None:
    assert sorted(MINIMAL) == sorted(VERBS)
    steps = "".join(f"  - {verb}: {arg}\n" for verb, arg in MINIMAL.items())
    (scenario,) = load_scenarios(write(tmp_path, "name: all\nsteps:\n" + steps))
    for verb, step in zip(MINIMAL, scenario.steps, strict=True):
        (row,) = [r for r in REGISTRY if r.name == verb]
        assert type(step) is row.step
        assert step.verb == verb
        assert ACTIONS[type(step)] is row.act


def test_only_verbs_without_an_argument_may_be_written_bare(tmp_path: Path) -> None:
    bare = [row.name for row in REGISTRY if row.bare]
    assert bare == ["power_cycle", "paper_out", "paper_reload", "mark"]
    steps = "".join(f"  - {verb}\n" for verb in bare)
    (scenario,) = load_scenarios(write(tmp_path, "name: bare\nsteps:\n" + steps))
    assert [s.verb for s in scenario.steps] == bare
    with pytest.raises(ScenarioError, match="wait needs an argument"):
        load_scenarios(write(tmp_path, "name: bare\nsteps:\n  - wait\n"))
