/* A topic's trend (R5.7, issue 22 item 6): counts per hour or day beside the baseline (and, hourly, the hot
   threshold), drawn with ECharts from a json_script block. No inline script (CSP). */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll("[data-media-trend]").forEach(function (el) {
    var node = document.getElementById(el.getAttribute("data-media-trend"));
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    var label = function (key, fallback) { return el.getAttribute("data-label-" + key) || fallback; };
    var series = [
      { name: label("count", "Số tin"), type: data.step === "day" ? "bar" : "line", data: data.counts, itemStyle: { color: "#206bc4" }, symbol: "none" },
      { name: label("baseline", "Thường lệ"), type: "line", data: data.baseline, lineStyle: { type: "dashed" }, itemStyle: { color: "#667382" }, symbol: "none" }
    ];
    if (data.threshold && data.threshold.length) {
      series.push({ name: label("threshold", "Ngưỡng nóng"), type: "line", data: data.threshold, lineStyle: { type: "dotted" }, itemStyle: { color: "#d63939" }, symbol: "none" });
    }
    el.style.height = "320px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      backgroundColor: "#ffffff",
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll", data: series.map(function (s) { return s.name; }) },
      grid: { left: 40, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
