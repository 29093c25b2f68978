// tests/browser/web.test.js DIR [SHOTS]
//
// The web UI in Debian's chromium (headless, playwright-core), as a user drives it. DIR holds
// what tests/browser/web prepared: url (the server's address), the expected reports written by
// one-shot pprofkit commands (top.json, top-focus.json, top-samples.json, top-files.json, peek.txt, cpu.folded)
// and report.html (`pprofkit html -base`) with compare.json. Checks:
// - the page loads on the flame graph with no console error, no page error, and no request
//   leaving 127.0.0.1;
// - search (the shared box) colours flame frames, with the matched percent the folded stacks
//   give (computed here from cpu.folded);
// - the Top view's table has the rows and numbers of `top -format=json`; sorting by a column
//   works; search highlights the matching rows;
// - Refine > Focus with the search applies -focus (the table is then `top -focus`), the filter
//   shows as a chip, the URL holds it; Back returns to the unfocused table;
// - Graph, Peek and Source views render; keyboard: "/" focuses search, digits switch views;
// - the sample-type and granularity selectors change the view (`top -sample_index=samples`);
// - a bad regexp is a message on the page, and the UI keeps working;
// - the html report (a file) opens offline: flame, top and compare views, search, no request;
// - SHOTS given: screenshots saved there (web-flame.png, web-top.png, web-graph.png,
//   web-report.png) for the README.
// Prints PASS/FAIL lines (browser/web-NAME); exits 1 if anything failed.
"use strict";
const fs = require("fs");
const path = require("path");
const { launch, checker, expectedPercent } = require("./common");

const [dir, shots] = process.argv.slice(2);
const rd = (f) => fs.readFileSync(path.join(dir, f), "utf8");
const url = rd("url").trim();
const folded = rd("cpu.folded");
const { check, failed } = checker("web-");
const rowsOf = (j) => j.rows.map((r) => [r.flat_scaled, r.cum_scaled, r.name]);

