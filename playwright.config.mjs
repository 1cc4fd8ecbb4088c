// Browser tests: real headless Chromium (Debian's, never a downloaded one) against a real relay.
import { defineConfig } from "@playwright/test";

// The flags and Debian's Chromium come from the selector contract the QA kit shares
// (widget/testing/contract.js), so the pytest plugin's defaults are the same.
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "./widget/testing/contract.js";

export { CHROMIUM_ARGS };

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
    launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS },
    actionTimeout: 15_000,
    trace: "off",
  },
});
