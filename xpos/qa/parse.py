"""Scenario files → :class:`~xpos.qa.model.Scenario` objects, or a located error.

The whole vocabulary is checked before anything runs: an unknown verb, key name, card
id, fixture kind or field is an error naming it, with the file and line (and a "did you
mean" when a known word is close). This module reads scenarios, fixtures and working
parameters; :mod:`xpos.qa.verbs` the steps; :mod:`xpos.qa.readers` the typed values.
docs/qa.md documents every word accepted here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from xpos.errors import ConfigError, ScenarioError
from xpos.qa.model import (
    CardFixture,
    Fixtures,
    ProviderFixture,
    Scenario,
    VoucherFixture,
)
from xpos.qa.readers import (
    check_unique,
    is_date,
    read_bool,
    read_choice,
    read_digits,
    read_int,
    read_list,
    read_mapping,
    read_seconds,
    read_text,
)
from xpos.qa.verbs import (
    DEFAULT_TIMEOUT_S,
    FAULTS,
    HOST_CHECKS,
    HOST_MESSAGES,
    JOURNAL_LAST_FIELDS,
    VERBS,
    parse_step,
)
from xpos.qa.yamlsrc import YNode, load_yaml_file
from xpos.testing.host import DEMO, track2_for
from xpos.testing.shell import check_overrides

# The vocabulary, in one place for docs/qa.md and its test (the step words live in
# xpos.qa.verbs).
__all__ = [
    "CARD_FIELDS", "DEFAULT_TIMEOUT_S", "FAULTS", "FIXTURE_KINDS", "HOST_CHECKS",
    "HOST_MESSAGES", "JOURNAL_LAST_FIELDS", "PROVIDER_FIELDS", "SCENARIO_KEYS",
    "TERMINAL_KEYS", "VERBS", "VOUCHER_FIELDS", "find_scenario_files", "load_scenarios",
    "parse_scenario",
]

SCENARIO_KEYS = ("name", "description", "tags", "terminal", "fixtures", "sign_on", "steps")
TERMINAL_KEYS: dict[str, str] = {
    "tid": "str", "mid": "str", "merchant_name": "str", "operator": "str", "lang": "str",
    "mac_algorithm": "str", "mak_kcv": "str", "key_mode": "str", "encrypt_track": "bool",
    "connect_timeout_s": "float", "response_timeout_s": "float", "reversal_retries": "int",
    "menus_dir": "str", "pki_dir": "str", "backup_host": "str",
    "display": "str", "supervisor_password": "str", "refund_pin": "bool",
    "pin_timeout_s": "float",
}
CARD_FIELDS = ("id", "kind", "pan", "expiry", "pin", "balance", "status")
VOUCHER_FIELDS = ("code", "provider", "title", "quantity", "expires", "status")
PROVIDER_FIELDS = ("id", "name", "void_window_s")
FIXTURE_KINDS = ("cards", "vouchers", "providers", "secrets")


def load_scenarios(path: Path) -> list[Scenario]:
    """All scenarios of one file (a mapping is one scenario, a list several).

    Raises:
        ScenarioError: the file is invalid; the error names file, line and key.
    """
    root = load_yaml_file(path)
    if root is None:
        raise ScenarioError("the file is empty", path=str(path), line=0, key="")
    if isinstance(root.value, list):
        if not root.value:
            raise root.error("the list of scenarios is empty")
        scenarios = [parse_scenario(item) for item in root.value]
    else:
        scenarios = [parse_scenario(root)]
    _check_unique_names(scenarios)
    return scenarios


def find_scenario_files(paths: Iterable[Path]) -> list[Path]:
    """The ``*.yaml`` / ``*.yml`` files named or found (recursively, sorted) under ``paths``.

    Raises:
        ScenarioError: a path does not exist.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        elif path.is_file():
            files.append(path)
        else:
            raise ScenarioError("no such file or directory", path=str(path), line=0, key="")
    return files


def parse_scenario(node: YNode) -> Scenario:
    """Build one scenario from its mapping node.

    Raises:
        ScenarioError: anything invalid in it.
    """
    fields = read_mapping(node, "a scenario", SCENARIO_KEYS, required=("name", "steps"))
    fixtures = _fixtures(fields["fixtures"]) if "fixtures" in fields else Fixtures()
    cards = {c.holder: c.track2 for c in DEMO.cards} | {c.id: c.track2 for c in fixtures.cards}
    steps_node = fields["steps"]
    steps = [parse_step(item, cards) for item in read_list(steps_node, "steps")]
    if not steps:
        raise steps_node.error("a scenario needs at least one step", key="steps")
    return Scenario(
        name=read_text(fields["name"], "name", nonempty=True),
        path=node.path,
        line=node.line,
        tags=tuple(read_text(t, "tags") for t in read_list(fields["tags"], "tags"))
        if "tags" in fields else (),
        terminal=_terminal(fields["terminal"]) if "terminal" in fields else (),
        fixtures=fixtures,
        sign_on=read_bool(fields["sign_on"], "sign_on") if "sign_on" in fields else True,
        steps=tuple(steps),
    )


