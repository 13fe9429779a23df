// The plan review page: builds the review (accept, correct, reject, add) from the choices made, as JSON.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) { return; }
  var text = document.getElementById("review-text");
  var rows = document.getElementById("review-rows");
  var added = 0;

  function fieldsOf(row) {
    var out = {};
    row.querySelectorAll("[data-field]").forEach(function (el) {
      var v = el.value.trim();
      var name = el.getAttribute("data-field");
      if (name === "year" || name === "baseline_year") { out[name] = v === "" ? null : parseInt(v, 10); }
      else if (name === "value") { out[name] = v === "" ? null : parseFloat(v); }
      else { out[name] = v; }
    });
    return out;
  }

  function markFor(id) {
    return text.querySelector('mark[data-targets~="' + id + '"]');
  }

  rows.addEventListener("input", function (ev) {
    var row = ev.target.closest(".review-row");
    if (!row || !row.getAttribute("data-target") || !ev.target.hasAttribute("data-field")) { return; }
    var correct = row.querySelector('input[value="correct"]');
    if (correct) { correct.checked = true; }
  });

  rows.addEventListener("change", function (ev) {
    var row = ev.target.closest(".review-row");
    if (!row) { return; }
    if (ev.target.type === "radio") {
      var rejected = ev.target.value === "reject";
      row.classList.toggle("rejected", rejected);
      var m = markFor(row.getAttribute("data-target"));
      if (m) { m.classList.toggle("rejected", rejected); }
    } else if (row.getAttribute("data-target")) {
      var correct = row.querySelector('input[value="correct"]');
      if (correct) { correct.checked = true; }
    }
  });

  text.addEventListener("click", function (ev) {
    var m = ev.target.closest("mark");
    if (!m) { return; }
    var id = m.getAttribute("data-targets").split(" ")[0];
    var row = rows.querySelector('[data-target="' + id + '"]');
    text.querySelectorAll("mark.focus").forEach(function (x) { x.classList.remove("focus"); });
    m.classList.add("focus");
    if (row) { row.scrollIntoView({block: "nearest"}); }
  });

  document.getElementById("review-add").addEventListener("click", function () {
    var sel = window.getSelection();
    var sentence = sel ? sel.toString().trim() : "";
    if (!sentence) { return; }
    var tpl = document.getElementById("added-row");
    var row = tpl.content.firstElementChild.cloneNode(true);
    added += 1;
    row.setAttribute("data-added", String(added));
    row.setAttribute("data-sentence", sentence);
    row.querySelector(".sentence").textContent = sentence;
    rows.appendChild(row);
    var first = row.querySelector("input");
    if (first) { first.focus(); }
  });

  form.addEventListener("submit", function () {
    var review = {accept: [], reject: [], correct: {}, add: []};
    rows.querySelectorAll(".review-row").forEach(function (row) {
      var id = row.getAttribute("data-target");
      if (id) {
        var choice = row.querySelector('input[type="radio"]:checked').value;
        if (choice === "accept") { review.accept.push(id); }
        else if (choice === "reject") { review.reject.push(id); }
        else { review.correct[id] = fieldsOf(row); }
      } else {
        var spec = fieldsOf(row);
        spec.sentence = row.getAttribute("data-sentence");
        review.add.push(spec);
      }
    });
    document.getElementById("review-json").value = JSON.stringify(review);
  });
}());
