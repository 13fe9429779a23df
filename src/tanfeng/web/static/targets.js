// Client-side filtering of the target table; the same filters exist on /api/plans/{id}/targets.
(function () {
  "use strict";
  var table = document.getElementById("target-table");
  if (!table) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var f = {
    action: document.getElementById("f-action"),
    year: document.getElementById("f-year"),
    scope: document.getElementById("f-scope"),
    indicator: document.getElementById("f-indicator")
  };
  var shown = document.getElementById("n-shown");
  var csv = document.getElementById("download-csv");
  var csvBase = csv ? csv.getAttribute("href") : "";
  function apply() {
    var a = f.action.value, y = f.year.value, s = f.scope.value;
    var q = f.indicator.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!a || r.dataset.action === a) && (!y || r.dataset.year === y) &&
               (!s || r.dataset.scope === s) &&
               (!q || r.dataset.indicator.toLowerCase().indexOf(q) !== -1);
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
    if (csv) {
      var p = new URLSearchParams();
      if (a) { p.set("action", a); }
      if (y && y !== "none") { p.set("year", y); }
      if (s) { p.set("scope", s); }
      if (q) { p.set("indicator", q); }
      csv.setAttribute("href", csvBase + (p.toString() ? "?" + p.toString() : ""));
    }
    var state = new URLSearchParams(window.location.search);
    ["action", "year", "scope", "indicator"].forEach(function (k) {
      var v = f[k].value.trim();
      if (v) { state.set(k, v); } else { state.delete(k); }
    });
    history.replaceState(null, "", window.location.pathname + (state.toString() ? "?" + state.toString() : ""));
  }
  var initial = new URLSearchParams(window.location.search);
  ["action", "year", "scope", "indicator"].forEach(function (k) {
    if (initial.get(k)) { f[k].value = initial.get(k); }
    f[k].addEventListener("input", apply);
    f[k].addEventListener("change", apply);
  });
  apply();
}());
