// Browser tests: real headless Chromium (Debian's, never a downloaded one) against a real relay.
import { defineConfig } from "@playwright/test";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "tests/e2e/browser",
  testMatch: "*.spec.mjs",
  globalSetup: "./tests/e2e/browser/global-setup.mjs",
  // 2 cores: one browser at a time keeps Pyodide's boot from starving the relay.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS },
    actionTimeout: 15_000,
    trace: "off",
  },
});
