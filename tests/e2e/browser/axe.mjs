// axe-core (served from node_modules into the test page only): WCAG 2.1 AA violations inside the
// page's first <sms-panel> (or what `selector` names: "body" for a whole page) — labels, roles,
// names and colour contrast. A page under a strict CSP needs the context's `bypassCSP` for it.
import { createRequire } from "node:module";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export async function violations(page, selector = "sms-panel") {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (selector) => {
    const result = await window.axe.run(document.querySelector(selector), {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, selector);
}
