"""With several workers the limits live in Redis (RATELIMIT_STORAGE_URI=redis://…): the
package brings the client, the app starts, logs in, and /readyz sees Redis answer. Run in a
process of its own: the limiter is one object per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
from flask_migrate import upgrade
sys.path.insert(0, {root!r})
from tests.conftest import make_app
from tests import factories
from steungroep.core.extensions import limiter
app = make_app({db!r}, {instance!r}, RATELIMIT_STORAGE_URI={redis!r})
with app.app_context():
    upgrade()
    limiter.reset()
    world = factories.make_world()
    client = app.test_client()
    login = client.post("/inloggen", data={{"email": "anne@a.example",
                                           "password": factories.PASSWORD}})
    ready = client.get("/readyz")
    print(json.dumps({{"login": login.status_code, "ready": ready.status_code,
                      "limits": ready.json["checks"]["limits"],
                      "storage": type(limiter.storage).__name__}}))
    limiter.reset()
"""


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def test_the_limits_live_in_redis(tmp_path):
    if not _redis_answers():
        pytest.skip(f"no Redis at {REDIS}")
    code = CHILD.format(root=str(ROOT), db=f"sqlite:///{tmp_path}/r.sqlite",
                        instance=str(tmp_path), redis=REDIS)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"login": 302, "ready": 200, "limits": {"ok": True, "kind": "redis"},
                      "storage": "RedisStorage"}
