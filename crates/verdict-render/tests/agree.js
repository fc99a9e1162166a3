// Runs the page script's model over cases written by js_agreement.rs.
"use strict";
const fs = require("fs");
const model = require(process.argv[2]);
const cases = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const out = cases.map((c) => {
  const r = model.evaluate(JSON.parse(c.data), c.profile, c.overrides);
  return r && {
    outcome: r.outcome,
    pick: r.pick,
    scores: r.scores,
    confidence: r.confidence,
    deciding: r.decidingLabel,
    pickScores: r.pickScores,
    bottomLine: r.bottomLine,
    flip: r.flip,
    query: model.queryString(c.profile, c.overrides),
  };
});
process.stdout.write(JSON.stringify(out));
