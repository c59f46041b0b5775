"""One locust user type: fetch BENCH_PATH again and again, as fast as answered.

bench/load.py runs it once per target and concurrency level; a closed loop (no
think time) so throughput is what the server can give at that many clients.
"""

import os

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

PATH = os.environ["BENCH_PATH"]
HEADERS = {"Accept": "text/html,application/json"}
if os.environ.get("BENCH_AUTHORIZATION"):
    HEADERS["Authorization"] = os.environ["BENCH_AUTHORIZATION"]


class Reader(FastHttpUser):
    wait_time = constant(0)
    # Connection reuse, as browsers and API clients do.
    concurrency = 1

    @task
    def read(self):
        with self.client.get(
            PATH, headers=HEADERS, name="target", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
