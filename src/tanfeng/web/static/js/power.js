// Charts of a power study: each fetches its figures from /api/power and draws them with ECharts.
(function () {
  "use strict";
  var root = document.getElementById("power-charts");
  if (!root || typeof echarts === "undefined") { return; }
  var study = root.dataset.study, week = Number(root.dataset.week), start = week * 168;
  var base = "/api/power/studies/" + encodeURIComponent(study);
  var colours = { coal: "#555", coal_flex: "#888", wind: "#3a9", solar: "#fc3", hydro: "#39c",
                  battery: "#c6c", phs: "#66c", demand_response: "#f96", load: "#000", export: "#c33" };
  var zh = root.dataset.lang !== "en";
  var names = { coal: "煤电", coal_flex: "灵活性改造煤电", wind: "风电", solar: "光伏", hydro: "水电", battery: "新型储能",
                phs: "抽水蓄能", demand_response: "需求响应", load: "区内负荷", export: "外送", load_export: "区内负荷+外送",
                net_load: "净负荷", full: "全部措施" };
  var namesEn = { coal: "coal", coal_flex: "coal (flexibility retrofit)", wind: "wind", solar: "solar", hydro: "hydro",
                  battery: "new-type storage", phs: "pumped storage", demand_response: "demand response", load: "load",
                  "export": "export", load_export: "load + export", net_load: "net load", full: "all measures" };
  // the plan measures and their names in the page's language come from the server (one list, the catalogue)
  var measures = JSON.parse(root.dataset.measures || "{}");
  var charging = { battery: "新型储能充电", phs: "抽水蓄能抽水", demand_response: "需求响应转入负荷" };
  var chargingEn = { battery: "new-type storage charging", phs: "pumped storage pumping",
                     demand_response: "demand response shifted in" };
  function label(k) {
    var table = zh ? names : namesEn;
    if (/_charge$/.test(k)) {
      var s = k.replace(/_charge$/, "");
      return zh ? (charging[s] || (names[s] || s) + "充电") : (chargingEn[s] || (namesEn[s] || s) + " charging");
    }
    if (k.indexOf("without ") === 0) { var m = k.slice(8); return (zh ? "无" : "without ") + (measures[m] || table[m] || m); }
    return table[k] || k;
  }
  // Chinese readers read power in 万千瓦 and energy in 亿千瓦时; the API answers MW and TWh
  var powerUnit = zh ? "万千瓦" : "MW", energyUnit = zh ? "亿千瓦时" : "TWh";
  function power(v) { return zh ? Math.round(v) / 10 : v; }
  function energy(v) { return zh ? Math.round(v * 1e4) / 1e3 : v; }
  // an answer that is not ok (an infeasible week, say) leaves its chart empty and shows the server's message once
  function get(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (body) { if (r.ok) { return body; } problem(body); return null; });
    });
  }
  function problem(body) {
    var box = document.getElementById("power-error");
    if (!box || !box.hidden) { return; }
    box.querySelector(".detail").textContent = (body && body.detail && body.detail.message) || "";
    box.hidden = false;
  }
  function chart(id) { var c = echarts.init(document.getElementById(id)); window.addEventListener("resize", c.resize); return c; }

  get(base + "/dispatch?week=" + week).then(function (d) {
    if (!d) { return; }
    // generation and storage discharge stack above the zero axis; storage charging (<carrier>_charge, ≤ 0)
    // stacks below it, as dispatch plots draw consumption
    var series = Object.keys(d.series).filter(function (k) { return k !== "load" && k !== "export"; }).map(function (k) {
      var charge = /_charge$/.test(k), c = colours[k.replace(/_charge$/, "")];
      return { name: label(k), type: "line", stack: charge ? "in" : "out", areaStyle: { opacity: charge ? 0.45 : 0.7 },
               symbol: "none", data: d.series[k].map(power), itemStyle: { color: c },
               lineStyle: { width: charge ? 1 : 0.5 } };
    });
    series.push({ name: label("load"), type: "line", symbol: "none", data: d.series.load.map(power), lineStyle: { width: 2 }, itemStyle: { color: "#000" } });
    series.push({ name: label("load_export"), type: "line", symbol: "none", lineStyle: { width: 2, type: "dashed" },
                  itemStyle: { color: colours["export"] },
                  data: d.series.load.map(function (v, i) { return power(Math.round((v + d.series["export"][i]) * 10) / 10); }) });
    chart("chart-stack").setOption({ tooltip: { trigger: "axis" }, legend: {}, xAxis: { type: "category", data: d.hours },
      yAxis: { type: "value", name: powerUnit }, series: series });
    root.dataset.stackReady = "1";
  });
  get(base + "/duration?hours=168&start=" + start).then(function (d) {
    if (!d) { return; }
    var keys = Object.keys(d.curves);
    chart("chart-duration").setOption({ tooltip: { trigger: "axis" }, legend: {},
      xAxis: { type: "category", data: d.curves.load.map(function (_, i) { return i + 1; }), name: zh ? "小时" : "h" },
      yAxis: { type: "value", name: powerUnit },
      series: keys.map(function (k) { return { name: label(k), type: "line", symbol: "none", data: d.curves[k].map(power) }; }) });
    root.dataset.durationReady = "1";
  });
  get(base + "/curtailment?hours=168&start=" + start).then(function (d) {
    if (!d) { return; }
    var cases = Object.keys(d.cases), carriers = ["wind", "solar"];
    chart("chart-curtailment").setOption({ tooltip: { trigger: "axis" }, legend: {},
      xAxis: { type: "category", data: cases.map(label), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: "value", name: energyUnit }, grid: { bottom: 80 },
      series: carriers.map(function (c) { return { name: label(c), type: "bar", stack: "c", itemStyle: { color: colours[c] },
        data: cases.map(function (k) { return energy(d.cases[k][c] || 0); }) }; }) });
    root.dataset.curtailmentReady = String(cases.length);
  });
  Promise.all([get("/api/regions/150000/leagues.geojson"), get(base + "/map")]).then(function (r) {
    if (!r[0] || !r[1]) { return; }
    echarts.registerMap("im-leagues", r[0]);
    var net = r[1], pos = {};
    net.buses.forEach(function (b) { pos[b.name] = [b.x, b.y]; });
    chart("chart-map").setOption({
      tooltip: { formatter: function (p) { return p.name; } }, geo: { map: "im-leagues", roam: true, itemStyle: { areaColor: "#eef", borderColor: "#99a" } },
      series: [
        { type: "scatter", coordinateSystem: "geo", symbolSize: 9, labelLayout: { hideOverlap: true },
          label: { show: true, formatter: "{b}", position: "right", fontSize: 9 },
          data: net.buses.map(function (b) { return { name: zh ? (b.name_zh || b.name) : b.name, value: [b.x, b.y] }; }) },
        { type: "lines", coordinateSystem: "geo", lineStyle: { width: 2, opacity: 0.7 },
          data: net.links.map(function (l) { return { name: l.name + " " + power(l.p_nom_mw) + " " + powerUnit, coords: [pos[l.bus0], pos[l.bus1]] }; }) }
      ] });
    root.dataset.mapReady = String(net.buses.length);
  });
}());
