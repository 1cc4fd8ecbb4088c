// Who a customer's reply reaches, in the panels of several agents (each in a browser context of
// their own), through every gateway as a real peer: Kannel (bearerbox, smsbox, fakesmsc), the
// Twilio-compatible fake and the SMPP simulator. The agent who last wrote to the customer gets
// the reply live; once the reply window is over, every agent of the address's queue does; an
// agent of another queue never sees it. The tests read what the agents read: the reply's text,
// who wrote, the announcement and the unread count, in German and English.
import { expect, test } from "./fixtures.mjs";
import { ageMessages, openAgent, routingConfig } from "./agents.mjs";
import { inboundUrl, startKannel } from "./kannel.mjs";
import { freePort, relayConfig, startRelay, stopRelay } from "./relay.mjs";
import { gsmHex, startSmsc } from "./smsc.mjs";
import { ACCOUNT_SID, AUTH_TOKEN, startTwilioFake } from "./twilio.mjs";

const CUSTOMER = "+4915112345678";
const OTHER_CUSTOMER = "+4915187654321";
const SERVICE = "+498912345678";
const SALES = "+493098765432";

test.describe("through Kannel", () => {
  let kannel;
  let own;
  test.use({ extraOrigins: async ({}, use) => use([own.url]) });

  test.beforeAll(async () => {
    // As an operator does it: the relay's configuration first, then its inbound URL for
    // Kannel's sms-service, then Kannel, then the relay.
    const [port, sendsmsPort] = [await freePort(), await freePort()];
    const gateway = `[gateways.kannel1]
type = "kannel"
sendsms_url = "http://127.0.0.1:${sendsmsPort}/cgi-bin/sendsms"
username = "relay"
password = "s3cret-relay"`;
    const config = routingConfig("kannel1", gateway);
    kannel = await startKannel({ smsServiceUrl: inboundUrl(relayConfig(config, port), "kannel1"), sendsmsPort });
    own = await startRelay({ config, port });
  });
  test.afterAll(() => {
    stopRelay(own);
    kannel?.stop();
  });

  test("a UCS-2 reply reaches the agent who wrote, intact, and no agent of another queue", async ({ browser }) => {
    const [anna, carl] = await Promise.all([
      openAgent(browser, own.url, { agent: "anna", queues: ["service"], lang: "de", to: CUSTOMER }),
      openAgent(browser, own.url, { agent: "carl", queues: ["sales"], lang: "en", to: CUSTOMER }),
    ]);
    await anna.sms.fillText("Passt Ihnen Dienstag um 10 Uhr?");
    await anna.sms.send();
    await expect(anna.items.first().getByTestId("thread-status")).toHaveText("zugestellt");
    // Anna moves on to another customer; meanwhile this one answers twice through Kannel.
    await anna.thread.getByTestId("thread-reply").click();
    await expect(anna.sms.textInput).toBeFocused();
    await anna.sms.fillTo("+4915199999999");
    await expect(anna.thread.getByTestId("thread-empty")).toHaveText("Noch keine Nachrichten mit dieser Nummer.");
    // (One after the other: smsbox passes messages on in parallel, so two at once may swap.)
    const first = "Grüße aus Köln 👋 – Dienstag passt, Čau!";
    await kannel.sendMo({ from: CUSTOMER, to: SERVICE, text: first, ucs2: true });
    await expect.poll(anna.received).toEqual([first]);
    await kannel.sendMo({ from: "004915112345678", to: "498912345678", text: "Bringen Sie 10€ {Rabatt} mit?" });
    await expect.poll(anna.received).toEqual([first, "Bringen Sie 10€ {Rabatt} mit?"]);
    // Back on the customer: both replies, counted in words.
    await anna.sms.fillTo(CUSTOMER);
    await expect(anna.thread.getByTestId("thread-unread")).toHaveText("2 neue Antworten");
    await expect(anna.items).toHaveCount(3);
    await expect(anna.items.nth(1)).toContainText("Kunde");
    await expect(anna.items.nth(1).locator(".bubble")).toHaveText(first);
    await expect(anna.items.nth(2).locator(".bubble")).toHaveText("Bringen Sie 10€ {Rabatt} mit?");

    // Carl (sales) hears of the sales number's replies only: this one is his, the others never were.
    await kannel.sendMo({ from: OTHER_CUSTOMER, to: SALES, text: "Is the offer still valid?" });
    await expect.poll(carl.received).toEqual(["Is the offer still valid?"]);
    await expect(carl.thread.getByTestId("thread-empty")).toHaveText("No messages with this number yet.");
    await Promise.all([anna.close(), carl.close()]);
  });
});

