"""Run ``flask scheduler`` with the clock set to FAKE_NOW (time-machine, ticking on from
there), so tests can start the real scheduler process "before" or "after" a due time."""

from __future__ import annotations

import os
import sys
from datetime import datetime

import time_machine


def main() -> None:
    time_machine.travel(datetime.fromisoformat(os.environ["FAKE_NOW"]), tick=True).start()
    from flask.cli import main as flask_main

    sys.argv = ["flask", "--app", "steungroep", "scheduler"]
    flask_main()


if __name__ == "__main__":
    main()
