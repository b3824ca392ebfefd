/* Charts of the citizen-report statistics page (R3.5). Data from the JSON API named by data-url; no inline
   script (CSP). Each [data-ioc-chart] element becomes one ECharts chart: "counts" or "quality". */
(function () {
  "use strict";

  var COLORS = ["#206bc4", "#2fb344", "#f76707", "#d63939", "#ae3ec9", "#f59f00"];

  function labels(rows) { return rows.map(function (r) { return r.label; }); }
  function column(rows, name) { return rows.map(function (r) { return r[name]; }); }

  function countsOption(data) {
    var rows = data.rows;
    var series = [
      ["received", "Tiếp nhận / Received"],
      ["handled", "Đã xử lý / Handled"],
      ["on_time", "Đúng hạn / On time"],
      ["overdue", "Quá hạn / Overdue"],
      ["rejected", "Không tiếp nhận / Rejected"]
    ];
    return {
      color: COLORS,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 64 },
      xAxis: { type: "category", data: labels(rows), axisLabel: { rotate: rows.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      dataZoom: rows.length > 40 ? [{ type: "slider", bottom: 0 }] : [],
      series: series.map(function (s) {
        return { name: s[1], type: "bar", data: column(rows, s[0]), emphasis: { focus: "series" } };
      })
    };
  }

  function qualityOption(data) {
    var rows = data.rows;
    return {
      color: [COLORS[0], COLORS[5]],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 40, top: 40, bottom: 64 },
      xAxis: { type: "category", data: labels(rows), axisLabel: { rotate: rows.length > 8 ? 40 : 0 } },
      yAxis: [
        { type: "value", name: "giờ / h" },
        { type: "value", name: "1–5", min: 0, max: 5 }
      ],
      series: [
        { name: "TB giờ xử lý / Mean hours", type: "bar", data: column(rows, "avg_handling_hours") },
        { name: "Hài lòng / Rating", type: "line", yAxisIndex: 1, connectNulls: true,
          data: column(rows, "rating_avg") }
      ]
    };
  }

  var BUILDERS = { counts: countsOption, quality: qualityOption };
  var cache = {};

  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        });
    }
    return cache[url];
  }

  function draw(el) {
    var build = BUILDERS[el.getAttribute("data-ioc-chart")];
    var url = el.getAttribute("data-url");
    if (!build || !url || typeof echarts === "undefined") { return; }
    load(url).then(function (data) {
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(build(data));
      el.setAttribute("data-rows", String(data.rows.length));
      window.addEventListener("resize", function () { chart.resize(); });
    }).catch(function () {
      el.textContent = "Không tải được số liệu / Data could not be loaded";
    });
  }

  document.querySelectorAll("[data-ioc-chart]").forEach(draw);
})();