test.describe("through the Twilio-compatible fake", () => {
  let twilio;
  let own;
  test.use({ extraOrigins: async ({}, use) => use([own.url]) });

  test.beforeAll(async () => {
    twilio = await startTwilioFake();
    const gateway = `[gateways.twilio1]
type = "twilio"
account_sid = "${ACCOUNT_SID}"
auth_token = "${AUTH_TOKEN}"
base_url = "${twilio.url}"`;
    own = await startRelay({ config: routingConfig("twilio1", gateway) });
  });
  test.afterAll(() => {
    stopRelay(own);
    twilio?.stop();
  });

  test("a signed incoming-message webhook reaches the agent who wrote, live, in English", async ({ browser }) => {
    const [sam, bea] = await Promise.all([
      openAgent(browser, own.url, { agent: "sam", queues: ["sales"], lang: "en", to: CUSTOMER }),
      openAgent(browser, own.url, { agent: "bea", queues: ["service"], lang: "de", to: CUSTOMER }),
    ]);
    await sam.sms.fillText("Your order ships today.");
    await sam.sms.send();
    await expect(sam.items.first().getByTestId("thread-status")).toHaveText("delivered");
    const webhook = `${own.url}/v1/inbound/twilio/twilio1`;
    const answer = await twilio.incoming({ webhook, from: CUSTOMER, to: SALES, body: "Danke 👍 – bis morgen!" });
    expect(answer.status).toBe(200);
    await expect(sam.items.last().locator(".bubble")).toHaveText("Danke 👍 – bis morgen!");
    await expect(sam.items.last()).toContainText("Customer");
    await expect(sam.thread.getByTestId("thread-unread")).toHaveText("1 new reply");
    await expect(sam.notice).toHaveText(`New reply from ${CUSTOMER}`);

    // Bea (service) gets the service number's replies, never the sales conversation.
    await twilio.incoming({ webhook, from: OTHER_CUSTOMER, to: SERVICE, body: "Hallo Service" });
    await expect.poll(bea.received).toEqual(["Hallo Service"]);
    expect(await sam.received()).toEqual(["Danke 👍 – bis morgen!"]);
    await expect(bea.thread.getByTestId("thread-empty")).toHaveText("Noch keine Nachrichten mit dieser Nummer.");
    await Promise.all([sam.close(), bea.close()]);
  });
});

test.describe("through the SMPP simulator", () => {
  let smsc;
  let own;
  test.use({ extraOrigins: async ({}, use) => use([own.url]) });

  test.beforeAll(async () => {
    smsc = await startSmsc();
    const gateway = `[gateways.smsc1]
type = "smpp"
host = "127.0.0.1"
port = ${smsc.port}
system_id = "relay"
password = "secret"
reconnect_initial = 0.1`;
    own = await startRelay({ config: routingConfig("smsc1", gateway) });
    await smsc.bound();
  });
  test.afterAll(() => {
    stopRelay(own);
    smsc?.stop();
  });

  test("the agent who wrote gets the reply; after the window the queue's agents do; another queue's never", async ({ browser }) => {
    const [anna, ben, carl] = await Promise.all([
      openAgent(browser, own.url, { agent: "anna", queues: ["service"], lang: "de", to: CUSTOMER }),
      // Ben's send after the STOP is refused: the browser logs the 422.
      openAgent(browser, own.url, { agent: "ben", queues: ["service"], lang: "en", to: CUSTOMER, allowedErrors: /status of 422/ }),
      openAgent(browser, own.url, { agent: "carl", queues: ["sales"], lang: "de", to: CUSTOMER }),
    ]);
    // The SMSC writes international numbers without "+" (TON 1).
    const mo = (from, to, text, extra = {}) => smsc.deliver({ from: from.slice(1), to: to.slice(1), short_message: gsmHex(text), ...extra });
    const part = (seq, text) => ({ short_message: `0500035a03${seq.toString(16).padStart(2, "0")}${gsmHex(text)}`, esm_class: 0x40 });
    await anna.sms.fillText("Ist das Paket angekommen?");
    await anna.sms.send();
    await expect(anna.items.first()).toContainText("Ist das Paket angekommen?");

    // Within the window: Anna's, live.
    expect(await mo(CUSTOMER, SERVICE, "Ja, danke!")).toBe(0);
    await expect(anna.items.last().locator(".bubble")).toHaveText("Ja, danke!");
    await expect(anna.notice).toHaveText(`Neue Antwort von ${CUSTOMER}`);

    // Two hours later (the window is one): the queue's, Anna's and Ben's; a reply of three parts.
    ageMessages(own.dataDir, 2);
    const parts = ["Noch eine Frage: ", "kommt die Rechnung ", "per Post?"];
    for (const seq of [2, 1, 3]) expect(await mo(CUSTOMER, SERVICE, "", part(seq, parts[seq - 1]))).toBe(0);
    const whole = parts.join("");
    await expect(ben.items.last().locator(".bubble")).toHaveText(whole);
    await expect(ben.items.last()).toContainText("Customer");
    await expect(ben.notice).toHaveText(`New reply from ${CUSTOMER}`);
    // Ben sees the whole conversation of his queue, but only the queue's reply reached him live.
    await expect(ben.items.first()).toContainText("Colleague anna");
    await expect(ben.items.nth(1).locator(".bubble")).toHaveText("Ja, danke!");
    expect(await ben.received()).toEqual([whole]);
    await expect(anna.items.last().locator(".bubble")).toHaveText(whole);
    expect(await anna.received()).toEqual(["Ja, danke!", whole]);

    // Carl (sales) never: the sales number's reply is the first he hears of.
    expect(await mo(OTHER_CUSTOMER, SALES, "Gilt das Angebot noch?")).toBe(0);
    await expect.poll(carl.received).toEqual(["Gilt das Angebot noch?"]);
    await expect(carl.thread.getByTestId("thread-empty")).toHaveText("Noch keine Nachrichten mit dieser Nummer.");

    // STOP from the customer: in the thread, and the number is opted out for the whole queue.
    expect(await mo(CUSTOMER, SERVICE, "STOP")).toBe(0);
    await expect(ben.items.last().locator(".bubble")).toHaveText("STOP");
    await ben.sms.fillText("Sorry to hear that.");
    await ben.sms.send();
    await expect(ben.sms.error).toHaveText("This number has opted out of SMS (STOP). It cannot be sent to.");
    await Promise.all([anna.close(), ben.close(), carl.close()]);
  });
});
