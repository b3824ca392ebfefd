/* Sector dashboards (issue 20 part 5): each indicator's trend with its forecast bands (ECharts) from a json_script
   block, and a PNG of any chart drawn client-side (ECharts getDataURL). No inline script (CSP). */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var charts = {};

  function diff(high, low) { return high.map(function (v, i) { return v - low[i]; }); }

  function draw(el) {
    var code = el.getAttribute("data-sector-chart");
    var node = document.getElementById("sector-chart-data-" + code);
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    var label = function (key, fallback) { return el.getAttribute("data-label-" + key) || fallback; };
    var fc = data.forecast || { periods: [], point: [], lo80: [], hi80: [], lo95: [], hi95: [] };
    var pad = data.periods.map(function () { return null; });
    var joinAt = data.periods.length - 1;
    var forecastLine = pad.slice();
    if (fc.periods.length) { forecastLine[joinAt] = data.values[joinAt]; }
    var band = function (values) { return pad.concat(values); };
    el.style.height = "300px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      backgroundColor: "#ffffff",
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll", data: [label("value", "Giá trị"), label("forecast", "Dự báo"), label("band80", "80%"), label("band95", "95%")] },
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: data.periods.concat(fc.periods) },
      yAxis: { type: "value", scale: true, name: data.unit || "" },
      series: [
        { name: "lo95", type: "line", data: band(fc.lo95), stack: "b95", lineStyle: { opacity: 0 }, symbol: "none", tooltip: { show: false } },
        { name: label("band95", "95%"), type: "line", data: band(diff(fc.hi95, fc.lo95)), stack: "b95", lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { color: "rgba(32,107,196,0.12)" } },
        { name: "lo80", type: "line", data: band(fc.lo80), stack: "b80", lineStyle: { opacity: 0 }, symbol: "none", tooltip: { show: false } },
        { name: label("band80", "80%"), type: "line", data: band(diff(fc.hi80, fc.lo80)), stack: "b80", lineStyle: { opacity: 0 }, symbol: "none", areaStyle: { color: "rgba(32,107,196,0.22)" } },
        { name: label("value", "Giá trị"), type: "line", data: data.values, connectNulls: false, itemStyle: { color: "#206bc4" } },
        { name: label("forecast", "Dự báo"), type: "line", data: forecastLine.concat(fc.point), lineStyle: { type: "dashed" }, itemStyle: { color: "#f76707" } }
      ]
    });
    charts[code] = chart;
  }

  function savePng(button) {
    var chart = charts[button.getAttribute("data-chart-png")];
    if (!chart) { return; }
    var link = document.createElement("a");
    link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
    link.download = button.getAttribute("data-filename") || "chart.png";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-sector-chart]"), draw);
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart-png]"), function (button) {
    button.addEventListener("click", function () { savePng(button); });
  });
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (code) { charts[code].resize(); });
  });
})();
