// The sinks map of /registry/sinks: a choropleth of the leagues' sink totals (data in #sink-map's data-series).
(function () {
  var el = document.getElementById("sink-map");
  if (!el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(el.dataset.series || "[]");
  var unit = el.dataset.unit || "tCO2", names = {};
  data.forEach(function (d) { names[d.code] = d.name || d.code; });
  var max = Math.max.apply(null, data.map(function (d) { return d.value; }).concat([1]));
  var chart = echarts.init(el);
  fetch("/api/regions/150000/leagues.geojson").then(function (r) { return r.json(); }).then(function (geo) {
    echarts.registerMap("im-sinks", geo);
    chart.setOption({
      tooltip: { trigger: "item", formatter: function (p) { return (names[p.name] || p.name) + ": " + (p.value || 0).toLocaleString() + " " + unit; } },
      visualMap: { min: 0, max: max, left: "left", bottom: 10, text: [unit, ""], calculable: true },
      series: [{ type: "map", map: "im-sinks", nameProperty: "code", data: data.map(function (d) { return { name: d.code, value: d.value }; }) }]
    });
    chart.on("finished", function () { el.dataset.ready = "1"; });
  });
})();
