// tests/browser/common.js - what the browser tests share: Debian's chromium launched headless
// through playwright-core (never a downloaded browser, no background network), PASS/FAIL lines,
// and the matched percent a flame graph search must show, computed from folded stacks.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

// A persistent context in a fresh profile directory (userData, to remove at the end), with the
// given viewport: { ctx, userData }.
async function launch(viewport) {
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), "pprofkit-chromium-"));
  const ctx = await chromium.launchPersistentContext(userData, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport,
  });
  return { ctx, userData };
}

// check(name, ok, why) prints PASS/FAIL browser/PREFIXname; failed() tells whether any failed.
function checker(prefix) {
  let failed = 0;
  const check = (name, ok, why) => {
    console.log(ok ? `PASS browser/${prefix}${name}` : `FAIL browser/${prefix}${name} (${why})`);
    if (!ok) failed = 1;
  };
  return { check, failed: () => failed };
}

// The share of the total (two decimals, as the graph prints it) of the folded stacks (text)
// that hold a frame matching re.
function expectedPercent(folded, re) {
  let total = 0, hit = 0;
  for (const line of folded.split("\n")) {
    if (!line) continue;
    const sp = line.lastIndexOf(" ");
    const v = Number(line.slice(sp + 1));
    total += v;
    if (line.slice(0, sp).split(";").some((f) => re.test(f))) hit += v;
  }
  return ((100 * hit) / total).toFixed(2);
}

module.exports = { launch, checker, expectedPercent };