# -- fixtures ----------------------------------------------------------------------------


def _fixtures(node: YNode) -> Fixtures:
    kinds = read_mapping(node, "fixtures", FIXTURE_KINDS)
    cards = tuple(_card(n) for n in read_list(kinds["cards"], "cards")) if "cards" in kinds else ()
    vouchers = (tuple(_voucher(n) for n in read_list(kinds["vouchers"], "vouchers"))
                if "vouchers" in kinds else ())
    providers = (tuple(_provider(n) for n in read_list(kinds["providers"], "providers"))
                 if "providers" in kinds else ())
    card_nodes = read_list(kinds.get("cards"), "cards")
    check_unique([(c.id, n) for c, n in zip(cards, card_nodes, strict=True)], "id")
    secrets = tuple(read_text(n, "secrets", nonempty=True)
                    for n in read_list(kinds.get("secrets"), "secrets"))
    return Fixtures(cards=cards, vouchers=vouchers, providers=providers, secrets=secrets)


def _card(node: YNode) -> CardFixture:
    f = read_mapping(node, "a card", CARD_FIELDS, required=("id", "pan"))
    pan = read_digits(f["pan"], "pan", 12, 19)
    expiry = read_digits(f["expiry"], "expiry", 4, 4) if "expiry" in f else "3012"
    return CardFixture(
        id=read_text(f["id"], "id", nonempty=True),
        kind=read_choice(f["kind"], "kind", ("bank", "member")) if "kind" in f else "bank",
        pan=pan,
        expiry=expiry,
        pin=read_digits(f["pin"], "pin", 4, 12, secret=True) if "pin" in f else None,
        balance=read_int(f["balance"], "balance", low=0) if "balance" in f else 0,
        status=read_choice(f["status"], "status", ("active", "blocked")) if "status" in f
        else "active",
        track2=track2_for(pan, expiry),
    )


def _voucher(node: YNode) -> VoucherFixture:
    f = read_mapping(node, "a voucher", VOUCHER_FIELDS, required=("code", "title"))
    expires = read_text(f["expires"], "expires") if "expires" in f else "2099-12-31"
    if not is_date(expires):
        raise f["expires"].error(f"expires must be a date YYYY-MM-DD, got {expires!r}",
                                 key="expires")
    return VoucherFixture(
        code=read_text(f["code"], "code", nonempty=True),
        provider=read_text(f["provider"], "provider") if "provider" in f else DEMO.provider_id,
        title=read_text(f["title"], "title", nonempty=True),
        quantity=read_int(f["quantity"], "quantity", low=1) if "quantity" in f else 1,
        expires=expires,
        status=read_choice(f["status"], "status", ("valid", "used")) if "status" in f else "valid",
    )


def _provider(node: YNode) -> ProviderFixture:
    f = read_mapping(node, "a provider", PROVIDER_FIELDS, required=("id", "name"))
    window = (read_int(f["void_window_s"], "void_window_s", low=0)
              if "void_window_s" in f else None)
    return ProviderFixture(id=read_text(f["id"], "id", nonempty=True),
                           name=read_text(f["name"], "name", nonempty=True),
                           void_window_s=window)


def _terminal(node: YNode) -> tuple[tuple[str, Any], ...]:
    fields = read_mapping(node, "terminal", tuple(TERMINAL_KEYS))
    values: dict[str, Any] = {}
    for key, value in fields.items():
        kind = TERMINAL_KEYS[key]
        if kind == "bool":
            values[key] = read_bool(value, key)
        elif kind == "int":
            values[key] = read_int(value, key, low=0)
        elif kind == "float":
            values[key] = read_seconds(value, key)
        else:
            values[key] = read_text(value, key)
    if "display" in values:  # the display's device URL, e.g. "fake:?rows=4&cols=20"
        values["devices"] = {"display": values.pop("display")}
    try:
        check_overrides(values, source="terminal")
    except ConfigError as exc:
        match = re.search(r"key '(\w+)'", str(exc))
        name = "display" if match and match.group(1) == "devices" else match and match.group(1)
        if name and name in fields:
            raise node.key_error(name, str(exc)) from None
        raise node.error(str(exc), key="terminal") from None
    return tuple(values.items())


def _check_unique_names(scenarios: list[Scenario]) -> None:
    seen: set[str] = set()
    for scenario in scenarios:
        if scenario.name in seen:
            raise ScenarioError(f"duplicate scenario name {scenario.name!r}",
                                path=scenario.path, line=scenario.line, key=scenario.name)
        seen.add(scenario.name)
