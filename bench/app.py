"""The forum as the benchmark serves it: production settings, with rate limits off.

Rate limits would turn a load test into a test of the limiter (members may post a few times a
minute); everything else (CSRF, sessions, the page cache, screening) is as in production. The
two /bench-floor pages of bench/floor.py are added, for `bench/run.py --floor`.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.floor import floor  # noqa: E402
from forum import create_app  # noqa: E402

app = create_app(RATELIMIT_ENABLED=False, CACHE_PAGES=os.environ.get("CACHE_PAGES", "1") == "1", SCHEMA_COMMANDS=False)
app.register_blueprint(floor)
