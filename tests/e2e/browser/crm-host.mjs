// The CRM in cross-origin tests: a real HTTP server on localhost (another origin than the
// relay's 127.0.0.1). Pages come from the tests: POST /__pages {path, html, headers} registers
// one. A real server, not request interception, so Chromium sees a loopback page talking to a
// loopback relay, as on an agent's machine with a local CRM.
import { createServer } from "node:http";

export function startCrmHost(port) {
  const pages = new Map();
  const server = createServer((request, response) => {
    if (request.method === "POST" && request.url === "/__pages") {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        const page = JSON.parse(body);
        pages.set(page.path, page);
        response.writeHead(204).end();
      });
      return;
    }
    const page = pages.get(new URL(request.url, "http://x").pathname);
    if (!page) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("no such page");
      return;
    }
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", ...page.headers });
    response.end(page.html);
  });
  return new Promise((resolve) => server.listen(port, "localhost", () => resolve(server)));
}

/** Registers a page on the CRM host; returns its URL. */
export async function crmPage(origin, path, html, headers = {}) {
  const response = await fetch(`${origin}/__pages`, { method: "POST", body: JSON.stringify({ path, html, headers }) });
  if (!response.ok) throw new Error(`registering ${path}: HTTP ${response.status}`);
  return `${origin}${path}`;
}
