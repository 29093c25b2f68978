// tests/browser/flame.test.js SVG FOLDED [PNG]
//
// Opens pprofkit's flame graph SVG (written with -flame_minwidth=0 from the profile whose
// folded stacks are FOLDED) from a file in Debian's chromium, headless, through playwright-core,
// and checks what a user does with it:
// - it loads with no console error and no page error;
// - a click on a frame zooms: that frame spans the whole width, its ancestors stay (dimmed),
//   frames outside it are hidden, "Reset zoom" becomes active; Reset zoom restores every frame;
// - Ctrl-F focuses the search box; typing a regular expression colours the matching frames
//   and shows the matched percent, which must equal the share of the total of the folded
//   stacks that hold a matching frame (computed here from FOLDED, not from the SVG);
// - PNG given: a screenshot of the graph with the search shown is saved there.
// Prints PASS/FAIL lines (browser/NAME); exits 1 if anything failed.
"use strict";
const fs = require("fs");
const path = require("path");
const { launch, checker, expectedPercent } = require("./common");

const [svgPath, foldedPath, pngPath] = process.argv.slice(2);
const folded = fs.readFileSync(foldedPath, "utf8");
const { check, failed } = checker("");


(async () => {
  const { ctx, userData } = await launch({ width: 1200, height: 800 });
  const errors = [];
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => { if (!r.url().startsWith("file:")) errors.push("request " + r.url()); });
    await page.goto("file://" + path.resolve(svgPath));
    await page.waitForLoadState("load");

    const frames = () => page.evaluate(() => Array.from(document.querySelectorAll("g.f")).map((g) => {
      const r = g.querySelector("rect");
      return { name: g.querySelector("title").textContent.split("\n")[0], d: +g.getAttribute("data-d"),
        x: +r.getAttribute("fg:x"), w: +r.getAttribute("fg:w"), px: +r.getAttribute("x"),
        pw: +r.getAttribute("width"), cls: g.getAttribute("class"),
        text: g.querySelector("text").textContent };
    }));
    const before = await frames();
    check("loaded", before.length > 10 && before[0].name === "all", `${before.length} frames`);

    // Zoom: the widest frame at depth 3 that has children.
    const cand = before.filter((f) => f.d === 3).sort((a, b) => b.w - a.w)[0];
    const idx = before.indexOf(cand);
    await page.locator("g.f").nth(idx).click();
    const after = await frames();
    const z = after[idx];
    const W = 1180;
    const inside = (f) => f.x >= z.x && f.x + f.w <= z.x + z.w && f.d >= z.d;
    const anc = (f) => f.d < z.d && f.x <= z.x && f.x + f.w >= z.x + z.w;
    const bad = after.filter((f, i) => {
      const h = / hidden/.test(f.cls), a = / anc/.test(f.cls);
      if (i === idx) return Math.abs(f.px - 10) > 0.01 || Math.abs(f.pw - W) > 0.01 || h;
      if (anc(f)) return !a || Math.abs(f.pw - W) > 0.01;
      if (inside(f)) return h || Math.abs(f.pw - (f.w / z.w) * W) > 0.01 ||
        Math.abs(f.px - (10 + ((f.x - z.x) / z.w) * W)) > 0.01;
      return !h;
    });
    const unzoomOn = await page.evaluate(() => document.getElementById("unzoom").getAttribute("class"));
    check("click-zooms", bad.length === 0 && unzoomOn === "",
      `${cand.name}: ${bad.length} frames misplaced, e.g. ${JSON.stringify(bad[0])}; unzoom class ${unzoomOn}`);

    await page.locator("#unzoom").click();
    const reset = await frames();
    const moved = reset.filter((f, i) => f.px !== before[i].px || f.pw !== before[i].pw || f.cls !== before[i].cls);
    check("reset-zoom", moved.length === 0, `${moved.length} frames not restored`);

    await page.keyboard.press("Control+f");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    check("ctrl-f-focuses-search", focused === "search", `focused: ${focused}`);

    let typed = false;
    for (const re of ["Fib", "sortx\\.(partition|less)", "^runtime\\."]) {
      if (!typed) {
        await page.keyboard.type(re); // into the box Ctrl-F focused, key by key
        typed = true;
      } else {
        await page.fill("#search", re);
      }
      const got = await page.evaluate(() => document.getElementById("matched").textContent);
      const want = `Matched: ${expectedPercent(folded, new RegExp(re))}%`;
      const pink = await page.evaluate((s) => {
        const rx = new RegExp(s);
        return Array.from(document.querySelectorAll("g.f")).every((g) =>
          rx.test(g.querySelector("title").textContent.split("\n")[0]) ===
          (g.querySelector("rect").getAttribute("fill") === "rgb(230,0,230)"));
      }, re);
      check(`search ${re}`, got === want && pink, `shows "${got}", folded stacks give "${want}"; highlight ok: ${pink}`);
    }
    if (pngPath) {
      await page.fill("#search", "sortx");
      await page.locator("g.f").nth(idx).hover();
      const h = await page.evaluate(() => +document.documentElement.getAttribute("height"));
      await page.setViewportSize({ width: 1200, height: h });
      // Page.captureScreenshot directly: playwright's screenshot waits on things an SVG
      // document never gets (it times out).
      const cdp = await ctx.newCDPSession(page);
      const shot = await cdp.send("Page.captureScreenshot", { format: "png" });
      fs.writeFileSync(pngPath, Buffer.from(shot.data, "base64"));
      check("screenshot", fs.statSync(pngPath).size > 10000, "PNG too small");
    }
  } catch (e) {
    check("run", false, String(e).split("\n")[0]);
  } finally {
    await ctx.close();
    fs.rmSync(userData, { recursive: true, force: true });
  }
  check("no-console-error", errors.length === 0, errors.slice(0, 3).join(" | "));
  process.exit(failed());
})();
