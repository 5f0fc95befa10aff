"""What a web worker loads: only what serving pages needs, so that each worker stays small."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_entry_point_leaves_alembic_and_unused_redis_out(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "FORUM_ENV")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'forum.db'}"
    check = "import sys, wsgi; print(sorted(m for m in ('alembic', 'flask_migrate', 'redis') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_schema_commands_are_there_for_the_command_line(app):
    assert "migrate" in app.extensions