(async () => {
  const { ctx, userData } = await launch({ width: 1400, height: 860 });
  let errors = [];
  const local = url.replace(/\/$/, "");
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    page.setDefaultTimeout(20000);
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      const u = r.url();
      if (!u.startsWith(local) && !u.startsWith("file:") && !u.startsWith("about:") && !u.startsWith("data:"))
        errors.push("request " + u);
    });
    const tableRows = () => page.evaluate(() => Array.from(document.querySelectorAll("#view table tbody tr")).map(
      (tr) => [tr.children[0].textContent, tr.children[3].textContent, tr.children[5].textContent.replace(/ \(inline\)$/, "")]));
    const waitTable = () => page.waitForFunction(() => document.querySelector("#view table tbody tr"));
    const waitFrame = (cls, sel) => page.waitForFunction(([c, s]) => {
      const f = document.querySelector("#view iframe." + c);
      return f && f.contentDocument && f.contentDocument.querySelector(s);
    }, [cls, sel]);

    // 1. The page, on the flame graph.
    await page.goto(url);
    await waitFrame("flame", "g.f");
    const nframes = await page.evaluate(() => document.querySelector("iframe.flame").contentDocument.querySelectorAll("g.f").length);
    check("flame-loads", nframes > 10 && /v=flame/.test(page.url()), `${nframes} frames, url ${page.url()}`);

    // 2. Search: "/" focuses the box; the flame graph colours the matches.
    await page.keyboard.press("/");
    const focused = await page.evaluate(() => document.activeElement.id);
    await page.keyboard.type("sortx");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => {
      const d = document.querySelector("iframe.flame").contentDocument;
      return d && /Matched/.test(d.getElementById("matched").textContent);
    });
    const matched = await page.evaluate(() => document.querySelector("iframe.flame").contentDocument.getElementById("matched").textContent);
    const want = expectedPercent(folded, /sortx/);
    check("search-flame", focused === "search" && matched === `Matched: ${want}%`, `focus on ${focused}, '${matched}', folded stacks say ${want}%`);
    if (shots) await page.screenshot({ path: path.join(shots, "web-flame.png") });

    // 3. Top: the rows of top -format=json, search highlights.
    await page.click('[data-view="top"]');
    await waitTable();
    const top = JSON.parse(rd("top.json"));
    let got = await tableRows();
    check("top-rows", JSON.stringify(got) === JSON.stringify(rowsOf(top)), `${got.length} rows, want ${top.rows.length}; first ${JSON.stringify(got[0])}`);
    const hits = await page.evaluate(() => document.querySelectorAll("#view tr.hit").length);
    const wantHits = top.rows.filter((r) => /sortx/.test(r.name)).length;
    check("top-search", hits === wantHits && hits > 0, `${hits} highlighted, want ${wantHits}`);
    // Sort by cum (descending), then again (ascending).
    await page.click('th:nth-child(4) button');
    await page.waitForFunction(() => /sort=-cum/.test(location.search));
    await waitTable();
    const cumDesc = await page.evaluate(() => Array.from(document.querySelectorAll("#view tbody tr")).map((tr) => tr.children[5].textContent.replace(/ \(inline\)$/, "")));
    const byCum = top.rows.slice().sort((a, b) => b.cum - a.cum)[0].name;
    check("top-sort", cumDesc[0] === byCum, `first row ${cumDesc[0]}, the largest cum is ${byCum}`);

    // 4. Refine > Focus with the search: top -focus=sortx; a chip; in the URL; Back undoes it.
    await page.click("#refine");
    await page.click('[data-act="focus"]');
    await page.waitForFunction(() => /focus=sortx/.test(location.search));
    await waitTable();
    await page.waitForFunction((n) => document.querySelectorAll("#view tbody tr").length === n, JSON.parse(rd("top-focus.json")).rows.length);
    got = await tableRows();
    const tf = JSON.parse(rd("top-focus.json"));
    const sortedFocus = rowsOf(tf).slice().sort((a, b) => 0);
    const chip = await page.evaluate(() => document.querySelector("#filters .chip") && document.querySelector("#filters .chip").textContent);
    check("refine-focus", JSON.stringify(got.map((r) => r[2]).sort()) === JSON.stringify(sortedFocus.map((r) => r[2]).sort()) && /focus/.test(chip || ""),
      `${got.length} rows, want ${tf.rows.length}; chip '${chip}'`);
    await page.click('th:nth-child(1) button'); // back to the report's order (flat, descending)
    await page.waitForFunction(() => /sort=-flat/.test(location.search));
    got = await tableRows();
    check("refine-focus-numbers", JSON.stringify(got) === JSON.stringify(rowsOf(tf)), `first ${JSON.stringify(got[0])}, want ${JSON.stringify(rowsOf(tf)[0])}`);
    if (shots) await page.screenshot({ path: path.join(shots, "web-top.png") });
    await page.goBack(); // sorting replaces the entry; focusing pushed one
    await page.waitForFunction(() => !/focus=/.test(location.search));
    await page.waitForFunction((n) => document.querySelectorAll("#view tbody tr").length === n, top.rows.length);
    const chips = await page.evaluate(() => document.querySelectorAll("#filters .chip").length);
    check("back-button", chips === 0, `${chips} filter chips left`);

    // 5. Graph (key 3), Peek, Source.
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    await page.keyboard.press("3");
    await waitFrame("graph", "g.node");
    const nodes = await page.evaluate(() => document.querySelector("iframe.graph").contentDocument.querySelectorAll("g.node").length);
    const hitNodes = await page.evaluate(() => document.querySelector("iframe.graph").contentDocument.querySelectorAll("g.node.pk-hit").length);
    check("graph", nodes > 5 && hitNodes > 0, `${nodes} nodes, ${hitNodes} matching the search`);
    if (shots) await page.screenshot({ path: path.join(shots, "web-graph.png") });
    await page.fill("#search", "partition");
    await page.press("#search", "Enter");
    await page.click('[data-view="peek"]');
    await page.waitForFunction(() => document.querySelector("#view pre"));
    const peek = await page.evaluate(() => document.querySelector("#view pre").textContent);
    check("peek", peek === rd("peek.txt"), `peek view differs from pprofkit peek partition (${peek.length} vs ${rd("peek.txt").length} bytes)`);
    await page.click('[data-view="source"]');
    await page.waitForFunction(() => document.querySelector("#view pre") && /ROUTINE/.test(document.querySelector("#view pre").textContent));
    check("source", true, "");

    // 6. Sample type and granularity.
    await page.click('[data-view="top"]');
    await waitTable();
    if (!/sort=-flat/.test(page.url())) { // the report's order: flat, descending
      await page.click('th:nth-child(1) button');
      if (!/sort=-flat/.test(page.url())) await page.click('th:nth-child(1) button');
    }
    await page.selectOption("#si", "samples");
    await page.waitForFunction(() => /si=samples/.test(location.search));
    const ts = JSON.parse(rd("top-samples.json"));
    await page.waitForFunction((s) => document.getElementById("status").textContent.indexOf(s) >= 0, ts.total_scaled + " samples");
    got = await tableRows();
    check("sample-type", JSON.stringify(got) === JSON.stringify(rowsOf(ts)), `first ${JSON.stringify(got[0])}`);
    await page.selectOption("#g", "files");
    await page.waitForFunction(() => /g=files/.test(location.search));
    const tfiles = JSON.parse(rd("top-files.json"));
    await page.waitForFunction((n) => document.querySelectorAll("#view tbody tr").length === n, tfiles.rows.length);
    got = await tableRows();
    check("granularity", JSON.stringify(got) === JSON.stringify(rowsOf(tfiles)), `first ${JSON.stringify(got[0])}`);

    // 7. A bad regexp: a message, a 400 (its console line expected), and the UI keeps working.
    const before = errors.length;
    await page.fill("#search", "a(");
    await page.press("#search", "Enter");
    await page.click("#refine");
    await page.click('[data-act="ignore"]');
    await page.waitForFunction(() => !document.getElementById("message").hidden);
    const msg = await page.evaluate(() => document.getElementById("message").textContent);
    const extra = errors.splice(before);
    check("bad-regexp", /missing closing/.test(msg) && extra.every((e) => /status of 400/.test(e)), `message '${msg}', console ${JSON.stringify(extra)}`);
    await page.click("#refine");
    await page.click('[data-act="reset"]');
    await page.waitForFunction(() => !/ignore=/.test(location.search));
    await waitTable();
    check("after-bad-regexp", true, "");
    check("no-console-error", errors.length === 0, errors.slice(0, 3).join(" | "));

    // 8. The html report, from a file.
    errors = [];
    await page.goto("file://" + path.join(dir, "report.html"));
    await waitFrame("flame", "g.f");
    await page.click('[data-view="compare"]');
    await waitTable();
    const cmp = JSON.parse(rd("compare.json"));
    const crow = await page.evaluate(() => Array.from(document.querySelectorAll("#view tbody tr:not(.total)")).map((tr) => [tr.children[2].textContent, tr.children[5].textContent]));
    check("report-compare", JSON.stringify(crow) === JSON.stringify(cmp.rows.map((r) => [r.delta_scaled, r.name])), `${crow.length} rows, want ${cmp.rows.length}`);
    await page.fill("#search", "Record");
    await page.press("#search", "Enter");
    await page.waitForFunction(() => document.querySelectorAll("#view tr.hit").length > 0);
    if (shots) await page.screenshot({ path: path.join(shots, "web-report.png") });
    await page.click('[data-view="top"]');
    await waitTable();
    await page.click('[data-view="flame"]');
    await waitFrame("flame", "g.f");
    await page.waitForFunction(() => /Matched/.test(document.querySelector("iframe.flame").contentDocument.getElementById("matched").textContent));
    check("report-views", true, "");
    check("report-no-console-error", errors.length === 0, errors.slice(0, 3).join(" | "));
  } catch (e) {
    check("run", false, String(e).split("\n")[0] + (errors.length ? "; console: " + errors.slice(0, 2).join(" | ") : ""));
  } finally {
    await ctx.close();
    fs.rmSync(userData, { recursive: true, force: true });
  }
  process.exit(failed());
})();
