"""A real HTTP receiver on 127.0.0.1 for the webhook tests: it verifies each
delivery's signature with the standardwebhooks library, as a partner would, and
remembers the webhook-ids it has handled (receivers dedupe by them)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Receiver:
    def __init__(self):
        self.requests: list[dict] = []  # every request, as received
        self.handled: dict[str, dict] = {}  # webhook-id -> verified body
        self.statuses: list[int] = []  # answers to give, in turn; then 200
        self.secrets: list[str] = []
        # hold_at = n: the n-th request is received and handled, then its answer
        # is held back until ``release`` is set (``held`` says it is waiting).
        self.hold_at: int | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                verified = None
                for secret in receiver.secrets:
                    try:
                        verified = Webhook(secret).verify(body, headers)
                        break
                    except WebhookVerificationError:
                        continue
                with receiver.lock:
                    receiver.requests.append(
                        {
                            "path": self.path,
                            "headers": headers,
                            "body": body,
                            "verified": verified is not None,
                        }
                    )
                    number = len(receiver.requests)
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    if verified is None:
                        status = 401
                    elif 200 <= status < 300:
                        receiver.handled.setdefault(headers["webhook-id"], verified)
                if number == receiver.hold_at:
                    receiver.held.set()
                    receiver.release.wait(timeout=60)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/ncnv"
        # Polled often, so that closing it (every webhook test does) is not a
        # wait of up to half a second, the default interval.
        self.thread = threading.Thread(
            target=self.server.serve_forever, args=(0.02,), daemon=True
        )
        self.thread.start()

    def bodies(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
