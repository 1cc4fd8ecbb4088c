// What bench/widget.mjs runs inside the page. Each export is serialized into the page by
// Playwright, so each is self-contained and keeps its findings on window.__bench.

/**
 * Installed before any of the page's scripts (page.addInitScript): records when <sms-panel>
 * fires sms-ready (ms since navigation start, the page's time origin), the worker's own boot
 * time from the event, and every long task on the page's main thread. Long tasks are those over
 * 50 ms; what exceeds 50 ms is what blocked input (total blocking time).
 */
export function loadProbe() {
  const bench = (window.__bench = { ready: null, bootMs: null, error: null, longTasks: [] });
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) bench.longTasks.push({ start: task.startTime, duration: task.duration });
  }).observe({ type: "longtask", buffered: true });
  // Capturing on the document: the event bubbles and is composed, and this runs first.
  document.addEventListener(
    "sms-ready",
    (event) => {
      bench.ready ??= performance.now();
      bench.bootMs ??= event.detail?.bootMs ?? null;
    },
    true,
  );
  document.addEventListener("sms-error", (event) => (bench.error ??= event.detail ?? "sms-error"), true);
}

/**
 * Called on the panel's textarea and counter (locator.evaluate with [textarea, counter]):
 * times each keystroke from its keydown (the event's own timestamp, so time the main thread
 * was busy before handling it counts) to the first change of the counter's text after it, and
 * to the animation frame after that change, in which it is painted.
 */
export function keystrokeProbe(counter, textarea) {
  const probe = (window.__keys = { samples: [], pending: null });
  textarea.addEventListener("keydown", (event) => (probe.pending = { down: event.timeStamp, changed: null }), true);
  new MutationObserver(() => {
    const pending = probe.pending;
    if (!pending || pending.changed !== null) return;
    pending.changed = performance.now();
    requestAnimationFrame(() => {
      const painted = performance.now();
      probe.samples.push({ changed: pending.changed - pending.down, painted: painted - pending.down });
      probe.pending = null;
    });
  }).observe(counter, { childList: true, characterData: true, subtree: true });
}
