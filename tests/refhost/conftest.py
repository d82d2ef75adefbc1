from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from xpos.refhost.core import HostCore
from xpos.refhost.seed import seed_demo
from xpos.refhost.store import HostStore
from xpos.security.pki import TlsFiles, ensure_demo_pki

from .terminal import TerminalMessages, fixed_clock


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return ensure_demo_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HostStore]:
    host_store = HostStore(tmp_path / "host.db")
    seed_demo(host_store)
    yield host_store
    host_store.close()


@pytest.fixture
def core(store: HostStore) -> HostCore:
    return HostCore(store, clock=fixed_clock)


@pytest.fixture
def term(core: HostCore) -> TerminalMessages:
    terminal = TerminalMessages()
    response = core.handle(terminal.sign_on_request())
    assert response is not None and response.get(39) == "00"
    terminal.accept_sign_on(response)
    return terminal
