"""The money rules as data: :data:`RULES`, one :class:`~xpos.core.rules_model.Rule` a row.

:func:`xpos.core.rules.decide` looks an answer up here (exactly one row matches, a test
checks every combination); :data:`MACED` are the kinds whose answers carry a MAC (their
re-sign-on flag drops the working keys).
"""

from __future__ import annotations

from xpos.core.flows.online import Notice, Outcome
from xpos.core.rules_model import (
    Check,
    JournalEffect,
    Keys,
    Kind,
    RcClass,
    Reach,
    Reason,
    Rule,
)

_SIGN_ON = frozenset({Kind.SIGN_ON})
_MONEY = frozenset({Kind.SALE, Kind.VOID, Kind.VOUCHER})
_BOOKING = frozenset({Kind.SALE, Kind.VOUCHER})
_VOID = frozenset({Kind.VOID})
_REVERSAL = frozenset({Kind.REVERSAL})
_REFUND = frozenset({Kind.REFUND})
_BALANCE = frozenset({Kind.BALANCE})
_MACED = _MONEY | _REVERSAL | _REFUND | _BALANCE
_GOOD = frozenset({Check.OK})
_NOT_GOOD = frozenset({Check.BAD, Check.ABSENT})
_00 = frozenset({RcClass.APPROVED})
_TAKEN = frozenset({RcClass.APPROVED, RcClass.NO_ORIGINAL})
_77 = frozenset({RcClass.RESIGN})
_ANY_BUT_00 = frozenset(RcClass) - _00
_DECLINING = frozenset({RcClass.NO_ORIGINAL, RcClass.OTHER})
_REFUSING = frozenset({RcClass.OTHER})
_PREAUTH = frozenset({Kind.PREAUTH})
_LINKED = frozenset({Kind.PREAUTH_VOID, Kind.COMPLETION, Kind.COMPLETION_VOID})
_FAMILY = _PREAUTH | _LINKED
_MACED = _MACED | _FAMILY  # the pre-authorisation family is MAC'd (reference §1.4)
_O, _J, _R, _K = Outcome, JournalEffect, Reason, Keys
_ORDER_QUERY = frozenset({Kind.ORDER_QUERY})
_ORDER_PAID = frozenset({Kind.ORDER_PAID})
_PARTY = frozenset({Kind.PARTY_DEBIT})
_MACED = _MACED | _ORDER_QUERY | _ORDER_PAID | _PARTY
_V_QUERY = frozenset({Kind.VOUCHER_QUERY})
_V_VOID = frozenset({Kind.VOUCHER_VOID})
_MACED = _MACED | _V_QUERY | _V_VOID  # X1 query and X void (xpos.proto.voucher_x)

