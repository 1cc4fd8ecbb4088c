// An SMSC simulator for tests: a real SMPP 3.4 peer built on the npm `smpp` package, plus a
// small JSON control API to inspect what it received and to make it misbehave.
//
//   node tests/support/peers/smsc_simulator.mjs --port 0 --control-port 0 \
//        --system-id X --password Y [--receipt-delay-ms 200] [--receipt-tries 5] [--receipt-retry-ms 200] [--journal FILE]
//
// --journal appends every submit_sm record as one JSON line before its response is written, so
// a test counts what this SMSC took across restarts and kills of the simulator.
// Listens on 127.0.0.1 only and prints one line `READY smpp=<port> control=<port>`.
//
// Control API (JSON):
//   GET  /submits   every submit_sm recorded, oldest first
//   GET  /binds     every bind attempt (accepted or refused), with the enquire_links it sent and
//                   whether it unbound
//   GET  /receipts  every delivery receipt sent, with the ESME's deliver_sm_resp status
//   POST /deliver   a customer's message to the ESME (a deliver_sm that is not a receipt) on a
//                   receiving bind: {"from", "to", "short_message": hex, "data_coding": 0,
//                   "esm_class": 0 (0x40 with a UDH), "connection": n (optional)}; answers {"command_status"} of the ESME's
//                   deliver_sm_resp, 409 without a receiving bind, 504 without an answer in 5 s
//   POST /reset     forget everything recorded and go back to the default mode
//   POST /mode      merge settings into the mode, e.g.
//                   {"fail_numbers": {"+4915100000001": "UNDELIV"},  final receipt status
//                    "reject": {"+4915100000002": 8},                submit_sm_resp error
//                    "drop_after_submits": 3,   close every connection after 3 more submits
//                    "throttle": false,         true: every submit_sm gets ESME_RTHROTTLED
//                    "throttle_after_submits": 1,   throttle on after 1 more accepted submit
//                    "submit_delay_ms": 200}    answer every submit_sm this much later (a slow SMSC)
// Numbers in fail_numbers/reject match the destination with or without its leading '+'.

import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import smpp from 'smpp';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'control-port': { type: 'string', default: '0' },
    'system-id': { type: 'string', default: 'test' },
    password: { type: 'string', default: 'secret' },
    'receipt-delay-ms': { type: 'string', default: '200' },
    'receipt-tries': { type: 'string', default: '5' },
    'receipt-retry-ms': { type: 'string', default: '' },
    journal: { type: 'string', default: '' },
  },
});
const HOST = '127.0.0.1';
const SYSTEM_ID = args['system-id'];
const PASSWORD = args.password;
const RECEIPT_DELAY_MS = Number(args['receipt-delay-ms']);
// How often, and how far apart, a receipt the ESME did not take is delivered again. A real SMSC
// keeps trying for the message's validity period; a test holding the relay's database away
// for seconds needs more than the default few tries.
const RECEIPT_TRIES = Number(args['receipt-tries']);
const RECEIPT_RETRY_MS = Number(args['receipt-retry-ms'] || args['receipt-delay-ms']);
const JOURNAL = args.journal;

// Record short_message and the time fields exactly as sent: without this the package decodes
// them (text with a guessed charset, Dates), and the tests compare bytes.
for (const field of ['short_message', 'schedule_delivery_time', 'validity_period']) {
  delete smpp.commands.submit_sm.params[field].filter;
}

// message_state values (SMPP 3.4 §5.2.28) for the receipt's stat: word.
const MESSAGE_STATE = {
  ENROUTE: 1, DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, ACCEPTD: 6, UNKNOWN: 7, REJECTD: 8,
};

