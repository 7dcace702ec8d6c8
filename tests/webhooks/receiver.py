"""A webhook receiver on 127.0.0.1 that verifies each delivery as a partner would,
with the `standardwebhooks` library, and can be down, failing, or holding a request."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """`deliveries`: the verified bodies it acknowledged, with their webhook-id.
    `answer`: the status it sends (a 5xx to fail). `hold`: when set, the next
    request waits for `release` and the connection closes unanswered."""

    def __init__(self, secret: str, port: int | None = None):
        self.verifier = Webhook(secret)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/hooks"
        self.deliveries: list[dict] = []
        self.rejected: list[str] = []
        self.answer = 204
        self.hold = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self.server = None

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.hold:
                    receiver.hold = False
                    receiver.holding.set()
                    receiver.release.wait(30)
                    self.close_connection = True
                    return
                try:
                    receiver.verifier.verify(body, dict(self.headers))
                except WebhookVerificationError as error:
                    receiver.rejected.append(str(error))
                    self.send_response(400)
                    self.end_headers()
                    return
                if receiver.answer < 300:
                    receiver.deliveries.append(
                        {"id": self.headers["webhook-id"], "body": json.loads(body)}
                    )
                self.send_response(receiver.answer)
                self.end_headers()

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def ids(self):
        return [d["id"] for d in self.deliveries]

    def types(self):
        return [d["body"]["type"] for d in self.deliveries]
