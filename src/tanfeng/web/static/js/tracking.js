// Tracking pages: the league map (/overview), the target board (/board), the trend chart (/regions/{code}).
// ECharts comes from /static/vendor/echarts (npm set-up, no CDN). Every chart can be saved as PNG
// (toolbox and a download button); its data downloads as CSV and Excel from /api/tracking.
(function () {
  "use strict";
  var LEVEL_COLOURS = { 1: "#D93025", 2: "#F2B705", 3: "#2E9E4F" };
  var NO_LEVEL = "#D0D0D0";
  var NO_LEVEL_VALUE = 4;  // a league without a level, last in the legend (pieces are listed by value)

  function setQuery(key, value) {
    var q = new URLSearchParams(window.location.search);
    if (value) { q.set(key, value); } else { q.delete(key); }
    history.replaceState(null, "", window.location.pathname + (q.toString() ? "?" + q.toString() : ""));
  }

  function savePng(chart, name) {
    var a = document.createElement("a");
    a.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
    a.download = name + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // a number as the pages write it: thousands separated from 1,000, else four significant digits
  function fmt(v) {
    if (v === null || v === undefined) { return "—"; }
    var n = Number(v);
    if (Math.abs(n) >= 1000) { return Math.round(n).toLocaleString("en-US"); }
    return String(parseFloat(n.toPrecision(4)));
  }

  // ---------------------------------------------------------------------------------- league map
  // The legend (warning levels, or five equal classes of the indicator with its unit), the boundary note
  // 示意图，非标准地图 and the data date are drawn in the chart, so a saved PNG carries them. A league keeps
  // its colour on hover (a darker border marks it); the tooltip gives its value with unit, date and source.
  var CLASS_COLOURS = ["#eef6f2", "#c6e3d4", "#93c8ac", "#5ea983", "#2c8660", "#0b6e4f"];

  // classes of equal, round width (1, 2, 2.5 or 5 × 10^n) that cover the values: at most six
  function valueClasses(values) {
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    if (!(hi > lo)) { return [{ lo: lo, hi: hi, colour: CLASS_COLOURS[CLASS_COLOURS.length - 1] }]; }
    var raw = (hi - lo) / 5, p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
    var step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
    var digits = Math.max(0, 1 - Math.floor(Math.log10(step)));
    var out = [];
    for (var a = Math.floor(lo / step) * step; a < hi && out.length < CLASS_COLOURS.length; a += step) {
      out.push({ lo: Number(a.toFixed(digits)), hi: Number((a + step).toFixed(digits)) });
    }
    var offset = CLASS_COLOURS.length - out.length;
    out.forEach(function (c, i) { c.colour = CLASS_COLOURS[offset + i]; });
    return out;
  }

  function classOf(classes, v) {
    for (var i = 0; i < classes.length; i++) {
      if (v < classes[i].hi || i === classes.length - 1) { return classes[i]; }
    }
    return null;
  }

  function signed(v) {
    return (v > 0 ? "+" : "") + Number(v).toFixed(2);
  }

  function leagueMap() {
    var el = document.getElementById("league-map");
    if (!el || !window.echarts) { return; }
    var rows = JSON.parse(document.getElementById("map-data").textContent);
    var lang = el.dataset.lang === "en" ? "en" : "zh";
    var year = el.dataset.year;
    var levelLabels = JSON.parse(el.dataset.levels);
    var select = document.getElementById("map-colour");
    var byCode = {};
    rows.forEach(function (r) { byCode[r.code] = r; });
    var chart = echarts.init(el);
    var labelPoints = {};

    function option(colour) {
      var isLevel = colour === "warning";
      var colourLabel = select.options[select.selectedIndex].text;
      var values = rows.map(function (r) { return r.values[colour]; })
        .filter(function (v) { return v !== null && v !== undefined; });
      var unit = "";
      rows.forEach(function (r) { if (!unit && r.units[colour]) { unit = r.units[colour]; } });
      var classes = !isLevel && values.length ? valueClasses(values) : [];
      var data = rows.map(function (r) {
        var v = isLevel ? (r.level || NO_LEVEL_VALUE) : r.values[colour];
        var fill = isLevel ? (r.level ? LEVEL_COLOURS[r.level] : NO_LEVEL)
          : (v === null || v === undefined ? NO_LEVEL : classOf(classes, v).colour);
        return { name: r.code, code: r.code, level: r.level, value: v === undefined ? null : v,
                 itemStyle: { areaColor: fill },
                 emphasis: { itemStyle: { areaColor: fill, borderColor: "#1f2d3d", borderWidth: 2 } } };
      });
      var pieces = isLevel
        ? [1, 2, 3].map(function (lv) { return { value: lv, label: levelLabels[lv - 1], color: LEVEL_COLOURS[lv] }; })
            .concat([{ value: NO_LEVEL_VALUE, label: el.dataset.noLevel, color: NO_LEVEL }])
        : classes.map(function (c, i) {
            var piece = { gte: c.lo, label: fmt(c.lo) + " – " + fmt(c.hi) + " " + unit, color: c.colour };
            if (i === classes.length - 1) { piece.lte = c.hi; } else { piece.lt = c.hi; }
            return piece;
          });
      var sources = {};
      rows.forEach(function (r) { if (r.sources[colour]) { sources[r.sources[colour]] = true; } });
      return {
        title: { text: el.dataset.title + " · " + colourLabel, left: "center", textStyle: { fontSize: 15 },
                 subtext: el.dataset.asOf + " · " + el.dataset.sourceLabel + ": " + Object.keys(sources).join("; "),
                 subtextStyle: { fontSize: 11, color: "#555" } },
        tooltip: {
          trigger: "item", className: "map-tooltip",
          formatter: function (p) {
            var r = byCode[p.name];
            if (!r) { return p.name; }
            var lines = [r.name];
            var lv = r.level ? levelLabels[r.level - 1] : el.dataset.noLevel;
            lines.push(lv + (r.change_pct === null || r.change_pct === undefined ? ""
              : " · " + el.dataset.changeLabel + " " + signed(r.change_pct) + " %"));
            if (!isLevel) {
              var v = r.values[colour];
              lines.push(colourLabel + ": " + fmt(v) + (v === null || v === undefined ? "" : " " + (r.units[colour] || "")));
            }
            lines.push(el.dataset.asOf + " · " + el.dataset.sourceLabel + ": " + (r.sources[colour] || "—"));
            return lines.map(function (line) { return echarts.format.encodeHTML(line); }).join("<br>");
          }
        },
        toolbox: { right: 10, feature: { saveAsImage: { name: "league-map-" + colour + "-" + year, pixelRatio: 2 } } },
        visualMap: [{
          type: "piecewise", pieces: pieces, selectedMode: false, left: 10, bottom: 10, orient: "vertical", inverse: true,
          itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 11 }, outOfRange: { color: NO_LEVEL },
          text: [isLevel ? el.dataset.legendTitle : colourLabel + (unit ? " (" + unit + ")" : "")], showLabel: true
        }],
        graphic: [{
          type: "text", id: "boundary-note", right: 12, bottom: 10, silent: true,
          style: { text: el.dataset.note, fill: "#555", fontSize: 12 }
        }],
        series: [{
          type: "map", map: "im-leagues", nameProperty: "code", roam: false, selectedMode: false,
          layoutCenter: ["55%", "54%"], layoutSize: "84%",
          label: { show: true, fontSize: 10, formatter: function (p) { return byCode[p.name] ? byCode[p.name].name : p.name; } },
          emphasis: { label: { show: true, fontWeight: "bold" } },
          itemStyle: { borderColor: "#fff", borderWidth: 1 },
          data: data
        }]
      };
    }

    function links(colour) {
      ["map-csv", "map-xlsx"].forEach(function (id) {
        var a = document.getElementById(id);
        var ext = id === "map-csv" ? "csv" : "xlsx";
        // before the barometer's first year there are no levels to download
        a.hidden = colour === "warning" && !a.dataset.warningHref;
        if (a.hidden) { a.removeAttribute("href"); return; }
        a.setAttribute("href", colour === "warning" ? a.dataset.warningHref
          : "/api/tracking/indicators." + ext + "?indicator=" + encodeURIComponent(colour) + "&period=" + year +
            "&parent=150000&lang=" + lang);
      });
      document.querySelectorAll("#map-provenance [data-colour]").forEach(function (c) {
        c.hidden = c.dataset.colour !== colour;
      });
    }

    fetch("/api/regions/150000/leagues.geojson").then(function (r) { return r.json(); }).then(function (geo) {
      echarts.registerMap("im-leagues", geo);
      geo.features.forEach(function (f) { labelPoints[f.properties.code] = f.properties.label_point; });
      chart.setOption(option(select.value), true);
      links(select.value);
      chart.on("click", function (p) {
        var code = p.data && p.data.code;
        if (code) { window.location.href = "/regions/" + code + "?lang=" + lang + "&year=" + year; }
      });
      select.addEventListener("change", function () {
        chart.setOption(option(select.value), true);
        links(select.value);
        setQuery("colour", select.value === "warning" ? "" : select.value);
      });
      document.getElementById("map-png").addEventListener("click", function () {
        savePng(chart, "league-map-" + select.value + "-" + year);
      });
      window.addEventListener("resize", function () { chart.resize(); });
      window.tanfengMap = {
        chart: chart,
        features: geo.features.length,
        codes: geo.features.map(function (f) { return f.properties.code; }),
        pixelOf: function (code) { return chart.convertToPixel({ seriesIndex: 0 }, labelPoints[code]); }
      };
      // ready once ECharts has drawn the map and its animation is over (clicks then hit what is shown)
      chart.on("finished", function () { el.dataset.ready = "1"; });
      chart.resize();
    });
  }

  // ---------------------------------------------------------------------------------- target board
  function sparkline(svg) {
    var s = JSON.parse(svg.dataset.series || "[]");
    var req = JSON.parse(svg.dataset.required || "[]");
    var all = s.concat(req);
    if (!s.length) { return; }
    var xs = all.map(function (p) { return p[0]; }), ys = all.map(function (p) { return p[1]; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var W = 120, H = 28, pad = 2;
    function pt(p) {
      var x = pad + (x1 === x0 ? 0.5 : (p[0] - x0) / (x1 - x0)) * (W - 2 * pad);
      var y = H - pad - (y1 === y0 ? 0.5 : (p[1] - y0) / (y1 - y0)) * (H - 2 * pad);
      return x.toFixed(1) + "," + y.toFixed(1);
    }
    var ns = "http://www.w3.org/2000/svg";
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    if (req.length) {
      var r = document.createElementNS(ns, "polyline");
      r.setAttribute("points", req.map(pt).join(" "));
      r.setAttribute("fill", "none"); r.setAttribute("stroke", "#9aa5b1"); r.setAttribute("stroke-dasharray", "3,2");
      svg.appendChild(r);
    }
    var l = document.createElementNS(ns, "polyline");
    l.setAttribute("points", s.map(pt).join(" "));
    l.setAttribute("fill", "none"); l.setAttribute("stroke", "#0b6e4f"); l.setAttribute("stroke-width", "1.5");
    svg.appendChild(l);
  }

  // The board's filters (action, league, status, and the indicator search by name or code) act on the rows
  // shown; the downloads ask the server for the same rows with the same parameters.
  function board() {
    var table = document.getElementById("board-table");
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.forEach(function (r) { var s = r.querySelector("svg.spark"); if (s) { sparkline(s); } });
    var f = { action: document.getElementById("f-action"), league: document.getElementById("f-league"),
              status: document.getElementById("f-status"), q: document.getElementById("f-q") };
    var shown = document.getElementById("n-shown");
    var downloads = Array.prototype.slice.call(document.querySelectorAll("#board-csv, #board-xlsx"));
    function apply() {
      var n = 0;
      var q = f.q.value.trim().toLowerCase();
      rows.forEach(function (r) {
        var ok = (!f.action.value || r.dataset.action === f.action.value) &&
                 (!f.league.value || r.dataset.league === f.league.value) &&
                 (!f.status.value || r.dataset.status === f.status.value) &&
                 (!q || r.dataset.search.indexOf(q) !== -1);
        r.hidden = !ok;
        if (ok) { n += 1; }
      });
      shown.textContent = String(n);
      Object.keys(f).forEach(function (k) { setQuery(k, f[k].value.trim()); });
      downloads.forEach(function (a) {
        var url = new URL(a.getAttribute("href"), window.location.href);
        Object.keys(f).forEach(function (k) {
          var v = f[k].value.trim();
          if (v) { url.searchParams.set(k, v); } else { url.searchParams.delete(k); }
        });
        a.setAttribute("href", url.pathname + "?" + url.searchParams.toString());
      });
    }
    var initial = new URLSearchParams(window.location.search);
    Object.keys(f).forEach(function (k) {
      if (initial.get(k)) { f[k].value = initial.get(k); }
      f[k].addEventListener("change", apply);
      f[k].addEventListener("input", apply);
    });
    apply();
    table.dataset.ready = "1";
  }

  // ---------------------------------------------------------------------------------- trend chart
  // The indicator's yearly values with their unit on the axis, and for each plan target of the region on it
  // the target at its year (a marked point and a dashed level) and the required path from the base year; the
  // caption under the chart gives the latest year shown and the sources by years.
  function provenanceOf(rows, el) {
    var groups = [];
    rows.forEach(function (r) {
      var kind = r.sample ? "sample" : (r.origin === "reference_statistics" ? "statistic" : "reported");
      var label = kind === "sample" ? el.dataset.sampleLabel
        : (kind === "reported" ? el.dataset.reportedLabel : (r.source_label || r.source));
      var g = groups.filter(function (x) { return x.kind === kind && x.label === label; })[0];
      if (!g) { g = { kind: kind, label: label, title: r.source, years: [] }; groups.push(g); }
      g.years.push(Number(r.period));
    });
    groups.forEach(function (g) { g.span = yearRuns(g.years); });
    return groups;
  }

  // 2015, 2016, 2017, 2019 → "2015–2017, 2019"
  function yearRuns(years) {
    var ys = years.slice().sort(function (a, b) { return a - b; });
    var runs = [];
    ys.forEach(function (y) {
      var last = runs[runs.length - 1];
      if (last && y === last[1] + 1) { last[1] = y; } else { runs.push([y, y]); }
    });
    return runs.map(function (r) { return r[0] === r[1] ? String(r[0]) : r[0] + "–" + r[1]; }).join(", ");
  }

  function writeCaption(caption, rows, el) {
    caption.textContent = "";
    var last = rows.reduce(function (m, r) { return r.period > m ? r.period : m; }, "");
    var asOf = document.createElement("span");
    asOf.className = "as-of";
    asOf.textContent = last ? el.dataset.asOf.replace("{year}", last) : "—";
    caption.appendChild(asOf);
    caption.appendChild(document.createTextNode(" · "));
    var src = document.createElement("span");
    src.className = "source-of";
    src.appendChild(document.createTextNode(el.dataset.sourceLabel + ": "));
    provenanceOf(rows, el).forEach(function (g, i) {
      if (i) { src.appendChild(document.createTextNode("; ")); }
      var s = document.createElement("span");
      s.className = "src src-" + g.kind;
      s.title = g.title;
      if (g.kind === "statistic") { s.lang = /^[\x00-\x7f]*$/.test(g.label) ? "en" : "zh-CN"; s.translate = false; }
      s.textContent = g.label + " (" + g.span + ")";
      src.appendChild(s);
    });
    caption.appendChild(src);
  }

  function trend() {
    var el = document.getElementById("trend-chart");
    if (!el || !window.echarts) { return; }
    var code = el.dataset.region;
    var lang = el.dataset.lang === "en" ? "en" : "zh";
    var meta = JSON.parse(document.getElementById("trend-targets").textContent);
    var caption = document.getElementById("trend-provenance");
    var select = document.getElementById("trend-indicator");
    var chart = echarts.init(el);
    function load() {
      var ind = select.value;
      var label = select.options[select.selectedIndex].text;
      fetch("/api/tracking/indicators?region=" + code + "&indicator=" + encodeURIComponent(ind))
        .then(function (r) { return r.json(); })
        .then(function (rows) {
          rows = rows.filter(function (r) { return /^\d{4}$/.test(r.period); });
          var sample = rows.some(function (r) { return r.sample; });
          var unit = meta.units[ind] || (rows.length ? rows[0].unit : "");
          var targets = meta.targets[ind] || [];
          var years = {};
          rows.forEach(function (r) { years[r.period] = true; });
          targets.forEach(function (t) { t.path.forEach(function (p) { years[String(p[0])] = true; }); });
          var xs = Object.keys(years).sort();
          var byYear = {};
          rows.forEach(function (r) { byYear[r.period] = r.value; });
          var series = [{ type: "line", name: el.dataset.actualLabel, symbolSize: 6, connectNulls: false,
                          data: xs.map(function (y) { return y in byYear ? byYear[y] : null; }) }];
          targets.forEach(function (t) {
            var path = {};
            t.path.forEach(function (p) { path[String(p[0])] = p[1]; });
            series.push({ type: "line", name: el.dataset.pathLabel.replace("{base}", t.baseline_year).replace("{year}", t.year),
                          symbol: "none", lineStyle: { type: "dashed", width: 1.5 }, color: "#9aa5b1",
                          data: xs.map(function (y) { return y in path ? path[y] : null; }) });
            var name = el.dataset.targetLabel.replace("{year}", t.year);
            series.push({ type: "line", name: name, color: "#D93025", symbol: "diamond", symbolSize: 12,
                          data: xs.map(function (y) { return y === String(t.year) ? t.value : null; }),
                          label: { show: true, position: "top", formatter: t.display },
                          markLine: { symbol: "none", silent: true, lineStyle: { type: "dotted", color: "#D93025" },
                                      label: { show: false }, data: [{ yAxis: t.value }] } });
          });
          chart.setOption({
            title: { text: el.dataset.name + " · " + label + (sample ? " (" + el.dataset.sampleLabel + ")" : ""),
                     subtext: targets.length ? "" : el.dataset.noTarget,
                     left: "center", textStyle: { fontSize: 14 }, subtextStyle: { fontSize: 11, color: "#555" } },
            legend: { bottom: 0, data: series.map(function (x) { return x.name; }) },
            grid: { top: 60, bottom: 60, left: 70, right: 50 },
            tooltip: { trigger: "axis", valueFormatter: function (v) {
              return v === null || v === undefined ? "—" : fmt(v) + " " + unit; } },
            toolbox: { right: 10, feature: { saveAsImage: { name: code + "-" + ind, pixelRatio: 2 } } },
            xAxis: { type: "category", data: xs, name: el.dataset.yearLabel, nameLocation: "end" },
            yAxis: { type: "value", name: unit, scale: true, nameTextStyle: { align: "left" } },
            series: series
          }, true);
          writeCaption(caption, rows, el);
          chart.off("finished");
          chart.on("finished", function () { el.dataset.ready = "1"; });
          ["trend-csv", "trend-xlsx"].forEach(function (id) {
            var ext = id === "trend-csv" ? "csv" : "xlsx";
            document.getElementById(id).setAttribute("href", "/api/tracking/indicators." + ext + "?region=" + code +
              "&indicator=" + encodeURIComponent(ind) + "&lang=" + lang);
          });
          el.dataset.indicator = ind;
        });
    }
    var initial = new URLSearchParams(window.location.search).get("indicator");
    if (initial) { select.value = initial; }
    select.addEventListener("change", function () { el.dataset.ready = ""; setQuery("indicator", select.value); load(); });
    document.getElementById("trend-png").addEventListener("click", function () { savePng(chart, code + "-" + select.value); });
    window.addEventListener("resize", function () { chart.resize(); });
    window.tanfengTrend = { chart: chart };
    load();
  }

  leagueMap();
  board();
  trend();
}());
