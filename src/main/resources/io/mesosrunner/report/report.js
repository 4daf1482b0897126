(function () {
  "use strict";
  var started = performance.now();
  var D = JSON.parse(document.getElementById("run-data").textContent);
  var A = D.att, n = A.i.length;
  var COLOUR = ["#2ca02c", "#d62728", "#8c8c8c", "#ff7f0e", "#1f77b4"];
  var OUTCOME = ["finished", "failed", "killed", "lost", "running"];
  var REASON_COLOUR = ["#9467bd", "#e377c2", "#bcbd22", "#17becf", "#8c564b", "#7f7f7f", "#aec7e8", "#ffbb78"];
  var LEFT = 160, WIDTH = 1000, END = Math.max(D.end, 1), AXIS = 22, GAP = 6, MAX_TITLES = 3000, MAX_BARS = 8000, MAX_LINKS = 300;
  function x(t) { return LEFT + t * WIDTH / END; }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]; });
  }
  function secs(ticks) {
    var s = ticks * D.unit / 1000;
    if (s < 60) return (s < 10 ? s.toFixed(2) : s.toFixed(1)) + " s";
    var m = Math.floor(s / 60);
    return m + "m" + ("0" + Math.floor(s % 60)).slice(-2) + "s";
  }

  // Lanes: within an agent's row, attempts that overlap in time go on separate lanes.
  var G = D.agents.length, lane = new Int32Array(n), heaps = [], lanes = new Int32Array(G);
  for (var g = 0; g < G; g++) heaps.push([]);
  function push(h, end, l) {
    h.push([end, l]);
    for (var c = h.length - 1; c > 0;) {
      var p = (c - 1) >> 1;
      if (h[p][0] <= h[c][0]) break;
      var t = h[p]; h[p] = h[c]; h[c] = t; c = p;
    }
  }
  function pop(h) {
    var top = h[0], last = h.pop();
    if (h.length) {
      h[0] = last;
      for (var c = 0;;) {
        var a = 2 * c + 1, b = a + 1, m = c;
        if (a < h.length && h[a][0] < h[m][0]) m = a;
        if (b < h.length && h[b][0] < h[m][0]) m = b;
        if (m === c) break;
        var t = h[m]; h[m] = h[c]; h[c] = t; c = m;
      }
    }
    return top;
  }
  for (var k = 0; k < n; k++) {
    var h = heaps[A.g[k]], l;
    if (h.length && h[0][0] <= A.s[k]) l = pop(h)[1]; else l = lanes[A.g[k]]++;
    lane[k] = l;
    push(h, A.s[k] + A.d[k], l);
  }
  var totalLanes = 0;
  for (g = 0; g < G; g++) totalLanes += Math.max(1, lanes[g]);
  var laneH = Math.max(1, Math.min(16, Math.floor(640 / totalLanes)));
  var rowY = [], laneBase = [], y = AXIS, base = 0;
  for (g = 0; g < G; g++) {
    rowY.push(y); laneBase.push(base);
    y += Math.max(1, lanes[g]) * laneH + GAP; base += Math.max(1, lanes[g]);
  }
  var timelineH = y;
  function yOf(k) { return rowY[A.g[k]] + lane[k] * laneH; }

  // Bars: one per attempt, or one per run of attempts of the same outcome on a lane that would be
  // narrower than a pixel. With many attempts the width below which bars are joined grows until at
  // most MAX_BARS are drawn one by one, so the page stays quick; outcomes never mix in a joined bar,
  // so a failure stays visible among thousands of successes.
  var widths = new Uint32Array(64);
  for (k = 0; k < n; k++) widths[Math.min(63, Math.floor((A.d[k]) * WIDTH / END))]++;
  var narrow = 1, wide = n;
  for (var w = 0; w < 1; w++) wide -= widths[w];
  while (wide > MAX_BARS && narrow < 63) wide -= widths[narrow++];
  var parts = [], aggs = [], pending = new Array(totalLanes), bars = 0, titles = n <= MAX_TITLES;
  var barH = Math.max(1, laneH > 3 ? laneH - 2 : laneH);
  function flush(p) {
    if (!p) return;
    var worst = p.outcome;
    parts.push('<rect class="agg" data-a="' + aggs.length + '" x="' + p.x0.toFixed(1) + '" y="' + p.y
        + '" width="' + Math.max(1, p.x1 - p.x0).toFixed(1) + '" height="' + barH + '" fill="' + COLOUR[worst] + '"/>');
    aggs.push(p);
  }
  for (k = 0; k < n; k++) {
    var x0 = x(A.s[k]), x1 = x(A.s[k] + A.d[k]), key = laneBase[A.g[k]] + lane[k], p = pending[key];
    if (x1 - x0 >= narrow) {
      flush(p); pending[key] = null;
      parts.push('<rect class="bar" data-k="' + k + '" x="' + x0.toFixed(1) + '" y="' + yOf(k) + '" width="'
          + (x1 - x0).toFixed(1) + '" height="' + barH + '" fill="' + COLOUR[A.o[k]] + '">'
          + (titles ? "<title>" + esc(text(k)) + "</title>" : "") + "</rect>");
      bars++;
    } else if (p && x0 - p.x1 < 1 && p.outcome === A.o[k]) {
      p.x1 = Math.max(p.x1, x1); p.n++;
    } else {
      flush(p);
      p = {x0: x0, x1: x1, y: yOf(k), first: k, n: 1, outcome: A.o[k]};
      pending[key] = p;
    }
  }
  for (k = 0; k < totalLanes; k++) flush(pending[k]);

  // Retries: a dashed line from each attempt's end to the start of its instance's next attempt;
  // with many retries only those of the instance under the pointer, so the lines stay readable.
  var previous = new Int32Array(n).fill(-1), next = new Int32Array(n).fill(-1), lastOf = new Map(), links = [];
  for (k = 0; k < n; k++) {
    var before = lastOf.get(A.i[k]);
    if (before !== undefined) { previous[k] = before; next[before] = k; }
    lastOf.set(A.i[k], k);
  }
  function link(from, to) {
    return '<path class="retry" d="M' + x(A.s[from] + A.d[from]).toFixed(1) + " " + (yOf(from) + barH / 2) + "L"
        + x(A.s[to]).toFixed(1) + " " + (yOf(to) + barH / 2) + '"/>';
  }
  var retries = 0;
  for (k = 0; k < n; k++) if (previous[k] >= 0) retries++;
  if (retries <= MAX_LINKS) for (k = 0; k < n; k++) if (previous[k] >= 0) links.push(link(previous[k], k));

  // Time axis.
  var axis = [], wall = END * D.unit / 1000, step = 1e-3, grow = [2, 2.5, 2];
  for (var g2 = 0; wall / step > 10; g2++) step *= grow[g2 % 3];
  for (var t = 0; t <= wall + 1e-9; t += step) {
    var tx = x(t * 1000 / D.unit);
    axis.push('<line class="tick" x1="' + tx.toFixed(1) + '" x2="' + tx.toFixed(1) + '" y1="' + (AXIS - 4) + '" y2="'
        + timelineH + '"/><text x="' + tx.toFixed(1) + '" y="' + (AXIS - 8) + '" text-anchor="middle">'
        + secs(t * 1000 / D.unit) + "</text>");
  }
  var labels = [];
  for (g = 0; g < G; g++) {
    labels.push('<text class="agent" x="' + (LEFT - 8) + '" y="' + (rowY[g] + Math.min(12, Math.max(1, lanes[g]) * laneH))
        + '" text-anchor="end">' + esc(D.agents[g]) + "</text>");
  }
  document.getElementById("timeline").innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" width="' + (LEFT + WIDTH + 30)
      + '" height="' + timelineH + '">' + axis.join("") + labels.join("") + parts.join("") + links.join("") + '<g id="hover-links"></g></svg>';

  // Utilisation: per pixel column, the highest cpus in use and offered, and why instances waited.
  // Cpus in use come from the bars themselves (attempts touching each pixel column), so the strip
  // lines up with the timeline; what the offers held and the wait reasons come from the samples.
  var U = D.util, m = U.t.length, utilH = 90, band = 16, cols = [], inUse = new Float64Array(WIDTH + 1);
  var perTask = D.cpusPerTask || 1;
  // The mean over each pixel column: whole columns an attempt covers through a running sum, the
  // two it covers in part by their share.
  var part = new Float64Array(WIDTH + 1);
  for (k = 0; k < n; k++) {
    var a0 = Math.min(WIDTH, Math.max(0, x(A.s[k]) - LEFT)), a1 = Math.min(WIDTH, Math.max(0, x(A.s[k] + A.d[k]) - LEFT));
    var ca = Math.floor(a0), cb = Math.floor(a1);
    if (ca === cb) {
      part[ca] += perTask * (a1 - a0);
    } else {
      part[ca] += perTask * (ca + 1 - a0); part[cb] += perTask * (a1 - cb);
      inUse[ca + 1] += perTask; inUse[cb] -= perTask;
    }
  }
  for (var c = 1; c <= WIDTH; c++) inUse[c] += inUse[c - 1];
  for (c = 0; c <= WIDTH; c++) inUse[c] += part[c];
  {
    var maxCpus = 0;
    for (c = 0; c < WIDTH; c++) maxCpus = Math.max(maxCpus, inUse[c]);
    for (var j = 0; j < m; j++) maxCpus = Math.max(maxCpus, U.f[j]);
    maxCpus = maxCpus || 1;
    for (j = 0; j < m; j++) {
      var c0 = Math.floor(x(U.t[j]) - LEFT), c1 = Math.ceil(x(j + 1 < m ? U.t[j + 1] : END) - LEFT);
      for (c = Math.max(0, c0); c < Math.min(WIDTH, Math.max(c1, c0 + 1)); c++) {
        var col = cols[c] || (cols[c] = {u: 0, f: 0, r: -1, w: 0, j: j});
        col.u = Math.max(col.u, U.u[j]); col.f = Math.max(col.f, U.f[j]);
        if (U.w[j] > 0 && U.r[j] >= 0) { col.r = U.r[j]; col.w = Math.max(col.w, U.w[j]); col.j = j; }
      }
    }
    var categories = [], categoryOf = D.reasons.map(function (r) {
      var name = r.replace(/ \(.*$/, ""), at = categories.indexOf(name);
      if (at < 0) { categories.push(name); at = categories.length - 1; }
      return at;
    });
    var u = [];
    for (c = 0; c < WIDTH; c++) {
      var here = cols[c] || {f: 0, r: -1, j: -1};
      var hu = inUse[c] / maxCpus * utilH, hf = here.f / maxCpus * utilH, at = ' data-c="' + c + '" data-u="' + here.j + '"';
      if (hf > 0) {
        u.push('<rect class="u"' + at + ' x="' + (LEFT + c) + '" y="' + (utilH - hf).toFixed(1)
            + '" width="1" height="' + hf.toFixed(1) + '" fill="#b9dfb0"/>');
      }
      if (hu > 0) {
        u.push('<rect class="u"' + at + ' x="' + (LEFT + c) + '" y="' + (utilH - hu).toFixed(1)
            + '" width="1" height="' + hu.toFixed(1) + '" fill="#4c78a8"/>');
      }
      if (here.r >= 0) {
        u.push('<rect class="w"' + at + ' x="' + (LEFT + c) + '" y="' + (utilH + 4) + '" width="1" height="'
            + band + '" fill="' + REASON_COLOUR[categoryOf[here.r] % REASON_COLOUR.length] + '"/>');
      }
    }
    var legend = categories.map(function (name, i) {
      return '<span class="key"><i style="background:' + REASON_COLOUR[i % REASON_COLOUR.length] + '"></i>'
          + esc(name) + "</span>";
    }).join("");
    document.getElementById("utilisation").innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" width="'
        + (LEFT + WIDTH + 30) + '" height="' + (utilH + band + 8) + '">'
        + '<text x="' + (LEFT - 8) + '" y="12" text-anchor="end">' + maxCpus.toFixed(1) + ' cpus</text>'
        + '<text x="' + (LEFT - 8) + '" y="' + utilH + '" text-anchor="end">0</text>'
        + '<text x="' + (LEFT - 8) + '" y="' + (utilH + band) + '" text-anchor="end">waiting</text>'
        + '<line class="tick" x1="' + LEFT + '" x2="' + (LEFT + WIDTH) + '" y1="' + utilH + '" y2="' + utilH + '"/>'
        + u.join("") + "</svg>"
        + '<p class="legend"><span class="key"><i style="background:#4c78a8"></i>cpus in use'
        + (D.cpusPerTask ? "" : " (tasks: this journal has no cpus)") + '</span>'
        + '<span class="key"><i style="background:#b9dfb0"></i>free cpus the latest offers held</span>'
        + (m === 0 ? " no utilisation samples in this journal (written by an older runner)"
            : legend ? " waited for: " + legend : " no instance waited") + "</p>";
  }

  function detail(k) { return D.detail[k] || {}; }
  function taskId(k) { return detail(k).id || D.job + "." + A.i[k] + "." + A.n[k] + "." + D.runId; }
  function state(k) { return detail(k).st || (A.o[k] === 0 ? "TASK_FINISHED" : "no end recorded"); }
  function text(k) {
    var d = detail(k), lines = ["instance " + A.i[k] + ", attempt " + A.n[k], "task " + taskId(k),
      "agent " + D.agents[A.g[k]], "state " + state(k) + (d.c ? " (" + d.c.toLowerCase().replace("_", " ") + ")" : ""),
      "exit code " + (A.x[k] === null ? "none" : A.x[k]), "duration " + secs(A.d[k])];
    if (d.m) lines.push("message " + d.m);
    if (d.e && d.e.length) lines.push("stderr:\n" + d.e.join("\n"));
    return lines.join("\n");
  }
  function aggText(a) {
    var p = aggs[a];
    return p.n + " " + OUTCOME[p.outcome] + " attempts drawn as one bar, from instance " + A.i[p.first] + " attempt "
        + A.n[p.first] + " on " + D.agents[A.g[p.first]] + "\n(the JSON report has each of them)";
  }
  function sampleText(c, j) {
    var t = (c + 0.5) * END / WIDTH, said = secs(t) + ": " + (Math.round(inUse[c] * 1000) / 1000) + " cpus in use";
    if (j >= 0) {
      said += ", " + U.f[j] + " free in the latest offers, " + U.w[j] + " waiting"
          + (U.r[j] >= 0 ? " (" + D.reasons[U.r[j]] + ")" : "");
    }
    return said;
  }
  function describe(target) {
    if (target.dataset.k !== undefined) return text(+target.dataset.k);
    if (target.dataset.a !== undefined) return aggText(+target.dataset.a);
    if (target.dataset.c !== undefined) return sampleText(+target.dataset.c, +target.dataset.u);
    return null;
  }

  // Hover: the tooltip, and the instance's other attempts highlighted. Click: pin the details.
  var tip = document.getElementById("tip"), pinned = document.getElementById("details"), byK = null, lit = [];
  var hoverLinks = document.getElementById("hover-links");
  function light(k) {
    lit.forEach(function (e) { e.classList.remove("lit"); });
    lit = [];
    if (k === null) { hoverLinks.innerHTML = ""; return; }
    if (retries > MAX_LINKS) {
      var first = k, chain = [];
      while (previous[first] >= 0) first = previous[first];
      for (var at = first; next[at] >= 0; at = next[at]) chain.push(link(at, next[at]));
      hoverLinks.innerHTML = chain.join("");
    }
    if (!byK) {
      byK = {};
      document.querySelectorAll("#timeline rect.bar").forEach(function (e) { byK[e.dataset.k] = e; });
    }
    for (at = k; at >= 0; at = previous[at]) if (byK[at]) lit.push(byK[at]);
    for (at = next[k]; at >= 0; at = next[at]) if (byK[at]) lit.push(byK[at]);
    lit.forEach(function (e) { e.classList.add("lit"); });
  }
  document.addEventListener("mousemove", function (e) {
    var said = e.target.dataset ? describe(e.target) : null;
    if (said === null) { tip.style.display = "none"; light(null); return; }
    tip.textContent = said;
    tip.style.display = "block";
    tip.style.left = (e.pageX + 14) + "px";
    tip.style.top = (e.pageY + 14) + "px";
    light(e.target.dataset.k === undefined ? null : +e.target.dataset.k);
  });
  document.addEventListener("click", function (e) {
    var said = e.target.dataset ? describe(e.target) : null;
    if (said !== null) pinned.textContent = said;
  });
  var firstFailed = -1;
  for (k = 0; k < n && firstFailed < 0; k++) if (A.o[k] === 1) firstFailed = k;
  pinned.textContent = firstFailed >= 0 ? text(firstFailed) : "Click a bar to keep its details here.";

  var ms = performance.now() - started;
  document.getElementById("render-info").textContent = "Drawn in " + Math.round(ms) + " ms: " + bars + " bars, "
      + aggs.length + " bars standing for several attempts, " + n + " attempts.";
  document.documentElement.setAttribute("data-render-ms", Math.round(ms));
})();
