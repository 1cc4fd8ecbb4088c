/**
 * The reference counter for the benchmark: Twilio's sms-segments-calculator (SegmentedMessage,
 * encoding "auto", no smart encoding) over JSON lines {"text": ...} on stdin, one JSON line
 * {"encoding", "segments", "units"} per input on stdout. Encoding names are written the way
 * smscompose writes them (GSM_7BIT / UCS2); units are septets (an escaped character counts 2) or
 * UTF-16 code units, the same units smscompose counts in.
 *
 * Usage: node bench/twilio_count.mjs [--parts] < corpus.jsonl > answers.jsonl
 *   --parts  also write each segment's text and the graphemes Twilio finds non-GSM (for
 *            diagnosing disagreements; not used in the timed runs)
 */
import { readFileSync } from "node:fs";
import { SegmentedMessage } from "sms-segments-calculator";

const withParts = process.argv.includes("--parts");
const ENCODING = { "GSM-7": "GSM_7BIT", "UCS-2": "UCS2" };

const out = [];
for (const line of readFileSync(0, "utf8").split("\n")) {
  if (line === "") continue;
  const message = new SegmentedMessage(JSON.parse(line).text, "auto");
  const answer = {
    encoding: ENCODING[message.encodingName],
    segments: message.segmentsCount,
    units: message.messageSize / (message.encodingName === "GSM-7" ? 7 : 16),
  };
  if (withParts) {
    // Array.from: Segment subclasses Array, and its species constructor adds header entries.
    answer.parts = message.segments.map((segment) =>
      Array.from(segment, (char) => char.raw ?? "").join(""),
    );
    answer.non_gsm = message.getNonGsmCharacters();
  }
  out.push(JSON.stringify(answer));
}
process.stdout.write(out.join("\n") + (out.length ? "\n" : ""));
