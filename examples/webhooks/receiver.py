import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

webhook = Webhook(os.environ["WEBHOOK_SECRET"])  # whsec_…, as the relay showed it once
seen: set[str] = set()  # in a CRM: a unique key on the event id in its database


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            # The signature over id, timestamp and body; a timestamp over 5 minutes off fails.
            event = webhook.verify(body, dict(self.headers))
        except WebhookVerificationError:
            self.send_response(400)
            self.end_headers()
            return
        if event["id"] not in seen:  # sent at least once: the same event may come again
            seen.add(event["id"])
            print(json.dumps(event), flush=True)  # here: file it on the contact's record
        self.send_response(204)
        self.end_headers()


port = int(os.environ.get("PORT", "8080"))
ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
