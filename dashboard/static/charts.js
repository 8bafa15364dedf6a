// Draws every [data-figure] element with Plotly: on load and after each htmx
// swap. The figure is JSON in the attribute (written with |tojson by the
// server); nothing here evaluates code, so the strict CSP holds.
(function () {
  "use strict";

  // no Plotly toolbar: on a phone it covers the chart, and nothing here needs its zoom or export
  var CONFIG = { displaylogo: false, displayModeBar: false, responsive: true };

  var DARK = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");

  // the server's figures are for a light page; in dark mode, light text and faint grid lines instead
  function forScheme(layout) {
    if (!DARK || !DARK.matches) return layout;
    layout.font = Object.assign({}, layout.font, { color: "#e5e7eb" });
    ["xaxis", "yaxis"].forEach(function (axis) {
      layout[axis] = Object.assign({}, layout[axis], { gridcolor: "#2b3441", linecolor: "#475569", zerolinecolor: "#475569" });
    });
    return layout;
  }

  function draw(el) {
    if (!window.Plotly || el.dataset.drawn === "1") return;
    var fig;
    try {
      fig = JSON.parse(el.getAttribute("data-figure"));
    } catch (err) {
      el.textContent = "This chart could not be read.";
      return;
    }
    el.dataset.drawn = "1";
    window.Plotly.newPlot(el, fig.data || [], forScheme(fig.layout || {}), CONFIG);
  }

  function drawAll(root) {
    root.querySelectorAll("[data-figure]").forEach(draw);
  }

  function purgeAll(root) {
    if (!window.Plotly || !root || !root.querySelectorAll) return;
    if (root.matches("[data-figure]") && root.dataset.drawn === "1") window.Plotly.purge(root);
    root.querySelectorAll("[data-figure]").forEach(function (el) {
      if (el.dataset.drawn === "1") window.Plotly.purge(el);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
  });
  // free the old plots before htmx replaces them, draw the new ones after
  document.addEventListener("htmx:beforeSwap", function (evt) {
    purgeAll(evt.detail.target);
  });
  // (the whole document: with an outerHTML swap the event's target is the old element)
  document.addEventListener("htmx:afterSwap", function () {
    drawAll(document);
  });
})();
