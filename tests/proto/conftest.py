from __future__ import annotations

import pytest

from xpos.proto.messages import MacFunction
from xpos.security.mac import MacAlgorithm, compute_mac

from .golden import MAK


def _cup_mac(data: bytes) -> bytes:
    return compute_mac(MacAlgorithm.CUP_ECB, MAK, data)


@pytest.fixture
def mac() -> MacFunction:
    return _cup_mac