const defaultMode = () => ({
  fail_numbers: {}, reject: {}, drop_after_submits: null, throttle: false, throttle_after_submits: null,
  submit_delay_ms: 0,
});
let mode = defaultMode();
let submits = [];
let binds = [];
let receipts = [];
// Never reset, so ids stay unique for the process's life; started from the clock, so a
// simulator started again (as an SMSC restarts) does not hand out its earlier ids once more.
let nextMessageId = Date.now() * 16;
let nextConnection = 1;
let generation = 0;      // bumped by /reset: receipts scheduled before it are dropped
const sessions = new Set();
// Receipts waiting for a receiver bind of their system_id (its session was gone).
const queued = [];

const log = (...parts) => console.error('[smsc]', ...parts);

function lookup(table, number) {
  const bare = number.replace(/^\+/, '');
  return table[number] ?? table[bare] ?? table[`+${bare}`];
}

// YYMMDDhhmm, the date format of the receipt text (SMPP 3.4 Appendix B).
function receiptDate(date) {
  const two = (n) => String(n).padStart(2, '0');
  return two(date.getUTCFullYear() % 100) + two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) + two(date.getUTCHours()) + two(date.getUTCMinutes());
}

// The first 20 characters for the receipt's text: field, printable ASCII only.
function receiptText(record) {
  let body = Buffer.from(record.short_message, 'hex');
  if (record.esm_class & 0x40 && body.length) body = body.subarray(body[0] + 1);
  const text = (record.data_coding & 0x0f) === 8
    ? Buffer.from(body.subarray(0, body.length & ~1)).swap16().toString('utf16le')
    : body.toString('latin1');
  return [...text].slice(0, 20).map((c) => (c >= ' ' && c <= '~' ? c : '.')).join('');
}

function canReceive(session) {
  return !session.dropping && (session.bound === 'trx' || session.bound === 'rx');
}

// Send one receipt on a receiving session of its system_id, or queue it until one binds.
// A deliver_sm_resp with an error status (or none at all) makes it try again later.
function deliverReceipt(receipt) {
  if (receipt.generation !== generation) return;
  const session = [receipt.session, ...sessions].find(
    (s) => s && sessions.has(s) && canReceive(s) && s.systemId === receipt.systemId,
  );
  if (!session) {
    queued.push(receipt);
    return;
  }
  receipt.tries += 1;
  const entry = { message_id: receipt.id, stat: receipt.stat, connection: session.connection, status: null };
  receipts.push(entry);
  let settled = false;
  const settle = (ok) => {
    if (settled) return;
    settled = true;
    if (!ok && receipt.tries < RECEIPT_TRIES) {
      setTimeout(() => deliverReceipt(receipt), RECEIPT_RETRY_MS);
    }
  };
  const sent = session.deliver_sm({
    source_addr_ton: receipt.record.dest_addr_ton,
    source_addr_npi: receipt.record.dest_addr_npi,
    source_addr: receipt.record.destination_addr,
    dest_addr_ton: receipt.record.source_addr_ton,
    dest_addr_npi: receipt.record.source_addr_npi,
    destination_addr: receipt.record.source_addr,
    esm_class: 0x04,
    data_coding: 0,
    short_message: Buffer.from(receipt.text, 'latin1'),
    receipted_message_id: receipt.id,
    message_state: MESSAGE_STATE[receipt.stat] ?? MESSAGE_STATE.UNKNOWN,
  }, (resp) => {
    entry.status = resp.command_status;
    settle(resp.command_status === 0);
  });
  if (!sent) return settle(false);
  // No answer at all (the connection died): try again, as an SMSC would.
  setTimeout(() => settle(false), Math.max(1000, 5 * RECEIPT_DELAY_MS));
}

function scheduleReceipt(session, record) {
  const stat = lookup(mode.fail_numbers, record.destination_addr) ?? 'DELIVRD';
  const submitted = new Date();
  const scheduled = generation;
  setTimeout(() => {
    const delivered = stat === 'DELIVRD' ? '001' : '000';
    const err = stat === 'DELIVRD' ? '000' : '001';
    const text = `id:${record.message_id} sub:001 dlvrd:${delivered} ` +
      `submit date:${receiptDate(submitted)} done date:${receiptDate(new Date())} ` +
      `stat:${stat} err:${err} text:${receiptText(record)}`;
    deliverReceipt({
      id: record.message_id, stat, text, record, session, systemId: session.systemId, tries: 0, generation: scheduled,
    });
  }, RECEIPT_DELAY_MS);
}

