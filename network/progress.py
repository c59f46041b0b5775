"""Progress for long management commands (imports, seeding, sends).

On a terminal the line redraws in place; in logs and CI it prints at most every
tenth of the way, so output stays readable either way.
"""

from typing import TextIO


class Progress:
    def __init__(self, out: TextIO | None, label: str, total: int):
        self.out = out
        self.label = label
        self.total = max(total, 0)
        self.done = 0
        self._last_tenth = -1
        self._tty = bool(out is not None and getattr(out, "isatty", lambda: False)())

    def advance(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        if self.out is None:
            return
        percent = 100 * self.done // self.total if self.total else 100
        if self._tty:
            self.out.write(
                f"\r  {self.label}: {self.done:,}/{self.total:,} ({percent}%)"
            )
            if self.done >= self.total:
                self.out.write("\n")
            self.out.flush()
        elif self.done and percent // 10 > self._last_tenth:
            self._last_tenth = percent // 10
            self.out.write(
                f"  {self.label}: {self.done:,}/{self.total:,} ({percent}%)\n"
            )

    def finish(self) -> None:
        if self.done < self.total:
            self.advance(self.total - self.done)