RULES: tuple[Rule, ...] = (
    # -- sign-on (0800/0810: not MAC'd; the check is the keys' KCVs) ---------------------
    Rule(kinds=_SIGN_ON, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_SIGN_ON, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_SIGN_ON, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_SIGN_ON, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.NONE, reversal=_R.NONE, keys=_K.INSTALL),
    Rule(kinds=_SIGN_ON, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.ERROR, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP,
         notice=Notice.BAD_KEYS),
    Rule(kinds=_SIGN_ON, reach=Reach.ANSWERED, rcs=_ANY_BUT_00, checks=None,
         outcome=_O.DECLINED, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP),
    # -- sale and void (0200/0210) and voucher (0100/0110) ----------------------------
    Rule(kinds=_MONEY, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_MONEY, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_MONEY, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_BOOKING, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_VOID, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED_VOIDING, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_MONEY, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.A0, keys=_K.KEEP),
    Rule(kinds=_MONEY, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_MONEY, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- reversal (0400/0410) --------------------------------------------------------
    Rule(kinds=_REVERSAL, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.PENDING, reversal=_R.KEEP, keys=_K.KEEP),
    Rule(kinds=_REVERSAL, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.KEEP, keys=_K.KEEP),
    Rule(kinds=_REVERSAL, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.KEEP, keys=_K.KEEP),
    Rule(kinds=_REVERSAL, reach=Reach.ANSWERED, rcs=_TAKEN, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.REVERSED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_REVERSAL, reach=Reach.ANSWERED, rcs=_TAKEN, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.R06, keys=_K.KEEP),
    Rule(kinds=_REVERSAL, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.PENDING, reversal=_R.R06, keys=_K.DROP),
    Rule(kinds=_REVERSAL, reach=Reach.ANSWERED, rcs=_REFUSING, checks=None,
         outcome=_O.DECLINED, journal=_J.PENDING, reversal=_R.R06, keys=_K.KEEP),
    # -- pre-authorisation family (0100/0110, 0200/0210 with F25 06): reversible -------
    Rule(kinds=_FAMILY, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_FAMILY, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_FAMILY, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_PREAUTH, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_LINKED, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED_LINKED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_FAMILY, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.A0, keys=_K.KEEP),
    Rule(kinds=_FAMILY, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_FAMILY, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- X2 order query (0100/710000): moves no money, nothing journaled -----------------
    Rule(kinds=_ORDER_QUERY, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_ORDER_QUERY, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    # -- X2 order-paid notice (0100/720000): journaled before it is sent, no reversal;
    #    sent again (idempotent) until the platform takes or refuses it ----------------
    Rule(kinds=_ORDER_PAID, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.PENDING, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_PAID, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_PAID, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_PAID, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_PAID, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_ORDER_PAID, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.PENDING, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_ORDER_PAID, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- X2 third-party debit (0200/730000): money, exactly like a sale ----------------
    Rule(kinds=_PARTY, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_PARTY, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_PARTY, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_PARTY, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_PARTY, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.A0, keys=_K.KEEP),
    Rule(kinds=_PARTY, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_PARTY, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- refund (0220/0230): never reversed; no usable answer = outcome unknown ---------
    Rule(kinds=_REFUND, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_REFUND, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.UNKNOWN, reversal=_R.NONE, keys=_K.KEEP,
         notice=Notice.REFUND_UNKNOWN),
    Rule(kinds=_REFUND, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.UNKNOWN, reversal=_R.NONE, keys=_K.KEEP,
         notice=Notice.REFUND_UNKNOWN),
    Rule(kinds=_REFUND, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_REFUND, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.UNKNOWN, reversal=_R.NONE, keys=_K.KEEP,
         notice=Notice.REFUND_UNKNOWN),
    Rule(kinds=_REFUND, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_REFUND, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- balance inquiry (0200/0210, 310000): moves no money, never reversed ------------
    Rule(kinds=_BALANCE, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_BALANCE, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP,
         notice=Notice.NO_REPLY),
    Rule(kinds=_BALANCE, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_BALANCE, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_BALANCE, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP,
         notice=Notice.BALANCE_BAD_MAC),
    Rule(kinds=_BALANCE, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_BALANCE, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
    # -- X1 voucher query (0100/740000): changes nothing, nothing journaled ---------------
    Rule(kinds=_V_QUERY, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_V_QUERY, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_V_QUERY, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_V_QUERY, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_V_QUERY, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_V_QUERY, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.NONE, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_V_QUERY, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.NONE, reversal=_R.NONE, keys=_K.KEEP),
    # -- X1 void of a redemption (0100/740200): reversible, marks the redemption ---------
    Rule(kinds=_V_VOID, reach=Reach.UNREACHABLE, rcs=None, checks=None,
         outcome=_O.UNREACHABLE, journal=_J.FAILED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_V_VOID, reach=Reach.TIMEOUT, rcs=None, checks=None,
         outcome=_O.NO_RESPONSE, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_V_VOID, reach=Reach.MALFORMED, rcs=None, checks=None,
         outcome=_O.REJECTED, journal=_J.PENDING, reversal=_R.R98, keys=_K.KEEP),
    Rule(kinds=_V_VOID, reach=Reach.ANSWERED, rcs=_00, checks=_GOOD,
         outcome=_O.APPROVED, journal=_J.APPROVED_LINKED, reversal=_R.NONE, keys=_K.KEEP),
    Rule(kinds=_V_VOID, reach=Reach.ANSWERED, rcs=_00, checks=_NOT_GOOD,
         outcome=_O.BAD_MAC, journal=_J.PENDING, reversal=_R.A0, keys=_K.KEEP),
    Rule(kinds=_V_VOID, reach=Reach.ANSWERED, rcs=_77, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.DROP),
    Rule(kinds=_V_VOID, reach=Reach.ANSWERED, rcs=_DECLINING, checks=None,
         outcome=_O.DECLINED, journal=_J.DECLINED, reversal=_R.NONE, keys=_K.KEEP),
)
"""The money rules. Every (kind, answer) matches exactly one row (a test checks)."""

MACED = _MACED
"""The kinds whose answers are MAC'd (reference §1.4)."""
