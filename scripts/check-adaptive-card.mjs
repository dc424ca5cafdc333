// Checks a Teams Workflows webhook body (standard input) with Microsoft's Adaptive Cards SDK
// (tools/node_modules/adaptivecards): the envelope's one attachment must be an Adaptive Card
// of version 1.4 that the SDK parses and validates without a single warning (an unknown
// element or action, a property of the wrong type or value, a missing required one).
// Prints each problem and exits 1 when there is any. Used by the proxy's watcher tests.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(new URL("../tools/", import.meta.url));
const AC = require("adaptivecards/dist/adaptivecards.js");

const body = JSON.parse(readFileSync(0, "utf8"));
const problems = [];
const attachments = Array.isArray(body.attachments) ? body.attachments : [];
if (body.type !== "message") problems.push(`the envelope's type is ${JSON.stringify(body.type)}, not "message"`);
if (attachments.length !== 1) problems.push(`${attachments.length} attachments, not one`);
const attachment = attachments[0] ?? {};
if (attachment.contentType !== "application/vnd.microsoft.card.adaptive") {
  problems.push(`the attachment's contentType is ${JSON.stringify(attachment.contentType)}`);
}
const content = attachment.content ?? {};
if (content.version !== "1.4") problems.push(`the card's version is ${JSON.stringify(content.version)}, not "1.4"`);
const card = new AC.AdaptiveCard();
const context = new AC.SerializationContext(AC.Versions.v1_4);
card.parse(content, context);
for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
for (const p of problems) console.error(p);
process.exit(problems.length ? 1 : 0);
