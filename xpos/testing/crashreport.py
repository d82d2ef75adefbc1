"""What a crash harness run did and found (:class:`Report`), and its printed summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from xpos.testing.reconcile import Invariants


@dataclass
class Report:
    """What a harness run did and found."""

    trials: int = 0
    lives: int = 0
    named_kills: Counter[str] = field(default_factory=Counter)
    random_kills: int = 0
    survived: int = 0
    seconds: float = 0.0
    reversals_resent: int = 0
    child_errors: list[str] = field(default_factory=list)
    undriven: tuple[str, ...] = ()
    invariants: Invariants = field(default_factory=Invariants)
    kinds: Counter[str] = field(default_factory=Counter)
    """Trials begun, by kind."""
    settlements: int = 0
    unknown_refunds: int = 0

    @property
    def trials_per_s(self) -> float:
        """Trials per second of wall time."""
        return self.trials / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        """The figures a person reads: throughput, kills, invariants."""
        kills = sum(self.named_kills.values())
        lines = [f"trials {self.trials} in {self.seconds:.1f} s = {self.trials_per_s:.1f} "
                 f"trials/s; {self.lives} terminal processes",
                 f"killed {kills + self.random_kills}: {kills} at named points, "
                 f"{self.random_kills} at random instants; {self.survived} lives ended normally",
                 "named points: " + ", ".join(f"{p}={n}" for p, n in
                                              sorted(self.named_kills.items())),
                 f"reversals resent after a kill mid-reversal: {self.reversals_resent}",
                 "trials by kind: " + ", ".join(f"{k}={n}" for k, n in
                                                sorted(self.kinds.items())),
                 f"settlements compared: {self.settlements}; refunds left unknown "
                 f"(no reversal, host may hold them): {self.unknown_refunds}",
                 f"invariants: {self.invariants}  ({'OK' if self.ok else 'BROKEN'})"]
        if self.undriven:
            lines.append("points without a driver: " + ", ".join(self.undriven))
        lines += [f"child error: {e}" for e in self.child_errors]
        return "\n".join(lines)

    @property
    def ok(self) -> bool:
        """All invariants hold and no child failed."""
        return self.invariants.ok and not self.child_errors
