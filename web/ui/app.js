// pprofkit web UI: the views of one loaded profile (served by `pprofkit -http`) or of a static
// report (`pprofkit html`, the views embedded in the page). Plain JavaScript, no dependency.
// The state (view, sample type, granularity, filters, search, sort) lives in the URL: the query
// when served, the fragment in a static file; every change is a history entry.
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var dataEl = $("pk-data");
  var STATIC = dataEl ? JSON.parse(dataEl.textContent) : null;
  var FILTERS = ["focus", "ignore", "hide", "show", "show_from", "tagfocus", "tagignore"];
  var KEYS = ["v", "si", "g", "q", "sort"].concat(FILTERS);
  var VIEWS = ["flame", "top", "graph", "peek", "source", "compare"];
  var meta = null, state = {}, seq = 0, cache = new Map();

  // ---- state <-> URL ---------------------------------------------------------------------
  function defaults() {
    var d = { v: "flame", si: "", g: "functions", q: "", sort: "" };
    var o = (meta && meta.options) || {};
    FILTERS.forEach(function (k) { d[k] = o[k] || ""; });
    if (o.si) d.si = o.si;
    if (o.g) d.g = o.g;
    return d;
  }
  function readURL() {
    var p = new URLSearchParams(STATIC ? location.hash.slice(1) : location.search);
    var s = defaults();
    KEYS.forEach(function (k) { if (p.has(k)) s[k] = p.get(k); });
    if (VIEWS.indexOf(s.v) < 0 || !viewAvailable(s.v)) s.v = STATIC ? "flame" : "flame";
    return s;
  }
  function urlOf(s) {
    var d = defaults(), p = new URLSearchParams();
    KEYS.forEach(function (k) { if (s[k] !== d[k] || k === "v") p.set(k, s[k]); });
    var qs = p.toString();
    return STATIC ? "#" + qs : "?" + qs;
  }
  function go(changes, replace) {
    var s = Object.assign({}, state, changes);
    var u = urlOf(s);
    if (replace) history.replaceState(null, "", u); else history.pushState(null, "", u);
    state = s;
    render();
  }
  window.addEventListener("popstate", function () { state = readURL(); render(); });
  window.addEventListener("hashchange", function () { if (STATIC) { state = readURL(); render(); } });

  // ---- fetching ----------------------------------------------------------------------------
  function apiParams(view, extra) {
    var p = new URLSearchParams();
    if (state.si) p.set("si", state.si);
    p.set("g", state.g);
    FILTERS.forEach(function (k) { p.set(k, state[k]); });
    Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
    return "api/" + view + "?" + p.toString();
  }
  function get(url) {
    if (cache.has(url)) return cache.get(url);
    var pr = fetch(url).then(function (r) {
      return r.text().then(function (t) {
        if (r.ok) return t;
        var msg = t;
        try { msg = JSON.parse(t).error; } catch (e) { /* not JSON */ }
        throw new Error(msg || ("HTTP " + r.status));
      });
    });
    cache.set(url, pr);
    pr.catch(function () { cache.delete(url); });
    if (cache.size > 40) cache.delete(cache.keys().next().value);
    return pr;
  }
  function viewData(view, extra) {
    if (STATIC) {
      var d = STATIC[view];
      if (d === undefined) return Promise.reject(new Error("not in this report"));
      return Promise.resolve(typeof d === "string" ? d : JSON.stringify(d));
    }
    return get(apiParams(view, extra));
  }

  // ---- helpers -----------------------------------------------------------------------------
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "class") e.className = attrs[k];
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function searchRE() {
    if (!state.q) return null;
    try { return new RegExp(state.q); } catch (e) { return undefined; }
  }
  function reQuote(s) { return s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&"); }
  function showMessage(text, note) {
    var m = $("message");
    m.hidden = !text;
    m.textContent = text || "";
    m.className = note ? "message note" : "message";
  }
  function setStatus(t) { $("status").textContent = t; }
  function fmtPct(x) { return (typeof x === "number" ? x.toFixed(2) : x) + "%"; }

  // ---- the bar -----------------------------------------------------------------------------
  function viewAvailable(v) {
    if (v === "compare") return !!(meta && meta.base);
    if (STATIC) return STATIC[v] !== undefined;
    return true;
  }
  function renderBar() {
    Array.prototype.forEach.call($("tabs").children, function (b) {
      var v = b.getAttribute("data-view");
      b.hidden = !viewAvailable(v);
      b.setAttribute("aria-selected", v === state.v ? "true" : "false");
      b.tabIndex = v === state.v ? 0 : -1;
    });
    $("si").value = state.si;
    $("g").value = state.g;
    var s = $("search");
    if (document.activeElement !== s) s.value = state.q;
    s.classList.toggle("bad", searchRE() === undefined);
    var chips = $("filters");
    chips.textContent = "";
    FILTERS.forEach(function (k) {
      if (!state[k]) return;
      var c = el("span", { class: "chip" }, [el("b", { text: k.replace("_", " ") }), " " + state[k]]);
      if (!STATIC) {
        c.appendChild(el("button", { "aria-label": "remove " + k, title: "Remove this filter",
          text: "\u00d7", onclick: function () { var ch = {}; ch[k] = ""; go(ch); } }));
      }
      chips.appendChild(c);
    });
  }
  function setupBar() {
    $("title").textContent = meta.title;
    $("title").title = meta.title;
    document.title = "pprofkit: " + meta.title;
    var si = $("si");
    si.appendChild(el("option", { value: "", text: "default" }));
    meta.sample_types.forEach(function (t) {
      si.appendChild(el("option", { value: t.type, text: t.type + " (" + t.unit + ")" }));
    });
    if (STATIC) {
      si.disabled = true;
      $("g").disabled = true;
      $("refine-box").hidden = true;
    }
    $("tabs").addEventListener("click", function (e) {
      var v = e.target.getAttribute && e.target.getAttribute("data-view");
      if (v) go({ v: v });
    });
    $("tabs").addEventListener("keydown", function (e) {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      var avail = VIEWS.filter(viewAvailable), i = avail.indexOf(state.v);
      i = (i + (e.key === "ArrowRight" ? 1 : avail.length - 1)) % avail.length;
      go({ v: avail[i] });
      document.querySelector('[data-view="' + avail[i] + '"]').focus();
    });
    si.addEventListener("change", function () { go({ si: si.value }); });
    $("g").addEventListener("change", function () { go({ g: $("g").value }); });
    var s = $("search"), timer = null;
    s.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { go({ q: s.value }, true); }, 200);
    });
    s.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { clearTimeout(timer); go({ q: s.value }); }
      if (e.key === "Escape") { s.blur(); }
    });
    var rb = $("refine"), menu = $("refine-menu");
    function openMenu(open) {
      menu.hidden = !open;
      rb.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) menu.querySelector("button").focus();
    }
    rb.addEventListener("click", function () { openMenu(menu.hidden); });
    menu.addEventListener("keydown", function (e) {
      var items = Array.prototype.slice.call(menu.querySelectorAll("button"));
      var i = items.indexOf(document.activeElement);
      if (e.key === "ArrowDown") { e.preventDefault(); items[(i + 1) % items.length].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); items[(i + items.length - 1) % items.length].focus(); }
      if (e.key === "Escape") { openMenu(false); rb.focus(); }
    });
    document.addEventListener("click", function (e) {
      if (!menu.hidden && !$("refine-box").contains(e.target)) openMenu(false);
    });
    menu.addEventListener("click", function (e) {
      var act = e.target.getAttribute && e.target.getAttribute("data-act");
      if (!act) return;
      openMenu(false);
      var q = $("search").value;
      if (act === "reset") {
        var ch = { q: "" };
        FILTERS.forEach(function (k) { ch[k] = ""; });
        go(ch);
        return;
      }
      if (!q) {
        showMessage("Type a regular expression in the search box first: " + act.replace("_", " ") +
          " uses it (click a name in Top to search for it).", true);
        $("search").focus();
        return;
      }
      var c = { q: "" };
      c[act] = q;
      go(c);
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target, typing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA");
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "/") { e.preventDefault(); s.focus(); s.select(); return; }
      if (e.key === "r" && !STATIC) { e.preventDefault(); openMenu(true); return; }
      var n = "123456".indexOf(e.key);
      if (n >= 0 && viewAvailable(VIEWS[n])) go({ v: VIEWS[n] });
    });
  }

  // ---- views -------------------------------------------------------------------------------
  function svgDoc(svg, css) {
    var body = svg.replace(/^[\s\S]*?(?=<svg[\s>])/, "");
    return "<!doctype html><html><head><meta charset=\"utf-8\"><style>html,body{margin:0;height:100%}" +
      "svg{display:block}" + (css || "") + "</style></head><body>" + body + "</body></html>";
  }
  function frameFor(svg, cls, css, onload) {
    var f = el("iframe", { class: "svg " + cls, title: cls === "flame" ? "Flame graph" : "Call graph" });
    f.addEventListener("load", function () { onload(f); });
    f.srcdoc = svgDoc(svg, css);
    return f;
  }
  var renderers = {};

  renderers.flame = function (text, box) {
    var width = Math.max(600, Math.min(4000, Math.floor(box.clientWidth - 4)));
    if (text === null) return STATIC ? {} : { extra: { width: String(width) } };
    var f = frameFor(text, "flame", "foreignObject{display:none}", function (f) {
      var d = f.contentDocument;
      if (!d) return;
      f.style.height = (d.documentElement.scrollHeight + 4) + "px";
      flameSearch(f);
    });
    box.appendChild(f);
    return { frame: f };
  };
  function flameSearch(f) {
    var d = f && f.contentDocument, input = d && d.getElementById("search");
    if (!input) return;
    input.value = searchRE() === undefined ? "" : state.q;
    input.dispatchEvent(new Event("input"));
  }

  renderers.graph = function (text, box) {
    if (text === null) return {};
    var f = frameFor(text, "graph", ".pk-hit polygon,.pk-hit path{stroke:#e11d48;stroke-width:4px}", function (f) {
      graphSearch(f);
    });
    box.appendChild(f);
    return { frame: f };
  };
  function graphSearch(f) {
    var d = f && f.contentDocument;
    if (!d) return;
    var re = searchRE(), n = 0;
    Array.prototype.forEach.call(d.querySelectorAll("g.node"), function (g) {
      var a = g.querySelector("a"), name = a ? (a.getAttribute("xlink:title") || "") : "";
      name = name.replace(/ \([^()]*\)$/, "");
      var hit = !!(re && name && re.test(name));
      g.classList.toggle("pk-hit", hit);
      n += hit;
    });
    if (re) setStatus(n + " node" + (n === 1 ? "" : "s") + " match");
  }

  // A sortable table. cols: [key, label, cls, fmt(row)]; rows from the report.
  function table(rows, cols, defSort, total) {
    var sort = state.sort || defSort, desc = sort.charAt(0) !== "+";
    var key = sort.replace(/^[+-]/, ""), col = cols.filter(function (c) { return c[0] === key; })[0] || cols[0];
    var re = searchRE(), hits = 0;
    var sorted = rows.slice();
    if (state.sort) {
      sorted.sort(function (a, b) {
        var x = a[col[0]], y = b[col[0]], r;
        if (typeof x === "string") r = x < y ? -1 : x > y ? 1 : 0;
        else r = Math.abs(x) - Math.abs(y) || x - y;
        return desc ? -r : r;
      });
    }
    var head = el("tr", {}, cols.map(function (c) {
      var th = el("th", { class: c[2] || "", scope: "col" });
      if (c[0] === col[0] && state.sort) th.setAttribute("aria-sort", desc ? "descending" : "ascending");
      th.appendChild(el("button", { text: c[1], title: "Sort by " + c[1], onclick: function () {
        var d = c[0] === col[0] && state.sort ? !desc : c[0] !== "name";
        go({ sort: (d ? "-" : "+") + c[0] }, true);
      } }));
      return th;
    }));
    var body = el("tbody");
    var frag = document.createDocumentFragment(), max = 0;
    rows.forEach(function (r) { if (typeof r.flat === "number") max = Math.max(max, Math.abs(r.flat)); });
    sorted.forEach(function (r) {
      var hit = !!(re && re.test(r.name));
      hits += hit;
      frag.appendChild(el("tr", { class: hit ? "hit" : "" }, cols.map(function (c) {
        var td = el("td", { class: c[2] || "" });
        if (c[0] === "name") {
          td.appendChild(el("button", { text: r.name + (r.inline ? " (inline)" : ""), title: "Search for this function",
            onclick: function () { go({ q: "^" + reQuote(r.name) + "$" }); } }));
        } else {
          var v = c[3] ? c[3](r) : r[c[0]];
          if (c[0] === "flat" && max > 0) td.appendChild(el("span", { class: "bar-cell", style: "width:" + Math.round(60 * Math.abs(r.flat) / max) + "px" }));
          td.appendChild(document.createTextNode(v));
        }
        return td;
      })));
    });
    body.appendChild(frag);
    if (total) body.appendChild(total);
    var t = el("table", { class: "t" }, [el("thead", {}, [head]), body]);
    return { table: t, hits: hits };
  }

  renderers.top = function (text, box) {
    if (text === null) return {};
    var j = JSON.parse(text);
    var res = table(j.rows, [
      ["flat", "Flat", "", function (r) { return r.flat_scaled; }],
      ["flat_pct", "Flat%", "pct", function (r) { return fmtPct(r.flat_pct); }],
      ["sum_pct", "Sum%", "pct", function (r) { return fmtPct(r.sum_pct); }],
      ["cum", "Cum", "", function (r) { return r.cum_scaled; }],
      ["cum_pct", "Cum%", "pct", function (r) { return fmtPct(r.cum_pct); }],
      ["name", "Name", "name"]
    ], "-flat");
    box.appendChild(res.table);
    var s = j.rows.length + " rows of " + j.node_count + ", total " + j.total_scaled + " " + j.sample_type;
    if (j.dropped_nodes) s += " (" + j.dropped_nodes + " dropped under -nodefraction)";
    if (searchRE()) s = res.hits + " matching \u00b7 " + s;
    setStatus(s);
    return {};
  };

  renderers.compare = function (text, box) {
    if (text === null) return {};
    var j = JSON.parse(text);
    var tot = j.total, totalRow = tot ? el("tr", { class: "total" }, [
      el("td", { text: tot.old_scaled }), el("td", { text: tot.new_scaled }), el("td", { text: tot.delta_scaled }),
      el("td", { class: "pct", text: tot.delta_pct === null || tot.delta_pct === undefined ? "" : fmtPct(tot.delta_pct) }),
      el("td", { class: tot.status, text: tot.status }), el("td", { class: "name", text: "total" })]) : null;
    var res = table(j.rows, [
      ["old", "Old", "", function (r) { return r.old_scaled; }],
      ["new", "New", "", function (r) { return r.new_scaled; }],
      ["delta", "Delta", "", function (r) { return r.delta_scaled; }],
      ["delta_pct", "Delta%", "pct", function (r) { return r.delta_pct === null || r.delta_pct === undefined ? "" : fmtPct(r.delta_pct); }],
      ["status", "Status", "", function (r) { return r.status; }],
      ["name", "Name", "name"]
    ], "-delta", totalRow);
    Array.prototype.forEach.call(res.table.querySelectorAll("tbody tr"), function (tr) {
      var td = tr.children[4];
      if (td) td.className = td.textContent;
    });
    box.appendChild(res.table);
    setStatus(j.row_count + " rows, " + j.snapshots.map(function (s) { return s.total_scaled; }).join(" \u2192 ") + " " + j.sample_type);
    return {};
  };

  function textView(text, box) {
    var pre = el("pre", { class: "text" });
    var re = searchRE();
    if (re && text.length < 4000000) {
      var g = new RegExp(re.source, "g"), last = 0, m, n = 0;
      while ((m = g.exec(text)) && n < 10000) {
        if (m[0] === "") { g.lastIndex++; continue; }
        pre.appendChild(document.createTextNode(text.slice(last, m.index)));
        pre.appendChild(el("mark", { text: m[0] }));
        last = m.index + m[0].length;
        n++;
      }
      pre.appendChild(document.createTextNode(text.slice(last)));
    } else {
      pre.textContent = text;
    }
    box.appendChild(pre);
  }
  renderers.peek = function (text, box) {
    if (text === null) return { extra: state.q && searchRE() ? { sym: state.q } : {} };
    if (!state.q) showMessage("Peek of every function: type a regexp in the search box to narrow it.", true);
    textView(text, box);
    return {};
  };
  renderers.source = function (text, box) {
    if (text === null) {
      if (!state.q || !searchRE()) return { skip: true };
      return { extra: { sym: state.q } };
    }
    textView(text, box);
    return {};
  };

  function render() {
    renderBar();
    showMessage("");
    var box = $("view"), v = state.v, my = ++seq;
    box.textContent = "";
    setStatus("");
    if (searchRE() === undefined) showMessage("search: not a valid regular expression: " + state.q);
    if (STATIC && (v === "peek" || v === "source")) v = "flame";
    var pre = renderers[v](null, box);
    if (pre.skip) {
      box.appendChild(el("div", { class: "hint", text: "Type a regular expression in the search box (press /) " +
        "to list the source of the functions it matches." }));
      return;
    }
    var loading = el("div", { class: "loading", text: "computing " + v + "\u2026" });
    box.appendChild(loading);
    var t0 = performance.now();
    viewData(v, pre.extra).then(function (text) {
      if (my !== seq) return;
      box.textContent = "";
      renderers[v](text, box);
      if (!$("status").textContent)
        setStatus(v + " in " + Math.round(performance.now() - t0) + " ms");
    }, function (err) {
      if (my !== seq) return;
      box.textContent = "";
      showMessage(err.message);
    });
  }

  // Search typed while a frame view is shown: applied in place, without a new request.
  var searchFor = { flame: flameSearch, graph: graphSearch };
  var baseRender = render;
  render = function () {
    var f = $("view").querySelector("iframe");
    var prev = render.last;
    render.last = JSON.stringify(Object.assign({}, state, { q: "" }));
    if (f && prev === render.last && searchFor[state.v] && f.classList.contains(state.v)) {
      renderBar();
      showMessage(searchRE() === undefined ? "search: not a valid regular expression: " + state.q : "");
      setStatus("");
      searchFor[state.v](f);
      return;
    }
    baseRender();
  };

  function start(m) {
    meta = m;
    setupBar();
    state = readURL();
    history.replaceState(null, "", urlOf(state));
    if (STATIC) {
      $("title").parentNode.insertBefore(el("span", { class: "static", id: "static",
        title: "A static report (pprofkit html): the views were computed with the flags given; " +
          "search and sorting work here, refining needs pprofkit -http.", text: "static report" }), $("title"));
    }
    render();
  }
  if (STATIC) start(STATIC.meta);
  else get("api/meta").then(function (t) { start(JSON.parse(t)); }, function (e) { showMessage("cannot load: " + e.message); });
})();
