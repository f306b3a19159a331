"""What a measurement reports: printed lines, and figures judged against targets."""

import operator
from dataclasses import dataclass, field

from .timing import Timing

LABEL_WIDTH = 58


@dataclass(frozen=True)
class Figure:
    """One number of the issue's list, with its target (``None``: informational)."""

    key: str
    label: str
    value: float
    target: float | None = None
    unit: str = "x"

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "PASS" if operator.le(self.value, self.target) else "MISS"

    def line(self) -> str:
        value = f"{self.value:.2f}" if self.unit == "x" else f"{self.value:g}"
        target = "" if self.target is None else f"target <= {self.target:g}"
        return f"    {self.label:<{LABEL_WIDTH}} {value:>9}  {target:<14} {self.verdict}"


@dataclass
class Section:
    """The output of one measurement (P1 ... P5)."""

    title: str
    lines: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def timing(self, label: str, timing: Timing) -> None:
        self.lines.append(
            f"    {label:<{LABEL_WIDTH}} {timing.us:>9.1f} us"
            f"  (range {timing.low * 1e6:.1f}-{timing.high * 1e6:.1f}, {timing.calls} calls/repeat)"
        )

    def value(self, label: str, text: str) -> None:
        self.lines.append(f"    {label:<{LABEL_WIDTH}} {text:>9}")

    def note(self, text: str) -> None:
        self.lines.append(f"    {text}")

    def figure(self, *args, **kwargs) -> Figure:
        figure = Figure(*args, **kwargs)
        self.figures.append(figure)
        self.lines.append(figure.line())
        return figure

    def print(self) -> None:
        print(f"\n{self.title}")
        for line in self.lines:
            print(line)
