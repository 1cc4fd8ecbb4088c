import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.WEBHOOK_SECRET); // whsec_…, as the relay showed it once
const seen = new Set(); // in a CRM: a unique key on the event id in its database

createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    let event;
    try {
      // The raw body, as it came: the signature covers id, timestamp and these bytes.
      event = webhook.verify(Buffer.concat(chunks).toString("utf8"), request.headers);
    } catch {
      response.writeHead(400).end(); // forged, changed, or a timestamp over 5 minutes off
      return;
    }
    if (!seen.has(event.id)) { // sent at least once: the same event may come again
      seen.add(event.id);
      console.log(JSON.stringify(event)); // here: file it on the contact's record
    }
    response.writeHead(204).end();
  });
}).listen(Number(process.env.PORT ?? 8080), "127.0.0.1");
