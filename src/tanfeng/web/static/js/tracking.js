// Tracking pages: the league map (/overview), the target board (/board), the trend chart (/regions/{code}).
// ECharts comes from /static/vendor/echarts (npm set-up, no CDN). Every chart can be saved as PNG
// (toolbox and a download button); its data downloads as CSV and Excel from /api/tracking.
(function () {
  "use strict";
  var LEVEL_COLOURS = { 1: "#D93025", 2: "#F2B705", 3: "#2E9E4F" };
  var NO_LEVEL = "#D0D0D0";
  var LEVEL_LABELS = { zh: { 1: "一级预警", 2: "二级预警", 3: "三级预警" }, en: { 1: "Level 1", 2: "Level 2", 3: "Level 3" } };

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

  function fmt(v) {
    return (v === null || v === undefined) ? "—" : Number(v).toPrecision(4).replace(/\.?0+$/, "");
  }

  // ---------------------------------------------------------------------------------- league map
  function leagueMap() {
    var el = document.getElementById("league-map");
    if (!el || !window.echarts) { return; }
    var rows = JSON.parse(document.getElementById("map-data").textContent);
    var lang = el.dataset.lang === "en" ? "en" : "zh";
    var year = el.dataset.year;
    var select = document.getElementById("map-colour");
    var byCode = {};
    rows.forEach(function (r) { byCode[r.code] = r; });
    var chart = echarts.init(el);
    var labelPoints = {};

    function option(colour) {
      var isLevel = colour === "warning";
      var colourLabel = select.options[select.selectedIndex].text;
      var data = rows.map(function (r) {
        var d = { name: r.code, code: r.code, level: r.level, value: isLevel ? r.level : r.values[colour] };
        if (isLevel) { d.itemStyle = { areaColor: r.level ? LEVEL_COLOURS[r.level] : NO_LEVEL }; }
        return d;
      });
      var values = rows.map(function (r) { return r.values[colour]; }).filter(function (v) { return v !== null && v !== undefined; });
      var opt = {
        title: { text: el.dataset.title + " · " + colourLabel, left: "center", textStyle: { fontSize: 15 } },
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            var r = byCode[p.name];
            if (!r) { return p.name; }
            var lv = r.level ? LEVEL_LABELS[lang][r.level] : "—";
            var line = isLevel ? lv : (fmt(r.values[colour]) + " " + (r.units[colour] || ""));
            return r.name + "<br>" + line + (r.sample ? "<br>示例数据" : "");
          }
        },
        toolbox: { right: 10, feature: { saveAsImage: { name: "league-map-" + colour + "-" + year, pixelRatio: 2 } } },
        series: [{
          type: "map", map: "im-leagues", nameProperty: "code", roam: false, selectedMode: false,
          layoutCenter: ["50%", "54%"], layoutSize: "88%",
          label: { show: true, fontSize: 10, formatter: function (p) { return byCode[p.name] ? byCode[p.name].name : p.name; } },
          emphasis: { label: { show: true }, itemStyle: { areaColor: "#8fb9d8" } },
          itemStyle: { borderColor: "#fff", borderWidth: 1 },
          data: data
        }]
      };
      if (!isLevel && values.length) {
        opt.visualMap = { type: "continuous", min: Math.min.apply(null, values), max: Math.max.apply(null, values),
                          left: 10, bottom: 10, calculable: true, precision: 2,
                          inRange: { color: ["#e7f2ee", "#0b6e4f"] } };
      }
      return opt;
    }

    function links(colour) {
      ["map-csv", "map-xlsx"].forEach(function (id) {
        var a = document.getElementById(id);
        var ext = id === "map-csv" ? "csv" : "xlsx";
        a.setAttribute("href", colour === "warning" ? a.dataset.warningHref
          : "/api/tracking/indicators." + ext + "?indicator=" + encodeURIComponent(colour));
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

  function board() {
    var table = document.getElementById("board-table");
    if (!table) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    rows.forEach(function (r) { var s = r.querySelector("svg.spark"); if (s) { sparkline(s); } });
    var f = { action: document.getElementById("f-action"), league: document.getElementById("f-league"),
              status: document.getElementById("f-status") };
    var shown = document.getElementById("n-shown");
    function apply() {
      var n = 0;
      rows.forEach(function (r) {
        var ok = (!f.action.value || r.dataset.action === f.action.value) &&
                 (!f.league.value || r.dataset.league === f.league.value) &&
                 (!f.status.value || r.dataset.status === f.status.value);
        r.hidden = !ok;
        if (ok) { n += 1; }
      });
      shown.textContent = String(n);
      Object.keys(f).forEach(function (k) { setQuery(k, f[k].value); });
    }
    var initial = new URLSearchParams(window.location.search);
    Object.keys(f).forEach(function (k) {
      if (initial.get(k)) { f[k].value = initial.get(k); }
      f[k].addEventListener("change", apply);
    });
    apply();
    table.dataset.ready = "1";
  }

  // ---------------------------------------------------------------------------------- trend chart
  function trend() {
    var el = document.getElementById("trend-chart");
    if (!el || !window.echarts) { return; }
    var code = el.dataset.region;
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
          var unit = rows.length ? rows[0].unit : "";
          chart.setOption({
            title: { text: el.dataset.name + " · " + label + (sample ? " (" + el.dataset.sampleLabel + ")" : ""),
                     left: "center", textStyle: { fontSize: 14 } },
            tooltip: { trigger: "axis" },
            toolbox: { right: 10, feature: { saveAsImage: { name: code + "-" + ind, pixelRatio: 2 } } },
            xAxis: { type: "category", data: rows.map(function (r) { return r.period; }) },
            yAxis: { type: "value", name: unit, scale: true },
            series: [{ type: "line", name: label, data: rows.map(function (r) { return r.value; }), symbolSize: 6 }]
          }, true);
          ["trend-csv", "trend-xlsx"].forEach(function (id) {
            var ext = id === "trend-csv" ? "csv" : "xlsx";
            document.getElementById(id).setAttribute("href", "/api/tracking/indicators." + ext + "?region=" + code +
              "&indicator=" + encodeURIComponent(ind));
          });
          el.dataset.ready = "1";
        });
    }
    var initial = new URLSearchParams(window.location.search).get("indicator");
    if (initial) { select.value = initial; }
    select.addEventListener("change", function () { setQuery("indicator", select.value); load(); });
    document.getElementById("trend-png").addEventListener("click", function () { savePng(chart, code + "-" + select.value); });
    window.addEventListener("resize", function () { chart.resize(); });
    load();
  }

  leagueMap();
  board();
  trend();
}());
