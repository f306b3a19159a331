"""What a measurement reports: printed lines, and figures judged against targets."""

from dataclasses import dataclass, field

from .timing import Spread

LABEL_WIDTH = 60


@dataclass(frozen=True)
class Figure:
    """One number of the issue's list, with its target.

    ``at_least`` targets are floors (requests per second), the others ceilings.
    """

    key: str
    label: str
    value: Spread
    target: float
    unit: str = "x"
    at_least: bool = False

    @property
    def passed(self) -> bool:
        if self.at_least:
            return self.value.median >= self.target
        return self.value.median <= self.target

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "MISS"

    @property
    def target_text(self) -> str:
        return f"{'>=' if self.at_least else '<='} {self.target:g}"

    def value_text(self) -> str:
        if self.unit == "x":
            return f"{self.value.median:.2f}"
        return f"{self.value.median:g}"

    def spread_text(self) -> str:
        if self.value.low == self.value.high:
            return ""
        if self.unit == "x":
            return f"{self.value.low:.2f}-{self.value.high:.2f}"
        return f"{self.value.low:g}-{self.value.high:g}"

    def line(self) -> str:
        spread = self.spread_text()
        spread = f"({spread})" if spread else ""
        return (
            f"    {self.label:<{LABEL_WIDTH}} {self.value_text():>7} {spread:<12}"
            f" target {self.target_text:<8} {self.verdict}"
        )


def microseconds(spread: Spread) -> str:
    return f"{spread.median * 1e6:8.1f} us ({spread.low * 1e6:.1f}-{spread.high * 1e6:.1f})"


@dataclass
class Section:
    """The output of one measurement (P1 ... P6, HTTP)."""

    title: str
    lines: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def timing(self, label: str, seconds: Spread) -> None:
        self.lines.append(f"    {label:<{LABEL_WIDTH}} {microseconds(seconds)}")

    def value(self, label: str, text: str) -> None:
        self.lines.append(f"    {label:<{LABEL_WIDTH}} {text}")

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


def summary(figures: list[Figure], database: str) -> list[str]:
    """Return the closing table: one line per target, then the count met."""
    lines = [
        f"Summary ({database})",
        f"  {'key':<14} {'figure':<52} {'value':>7} {'spread':<12} {'target':<9} verdict",
    ]
    for figure in figures:
        lines.append(
            f"  {figure.key:<14} {figure.label.strip()[:52]:<52} {figure.value_text():>7}"
            f" {figure.spread_text():<12} {figure.target_text:<9} {figure.verdict}"
        )
    missed = [figure.key for figure in figures if not figure.passed]
    lines.append(
        f"  {len(figures) - len(missed)} of {len(figures)} targets met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )
    return lines
