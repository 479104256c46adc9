"""A stand-in for systemctl in tests/deploy/test_operations_doc.py: starts and stops the units of
deploy/systemd/ as the real one would (ExecStart with the EnvironmentFile's settings), in a
temporary folder. FAKE_SYSTEMD_ROOT is that folder, FAKE_SYSTEMD_PATHS the doc's paths and
where they are here (JSON)."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(os.environ.get("FAKE_SYSTEMD_ROOT", "."))
PATHS: dict[str, str] = json.loads(os.environ.get("FAKE_SYSTEMD_PATHS", "{}"))
STATE = ROOT / "run-units"


def here(text: str) -> str:
    for doc, local in PATHS.items():
        text = text.replace(doc, local)
    return text


def unit(name: str) -> dict[str, str]:
    path = Path(here(f"/etc/systemd/system/{name}.service"))
    settings = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("=")
        if value and not line.startswith("#"):
            settings[key.strip()] = here(value.strip())
    return settings


def environment(path: str) -> dict[str, str]:
    values = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def start(name: str) -> None:
    if (STATE / name).exists():
        return
    settings = unit(name)
    env = {**os.environ, **environment(settings["EnvironmentFile"])}
    log = open(ROOT / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
    process = subprocess.Popen(shlex.split(settings["ExecStart"]), env=env, stdout=log,
                               stderr=log, start_new_session=True)
    STATE.mkdir(exist_ok=True)
    (STATE / name).write_text(str(process.pid))


def alive(pid: int) -> bool:
    """Running (a process that ended but was not reaped by its new parent is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def stop(name: str) -> None:
    pid_file = STATE / name
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text())
    try:
        os.killpg(pid, signal.SIGTERM)
        for _ in range(300):  # TimeoutStopSec=30
            if not alive(pid):
                break
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    pid_file.unlink()


def main(args: list[str]) -> None:
    verb, names = args[0], [a.removesuffix(".service") for a in args[1:] if a != "--now"]
    if verb == "daemon-reload":
        return
    for name in names:
        if verb in ("stop", "restart"):
            stop(name)
        if verb in ("start", "restart") or (verb == "enable" and "--now" in args):
            start(name)


if __name__ == "__main__":
    main(sys.argv[1:])