// Cut every connection at once, as a network failure would: a TCP reset, right after the
// response already written, so the ESME reads that response and then finds the connection gone
// (the PDUs still unread here are lost).
function dropAll() {
  for (const session of sessions) {
    session.dropping = true;
    session.pause();
    session.socket.resetAndDestroy();
  }
}

function onSubmit(session, pdu) {
  if (session.dropping) return;  // arrived after the cut: never seen
  if (session.bound !== 'trx' && session.bound !== 'tx') {
    session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
    return;
  }
  const record = {
    connection: session.connection,
    sequence: pdu.sequence_number,
    system_id: session.systemId,
    source_addr_ton: pdu.source_addr_ton,
    source_addr_npi: pdu.source_addr_npi,
    source_addr: pdu.source_addr,
    dest_addr_ton: pdu.dest_addr_ton,
    dest_addr_npi: pdu.dest_addr_npi,
    destination_addr: pdu.destination_addr,
    esm_class: pdu.esm_class,
    data_coding: pdu.data_coding,
    registered_delivery: pdu.registered_delivery,
    validity_period: pdu.validity_period,
    short_message: Buffer.from(pdu.short_message).toString('hex'),
    message_id: null,
    command_status: 0,
  };
  const rejected = lookup(mode.reject, pdu.destination_addr);
  record.command_status = mode.throttle ? smpp.ESME_RTHROTTLED : (rejected ?? 0);
  if (record.command_status === 0) {
    record.message_id = (nextMessageId++).toString(16).toUpperCase().padStart(10, '0');
    if (mode.throttle_after_submits !== null && --mode.throttle_after_submits <= 0) {
      mode.throttle_after_submits = null;
      mode.throttle = true;
    }
  }
  submits.push(record);
  if (JOURNAL) fs.appendFileSync(JOURNAL, `${JSON.stringify(record)}\n`);
  if (mode.submit_delay_ms > 0) {
    // A slow SMSC: the answer (and the receipt after it) comes later; the PDU is taken.
    setTimeout(() => answerSubmit(session, pdu, record, false), mode.submit_delay_ms);
    return;
  }

  let drop = false;
  if (mode.drop_after_submits !== null) {
    mode.drop_after_submits -= 1;
    if (mode.drop_after_submits <= 0) {
      mode.drop_after_submits = null;
      drop = true;
      // Stop reading now: submit_sm PDUs behind this one are lost with the connection.
      for (const s of sessions) { s.dropping = true; s.pause(); }
    }
  }
  answerSubmit(session, pdu, record, drop);
}

function answerSubmit(session, pdu, record, drop) {
  if (!sessions.has(session)) return;  // the connection is gone: the ESME never hears
  const resp = record.command_status === 0
    ? pdu.response({ message_id: record.message_id })
    : pdu.response({ command_status: record.command_status });
  // The response goes out first (written to the socket at once), then the cut.
  session.send(resp);
  if (drop) dropAll();
  if (record.command_status === 0 && (pdu.registered_delivery & 0x03)) {
    scheduleReceipt(session, record);
  }
}

function onBind(session, pdu, kind) {
  const ok = pdu.system_id === SYSTEM_ID && pdu.password === PASSWORD && !session.bound;
  const record = {
    connection: session.connection, kind, system_id: pdu.system_id, ok, enquire_links: 0, unbound: false,
  };
  binds.push(record);
  if (!ok) {
    const status = session.bound ? smpp.ESME_RALYBND : smpp.ESME_RBINDFAIL;
    session.send(pdu.response({ command_status: status }), () => session.close());
    return;
  }
  session.bound = kind;
  session.systemId = pdu.system_id;
  session.record = record;
  session.send(pdu.response({ system_id: 'SMSCSIM' }));
  // Receipts that waited for a receiver.
  if (canReceive(session)) {
    for (const receipt of queued.splice(0)) deliverReceipt(receipt);
  }
}

