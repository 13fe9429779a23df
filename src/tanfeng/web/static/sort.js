// Sortable tables and search boxes, for every page (no inline script, no CDN).
//
// A <table class="sortable"> sorts by any column when its header is clicked (again: the other way). A cell's
// data-sort attribute, when present, is the value sorted by (numbers written plainly); otherwise the cell's
// text, as a number when it reads as one (thousands separators and % allowed), else in Chinese collation.
// An <input class="table-search" data-table="ID"> keeps the rows of table ID whose text (or data-search, when a
// row has one) contains what is typed (a name, a 统一社会信用代码, an indicator); the count of rows shown goes to
// data-count-target, and the links of the element data-export names get q= (their server applies the same match).
(function () {
  "use strict";

  function cellValue(cell) {
    if (!cell) { return ""; }
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    var text = (raw || "").trim();
    var num = text.replace(/[,\s%]/g, "").replace(/^−/, "-");
    if (num !== "" && /^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(num)) { return parseFloat(num); }
    return text;
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    if (typeof a === "number") { return -1; }
    if (typeof b === "number") { return 1; }
    return String(a).localeCompare(String(b), "zh-Hans-CN");
  }

  function bodyRows(table, headerRow) {
    var rows = [];
    var all = table.tBodies.length ? table.tBodies[0].rows : table.rows;
    for (var i = 0; i < all.length; i++) {
      if (all[i] !== headerRow && all[i].querySelector("td") && !all[i].querySelector("td[colspan]")) {
        rows.push(all[i]);
      }
    }
    return rows;
  }

  function makeSortable(table) {
    var headerRow = table.tHead ? table.tHead.rows[0] : table.rows[0];
    if (!headerRow) { return; }
    var heads = headerRow.cells;
    for (var c = 0; c < heads.length; c++) {
      (function (index, th) {
        if (!th.textContent.trim()) { return; }
        th.setAttribute("data-sortable", "");
        th.setAttribute("tabindex", "0");
        function sort() {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          for (var h = 0; h < heads.length; h++) { heads[h].removeAttribute("aria-sort"); }
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var rows = bodyRows(table, headerRow);
          rows.sort(function (r1, r2) {
            var d = compare(cellValue(r1.cells[index]), cellValue(r2.cells[index]));
            return ascending ? d : -d;
          });
          var parent = rows.length ? rows[0].parentNode : null;
          rows.forEach(function (r) { parent.appendChild(r); });
        }
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
      })(c, heads[c]);
    }
  }

  function makeSearch(input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    if (!table) { return; }
    var headerRow = table.tHead ? table.tHead.rows[0] : table.rows[0];
    var counter = input.getAttribute("data-count-target") ?
      document.getElementById(input.getAttribute("data-count-target")) : null;
    var exports = input.getAttribute("data-export") ?
      document.querySelectorAll("#" + input.getAttribute("data-export") + " a[href]") : [];
    function filter() {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      bodyRows(table, headerRow).forEach(function (r) {
        var text = r.hasAttribute("data-search") ? r.getAttribute("data-search") : r.textContent.toLowerCase();
        var hit = !q || text.indexOf(q) !== -1;
        r.hidden = !hit;
        if (hit) { shown += 1; }
      });
      if (counter) { counter.textContent = String(shown); }
      // the export links ask for the rows the search shows (q=, the same match on the server)
      Array.prototype.forEach.call(exports, function (a) {
        var url = new URL(a.getAttribute("href"), window.location.href);
        if (q) { url.searchParams.set("q", input.value.trim()); } else { url.searchParams.delete("q"); }
        a.setAttribute("href", url.pathname + "?" + url.searchParams.toString());
      });
    }
    input.addEventListener("input", filter);
    if (input.getAttribute("data-export")) {
      var initial = new URLSearchParams(window.location.search).get("q");
      if (initial && !input.value) { input.value = initial; }
    }
    filter();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), makeSortable);
    Array.prototype.forEach.call(document.querySelectorAll("input.table-search"), makeSearch);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
