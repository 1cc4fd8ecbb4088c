// What an agent notices who asks the system for dark colours or for less motion: the panel
// turns dark and stays readable (a host's own colours still win), and nothing in it moves.
import { violations } from "./axe.mjs";
import { expect, test } from "./fixtures.mjs";

// WCAG 2.1 relative luminance and contrast ratio of computed "rgb(r, g, b)" colours.
const channels = (css) => css.match(/[\d.]+/g).slice(0, 3).map(Number);
function luminance(css) {
  const [r, g, b] = channels(css).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** Text and background colours as computed in the panel: [name, text, background]. */
function colours(sms) {
  return sms.root.evaluate((el) => {
    const root = el.shadowRoot;
    const style = (testid) => getComputedStyle(testid ? root.querySelector(`[data-testid="${testid}"]`) : el);
    const panel = style();
    return [
      ["panel", panel.color, panel.backgroundColor],
      ["text field", style("text-input").color, panel.backgroundColor],
      ["To field", style("to-input").color, style("to-input").backgroundColor],
      ["cost hint", style("cost").color, panel.backgroundColor],
      ["problems", style("problems").color, panel.backgroundColor],
      ["segment", getComputedStyle(root.querySelector("[data-testid=segment] pre")).color, getComputedStyle(root.querySelector("[data-testid=segment] pre")).backgroundColor],
      ["Send", style("send-button").color, style("send-button").backgroundColor],
    ];
  });
}

async function compose(sms) {
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillTo("12");
  await sms.fillText(`„Hallo“ ${"x".repeat(1600)}`);
  await sms.previewButton.click();
  await sms.dialpadButton.click();
  await expect(sms.problems).toBeVisible();
}

function expectReadable(pairs) {
  for (const [name, text, background] of pairs) {
    expect(contrast(text, background), `${name}: ${text} on ${background}`).toBeGreaterThanOrEqual(4.5);
  }
}

test.describe("dark colour scheme", () => {
  test.use({ colorScheme: "dark" });

  test("the panel is dark with light text, readable in every state, and axe finds nothing", async ({ host, page }) => {
    const sms = await host({ attributes: { lang: "en" } });
    expect(await violations(page)).toEqual([]);
    await compose(sms);
    const pairs = await colours(sms);
    const [, text, background] = pairs[0];
    expect(luminance(background)).toBeLessThan(0.05);
    expect(luminance(text)).toBeGreaterThan(0.7);
    expectReadable(pairs);
    await expect(sms.forcing).toBeVisible();
    expect(await violations(page)).toEqual([]);

    await sms.fillTo("0151 23456789");
    await sms.fillText("Dark and readable");
    await sms.send();
    await sms.waitForStatus("delivered");
    expect(await violations(page)).toEqual([]);
  });

  test("a host's colours still win over the dark defaults", async ({ host }) => {
    const sms = await host({
      head: `<style>sms-panel { --sms-panel-background: #fffbeb; --sms-panel-foreground: #1c1917; }</style>`,
    });
    await compose(sms);
    const [[, text, background]] = await colours(sms);
    expect([text, background]).toEqual(["rgb(28, 25, 23)", "rgb(255, 251, 235)"]);
  });
});

test("switching the system to dark while composing changes the colours and loses nothing", async ({ host, page }) => {
  const sms = await host({ attributes: { lang: "en" } });
  await compose(sms);
  const light = await colours(sms);
  expect(luminance(light[0][2])).toBeGreaterThan(0.9);
  expectReadable(light);
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await colours(sms);
  expect(luminance(dark[0][2])).toBeLessThan(0.05);
  expectReadable(dark);
  for (let i = 0; i < light.length; i++) expect(dark[i], light[i][0]).not.toEqual(light[i]);
  await expect(sms.textInput).toHaveValue(`„Hallo“ ${"x".repeat(1600)}`);
});

/** Every element in the panel's shadow tree and the open shadow roots in it (the emoji
 * picker's) with a transition or an animation that takes time. */
function moving(sms) {
  return sms.root.evaluate((el) => {
    const found = [];
    const takesTime = (durations) => durations.split(",").some((d) => parseFloat(d) > 0);
    const walk = (root) => {
      for (const node of root.querySelectorAll("*")) {
        const style = getComputedStyle(node);
        const name = `${node.localName}${node.className && typeof node.className === "string" ? `.${node.className.trim().split(/\s+/).join(".")}` : ""}`;
        if (takesTime(style.transitionDuration)) found.push(`${name}: transition ${style.transitionDuration}`);
        if (style.animationName !== "none" && takesTime(style.animationDuration)) found.push(`${name}: animation ${style.animationDuration}`);
        if (node.shadowRoot) walk(node.shadowRoot);
      }
    };
    walk(el.shadowRoot);
    return found;
  });
}

async function openEverything(sms) {
  await sms.open();
  await sms.chooseQueue("service");
  await sms.fillText("x".repeat(200));
  await sms.previewButton.click();
  await sms.dialpadButton.click();
  await sms.emojiButton.click();
  await expect(sms.root.getByTestId("emoji-picker-element").getByRole("combobox")).toBeVisible();
}

test.describe("reduced motion", () => {
  test.use({ reducedMotion: "reduce" });

  test("nothing moves: no transition or animation in the panel or its emoji picker", async ({ host }) => {
    const sms = await host({ attributes: { lang: "en" } });
    await openEverything(sms);
    expect(await moving(sms)).toEqual([]);
  });
});

test("without that wish the emoji picker animates (what the check above would catch)", async ({ host }) => {
  const sms = await host({ attributes: { lang: "en" } });
  await openEverything(sms);
  expect((await moving(sms)).length).toBeGreaterThan(0);
});
