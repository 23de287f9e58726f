// nodeward dashboard: draws the charts of a node page with uPlot (served from /static/).
// Data come from the JSON in each chart element's data-series attribute; no inline script.
/* global document, uPlot */
"use strict";
(function () {
  if (typeof uPlot !== "function") return;
  var charts = document.querySelectorAll("[data-series]");
  for (var i = 0; i < charts.length; i++) draw(charts[i]);

  function draw(el) {
    var s;
    try {
      s = JSON.parse(el.getAttribute("data-series"));
    } catch {
      el.textContent = "chart data unreadable";
      return;
    }
    var width = Math.max(320, Math.min(900, el.clientWidth || 800));
    var opts = {
      title: s.title,
      width: width,
      height: 220,
      scales: { x: { time: true }, y: s.unit === "%" ? { range: [0, 100] } : {} },
      axes: [{}, { label: s.unit, size: 60 }],
      series: [{}, { label: s.label, stroke: s.unit === "%" ? "#2e7d32" : "#1565c0", width: 2, spanGaps: false, points: { show: true, size: 5 } }],
    };
    el.textContent = "";
    new uPlot(opts, [s.x, s.y], el);
  }
})();
