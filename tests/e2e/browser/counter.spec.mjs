// The live counter at the bottom right, at the GSM, UCS2 and escape boundaries, always equal to
// what the compose core computes in CPython (what the relay checks and the company is billed).
import { coreCount, expect, test } from "./fixtures.mjs";

const BOUNDARIES = [
  ["empty", ""],
  ["160 GSM: one segment", "x".repeat(160)],
  ["161 GSM: two", "x".repeat(161)],
  ["the seed's example", "x".repeat(225)],
  ["escape at the edge: 159 + { is 161 septets", `${"x".repeat(159)}{`],
  ["escape ] pushes a part over 153", `${"x".repeat(152)}]${"y".repeat(10)}`],
  ["euro sign counts two", "€".repeat(80)],
  ["70 UCS2: one segment", "Ж".repeat(70)],
  ["71 UCS2: two", "Ж".repeat(71)],
  ["emoji are two UTF-16 units", "😀".repeat(35)],
  ["one emoji too many", "😀".repeat(36)],
  ["a ZWJ family is not cut", `${"Ж".repeat(66)}👨‍👩‍👧‍👦`],
  ["1600 GSM", "Lorem ipsum dolor sit amet. ".repeat(58).slice(0, 1600)],
];

test("the counter matches the core at every boundary", async ({ host }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("service");
  await sms.previewButton.click();
  for (const [name, text] of BOUNDARIES) {
    const core = coreCount(text);
    await sms.fillText(text);
    await expect(sms.counter, name).toHaveText(core.counter);
    await expect(sms.segments, name).toHaveCount(core.parts.length);
    if (core.parts.length) {
      await expect(sms.segments.locator("pre"), name).toHaveText(core.parts);
    }
  }
});

test("typing { or ] raises the count by two", async ({ host }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillText("");
  await sms.typeText("ab");
  await expect(sms.counter).toHaveText("2 – [GSM_7BIT 1]");
  await sms.typeText("{");
  await expect(sms.counter).toHaveText("4 – [GSM_7BIT 1]");
  await sms.typeText("]");
  await expect(sms.counter).toHaveText("6 – [GSM_7BIT 1]");
  await sms.textInput.press("Backspace");
  await expect(sms.counter).toHaveText("4 – [GSM_7BIT 1]");
});

test("characters that force UCS2 are highlighted and the suggestion fixes them in one click", async ({ host }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("service");
  const text = `„Guten Tag“ – wir melden uns… ${"x".repeat(120)}`;
  await sms.fillText(text);
  const core = coreCount(text);
  await expect(sms.counter).toHaveText(core.counter);
  expect(core.encoding).toBe("UCS2");
  await expect(sms.forcing.locator("mark")).toHaveText(["„", "“", "–", "…"]);
  // The same characters are marked in place, behind the text.
  await expect(sms.root.locator(".backdrop mark")).toHaveText(["„", "“", "–", "…"]);
  await expect(sms.suggestionApply).toContainText("1 statt 3");
  await sms.suggestionApply.click();
  const fixed = `"Guten Tag" - wir melden uns... ${"x".repeat(120)}`;
  await expect(sms.textInput).toHaveValue(fixed);
  await expect(sms.counter).toHaveText(coreCount(fixed).counter);
  await expect(sms.forcing).toBeHidden();
  await expect(sms.suggestionApply).toBeHidden();
  await expect(sms.textInput).toBeFocused();
});

test("more segments than allowed: the counter turns red, the reason shows, Send is disabled", async ({ host }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo("0151 23456789");
  await sms.fillText("x".repeat(1531));
  await expect(sms.counter).toHaveText("1531 – [GSM_7BIT 11]");
  await expect(sms.counter).toHaveClass(/over/);
  await expect(sms.problems).toContainText("11");
  await expect(sms.sendButton).toBeDisabled();
  await sms.fillText("x".repeat(1530));
  await expect(sms.counter).toHaveText("1530 – [GSM_7BIT 10]");
  await expect(sms.sendButton).toBeEnabled();
});

test("the cost hint follows the segments", async ({ host }) => {
  const sms = await host();
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillText("x".repeat(225));
  await expect(sms.cost).toHaveText("ca. 0,14 €");
});
