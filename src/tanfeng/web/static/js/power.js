// Charts of a power study: each fetches its figures from /api/power and draws them with ECharts.
(function () {
  "use strict";
  var root = document.getElementById("power-charts");
  if (!root || typeof echarts === "undefined") { return; }
  var study = root.dataset.study, week = Number(root.dataset.week), start = week * 168;
  var base = "/api/power/studies/" + encodeURIComponent(study);
  var colours = { coal: "#555", coal_flex: "#888", wind: "#3a9", solar: "#fc3", hydro: "#39c",
                  battery: "#c6c", phs: "#66c", demand_response: "#f96", load: "#000", export: "#c33" };
  function get(url) { return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }); }
  function chart(id) { var c = echarts.init(document.getElementById(id)); window.addEventListener("resize", c.resize); return c; }

  get(base + "/dispatch?week=" + week).then(function (d) {
    var series = Object.keys(d.series).filter(function (k) { return k !== "load" && k !== "export"; }).map(function (k) {
      return { name: k, type: "line", stack: "out", areaStyle: {}, symbol: "none", data: d.series[k],
               itemStyle: { color: colours[k] } };
    });
    series.push({ name: "load", type: "line", symbol: "none", data: d.series.load, lineStyle: { width: 2 }, itemStyle: { color: "#000" } });
    chart("chart-stack").setOption({ tooltip: { trigger: "axis" }, legend: {}, xAxis: { type: "category", data: d.hours },
      yAxis: { type: "value", name: "MW" }, series: series });
    root.dataset.stackReady = "1";
  });
  get(base + "/duration?hours=168&start=" + start).then(function (d) {
    var keys = Object.keys(d.curves);
    chart("chart-duration").setOption({ tooltip: { trigger: "axis" }, legend: {},
      xAxis: { type: "category", data: d.curves.load.map(function (_, i) { return i + 1; }), name: "h" },
      yAxis: { type: "value", name: "MW" },
      series: keys.map(function (k) { return { name: k, type: "line", symbol: "none", data: d.curves[k] }; }) });
  });
  get(base + "/curtailment?hours=168&start=" + start).then(function (d) {
    var cases = Object.keys(d.cases), carriers = ["wind", "solar"];
    chart("chart-curtailment").setOption({ tooltip: { trigger: "axis" }, legend: {},
      xAxis: { type: "category", data: cases }, yAxis: { type: "value", name: "TWh" },
      series: carriers.map(function (c) { return { name: c, type: "bar", stack: "c", itemStyle: { color: colours[c] },
        data: cases.map(function (k) { return d.cases[k][c] || 0; }) }; }) });
  });
  Promise.all([get("/api/regions/150000/leagues.geojson"), get(base + "/map")]).then(function (r) {
    echarts.registerMap("im-leagues", r[0]);
    var net = r[1], pos = {};
    net.buses.forEach(function (b) { pos[b.name] = [b.x, b.y]; });
    chart("chart-map").setOption({
      tooltip: {}, geo: { map: "im-leagues", roam: true, itemStyle: { areaColor: "#eef", borderColor: "#99a" } },
      series: [
        { type: "scatter", coordinateSystem: "geo", symbolSize: 9, label: { show: true, formatter: "{b}", position: "right", fontSize: 9 },
          data: net.buses.map(function (b) { return { name: b.name, value: [b.x, b.y] }; }) },
        { type: "lines", coordinateSystem: "geo", lineStyle: { width: 2, opacity: 0.7 },
          data: net.links.map(function (l) { return { name: l.name + " " + l.p_nom_mw + " MW", coords: [pos[l.bus0], pos[l.bus1]] }; }) }
      ] });
  });
}());
