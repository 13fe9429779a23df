// Charts of the peak path page: fan chart, wedges, LMDI waterfall, league map of peak years (ECharts).
(function () {
  "use strict";
  var dataEl = document.getElementById("scenario-data");
  if (!dataEl || typeof echarts === "undefined") { return; }
  var d = JSON.parse(dataEl.textContent);
  var names = JSON.parse(document.getElementById("league-names").textContent);
  var zh = (document.getElementById("fan-chart").dataset.lang || "zh") === "zh";
  var labels = d.labels || {};
  function label(k) { return labels[k] || k; }
  var unit = (labels.unit || "MtCO2") + " (" + (labels.accounting || d.electricity_accounting) + ")";
  var charts = [];

  function make(id, option) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var c = echarts.init(el);
    c.on("finished", function () { el.dataset.ready = "1"; });
    c.setOption(option);
    c.resize();
    charts.push(c);
    return c;
  }

  // fan chart: CEADs history, the path and its 5-95 % band (region 150000)
  var region = d.regions[0];
  var years = region.emissions.map(function (e) { return e.year; });
  var hist = d.history.province.map(function (p) { return [p.year, p.mtco2]; });
  make("fan-chart", {
    tooltip: { trigger: "axis" },
    legend: { data: [zh ? "CEADs 历史" : "CEADs history", zh ? "情景路径" : "path", "P5–P95"] },
    xAxis: { type: "value", min: 1997, max: 2060, axisLabel: { formatter: function (v) { return String(v); } } },
    yAxis: { type: "value", name: unit },
    series: [
      { name: zh ? "CEADs 历史" : "CEADs history", type: "line", data: hist, showSymbol: false },
      { name: "P5", type: "line", stack: "band", data: region.emissions.map(function (e) { return [e.year, e.low]; }),
        lineStyle: { opacity: 0 }, showSymbol: false },
      { name: "P5–P95", type: "line", stack: "band", areaStyle: { opacity: 0.25 }, lineStyle: { opacity: 0 },
        showSymbol: false, data: region.emissions.map(function (e) { return [e.year, e.high - e.low]; }) },
      { name: zh ? "情景路径" : "path", type: "line", showSymbol: false,
        data: region.emissions.map(function (e) { return [e.year, e.mtco2]; }) }
    ]
  });

  // wedges of the region against BAU
  var wedges = d.wedges.filter(function (w) { return w.region === "150000" && w.lever !== "drivers"; });
  make("wedge-chart", {
    tooltip: { trigger: "axis" }, legend: { type: "scroll" },
    xAxis: { type: "category", data: d.wedge_years },
    yAxis: { type: "value", name: unit },
    series: wedges.map(function (w) {
      return { name: label(w.lever), type: "line", stack: "w", areaStyle: {}, showSymbol: false, data: w.values };
    })
  });

  // LMDI waterfall of the region
  var eff = d.lmdi.regions[0].values, effects = d.lmdi.effects.map(label), base = [], vals = [], acc = 0;
  eff.forEach(function (v) { base.push(v >= 0 ? acc : acc + v); vals.push(Math.abs(v)); acc += v; });
  make("lmdi-chart", {
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: effects.concat([zh ? "合计" : "total"]) },
    yAxis: { type: "value", name: labels.unit || "MtCO2" },
    series: [
      { type: "bar", stack: "wf", itemStyle: { color: "transparent" }, data: base.concat([Math.min(acc, 0)]) },
      { type: "bar", stack: "wf", data: vals.concat([Math.abs(acc)]).map(function (v, i) {
        var sign = i < eff.length ? eff[i] : acc;
        return { value: v, itemStyle: { color: sign >= 0 ? "#c0392b" : "#27ae60" } };
      }) }
    ]
  });

  // league map coloured by peak year
  var mapEl = document.getElementById("peak-map");
  var peakYears = d.leagues.map(function (l) { return l.peak_year; });
  fetch("/api/regions/150000/leagues.geojson").then(function (r) { return r.json(); }).then(function (geo) {
    echarts.registerMap("im-leagues-peak", geo);
    var c = make("peak-map", {
      tooltip: { formatter: function (p) { return (names[p.name] || p.name) + ": " + (p.value || "—"); } },
      visualMap: { min: Math.min.apply(null, peakYears), max: Math.max.apply(null, peakYears), calculable: true,
                   text: [zh ? "晚" : "late", zh ? "早" : "early"], inRange: { color: ["#2e7d32", "#fbc02d", "#c62828"] } },
      series: [{ type: "map", map: "im-leagues-peak", nameProperty: "code",
                 data: d.leagues.map(function (l) { return { name: l.region, value: l.peak_year }; }) }]
    });
    if (c) { window.tanfengPeakMap = { chart: c, features: geo.features.length }; }
    mapEl.dataset.names = Object.keys(names).length;
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
