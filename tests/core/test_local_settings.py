"""The demo's settings (`make demo`) never show Django's debug pages: DEBUG is off, so nobody,
signed in or not, gets a traceback on a server error or the URL list on a 404; static files are
still served. A developer opts in to the debug pages on their own machine with DEBUG=1."""

import json
import os

from tests.core.settings_probe import run

# Runs in a fresh process with shegong.settings.local against an empty var/ directory: the
# database has no tables, so any page that reads it fails with a real server error.
REQUESTS = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
found = {"DEBUG": settings.DEBUG}
for name, url in [("missing", "/no-such-page/"), ("broken", "/portal/"),
                  ("static", "/static/vendor/htmx/htmx.min.js"),
                  ("app_static", "/static/core/home.js")]:
    response = client.get(url)
    body = b"".join(response) if response.streaming else response.content
    found[name] = {"status": response.status_code, "body": body.decode("utf-8", "replace")[:20000]}
print("RESULT " + json.dumps(found))
"""

DEBUG_PAGE_MARKS = (
    "Traceback",
    "OperationalError",
    "no such table",
    "DEBUG = True",
    "Using the URLconf",
    "Django tried these URL patterns",
    "SECRET_KEY",
    "Request information",
)


def local_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="shegong.settings.local", SHEGONG_VAR_DIR=str(tmp_path))
    env.update(extra)
    return env


def requests_under_local_settings(env) -> dict:
    done = run(["-c", REQUESTS], env)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT ")) | {"log": done.stderr}


def test_the_demo_shows_no_debug_page_on_errors_and_still_serves_static_files(tmp_path):
    found = requests_under_local_settings(local_env(tmp_path))
    assert found["DEBUG"] is False

    assert found["missing"]["status"] == 404
    assert "未找到" in found["missing"]["body"]
    assert found["broken"]["status"] == 500
    assert "服务器出错了" in found["broken"]["body"]
    for page in ("missing", "broken"):
        for mark in DEBUG_PAGE_MARKS:
            assert mark not in found[page]["body"], (page, mark)
    # The error is not lost: its traceback goes to the console of whoever runs the demo.
    assert "no such table" in found["log"]

    assert found["static"]["status"] == 200 and "htmx" in found["static"]["body"]
    assert found["app_static"]["status"] == 200 and "shegongChart" in found["app_static"]["body"]


def test_a_developer_opts_in_to_debug_pages(tmp_path):
    found = requests_under_local_settings(local_env(tmp_path, DEBUG="1"))
    assert found["DEBUG"] is True
    assert "Using the URLconf" in found["missing"]["body"]
