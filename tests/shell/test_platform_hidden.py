"""The shell seals every hidden X3 value under the TDK and never sends one in clear."""

from xpos.core.flows.remote import SessionResult
from xpos.core.steps import ResultCode
from xpos.security.keys import WorkingKeys
from xpos.security.platform_value import open_value
from xpos.terminal.platform import seal_hidden

TDK = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
KEY = bytes.fromhex("1111111111111111" "2222222222222222")
RESULT = SessionResult(session="S9", number=4, code=ResultCode.OK,
                       values=("13800138000", "4321", "x"), hidden=(False, True))


def test_a_hidden_value_is_emptied_in_place_and_sealed_for_its_place() -> None:
    values, sealed = seal_hidden(RESULT, WorkingKeys(pik=KEY, mak=KEY, tdk=TDK))
    assert values == ("13800138000", "", "x")
    ((position, cipher),) = sealed
    assert position == 2 and b"4321" not in cipher
    assert open_value(cipher, TDK, session="S9", number=4, position=2) == "4321"


def test_without_a_tdk_the_hidden_value_is_left_out_never_sent_in_clear() -> None:
    values, sealed = seal_hidden(RESULT, WorkingKeys(pik=KEY, mak=KEY, tdk=None))
    assert values == ("13800138000", "", "x") and sealed == ()


def test_a_value_too_long_to_seal_is_left_out_too() -> None:
    long = SessionResult(session="S9", number=4, code=ResultCode.OK, values=("9" * 300,),
                         hidden=(True,))
    assert seal_hidden(long, WorkingKeys(pik=KEY, mak=KEY, tdk=TDK)) == (("",), ())
