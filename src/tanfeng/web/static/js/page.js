// Behaviour every page shares, kept out of the markup: the Content-Security-Policy runs only the app's own
// script files and applies only its own style sheets (no inline script, handler or style attribute).
(function () {
  "use strict";
  // filter forms act on input; pressing Enter must not submit them
  document.querySelectorAll("form.js-no-submit").forEach(function (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  });
  // progress bars: <span data-width="42"> is 42 % wide
  document.querySelectorAll("[data-width]").forEach(function (el) {
    var w = parseFloat(el.dataset.width);
    if (isFinite(w)) { el.style.width = Math.max(0, Math.min(100, w)) + "%"; }
  });
})();