const server = smpp.createServer((session) => {
  session.connection = nextConnection++;
  // No Nagle: a response is on the wire when send() returns, so a drop after it loses nothing.
  session.socket.setNoDelay(true);
  session.bound = null;
  sessions.add(session);
  session.on('close', () => sessions.delete(session));
  session.on('error', (error) => log(`connection ${session.connection}:`, error.message));
  session.on('bind_transceiver', (pdu) => onBind(session, pdu, 'trx'));
  session.on('bind_transmitter', (pdu) => onBind(session, pdu, 'tx'));
  session.on('bind_receiver', (pdu) => onBind(session, pdu, 'rx'));
  session.on('submit_sm', (pdu) => onSubmit(session, pdu));
  session.on('enquire_link', (pdu) => {
    if (session.record) session.record.enquire_links += 1;
    session.send(pdu.response());
  });
  session.on('unbind', (pdu) => {
    if (session.record) session.record.unbound = true;
    session.bound = null;
    session.send(pdu.response(), () => session.close());
  });
  session.on('unknown', (pdu) => session.send(pdu.response()));  // generic_nack
});
server.on('error', (error) => {
  log(error.message);
  process.exit(1);
});

// A mobile-originated message, as a handset's SMS reaches the ESME through this SMSC.
function deliverMo(res, body) {
  let mo;
  try {
    mo = JSON.parse(body || '{}');
  } catch {
    return json(res, 400, { error: 'body is not JSON' });
  }
  // "connection": that bind's connection (as /binds numbers them), else any receiving one.
  const session = [...sessions].find((s) => canReceive(s) && (mo.connection == null || s.connection === mo.connection));
  if (!session) return json(res, 409, { command_status: null, error: 'no receiving bind' });
  let answered = false;
  const timer = setTimeout(() => {
    if (!answered) json(res, 504, { command_status: null, error: 'no deliver_sm_resp' });
    answered = true;
  }, 5000);
  session.deliver_sm({
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: mo.from,
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: mo.to,
    esm_class: mo.esm_class ?? 0,
    data_coding: mo.data_coding ?? 0,
    short_message: Buffer.from(mo.short_message ?? '', 'hex'),
  }, (resp) => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    json(res, 200, { command_status: resp.command_status });
  });
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const control = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const route = `${req.method} ${req.url}`;
    if (route === 'GET /submits') return json(res, 200, submits);
    if (route === 'GET /binds') return json(res, 200, binds);
    if (route === 'GET /receipts') return json(res, 200, receipts);
    if (route === 'POST /deliver') return deliverMo(res, body);
    if (route === 'POST /reset') {
      mode = defaultMode();
      generation += 1;
      submits = [];
      binds = [];
      receipts = [];
      queued.length = 0;
      return json(res, 200, mode);
    }
    if (route === 'POST /mode') {
      let settings;
      try {
        settings = JSON.parse(body || '{}');
      } catch {
        return json(res, 400, { error: 'body is not JSON' });
      }
      const unknown = Object.keys(settings).filter((key) => !(key in mode));
      if (unknown.length) return json(res, 400, { error: `unknown settings: ${unknown}` });
      mode = { ...mode, ...settings };
      return json(res, 200, mode);
    }
    return json(res, 404, { error: `no route ${route}` });
  });
});

server.listen(Number(args.port), HOST, () => {
  control.listen(Number(args['control-port']), HOST, () => {
    console.log(`READY smpp=${server.address().port} control=${control.address().port}`);
  });
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const session of sessions) session.socket.destroy();
    server.close();
    control.close();
    process.exit(0);
  });
}
