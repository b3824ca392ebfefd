/* Indicators (R2.4): the trend chart with its forecast band (ECharts) and the choropleth by commune (Leaflet,
   boundaries from the geo API, no tile server). Data come from json_script blocks; no inline script (CSP). */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function diff(high, low) {
    return high.map(function (v, i) { return v - low[i]; });
  }

  function trendChart(el, data) {
    if (typeof echarts === "undefined" || !data) { return; }
    el.style.height = "320px";
    var fc = data.forecast || { periods: [], point: [], lo80: [], hi80: [], lo95: [], hi95: [] };
    var periods = data.periods.concat(fc.periods);
    var pad = data.periods.map(function () { return null; });
    var joinAt = data.periods.length - 1;
    var forecastLine = pad.slice();
    forecastLine[joinAt] = data.values[joinAt];
    var band = function (values) { return pad.concat(values); };
    var label = function (key, fallback) { return el.getAttribute("data-label-" + key) || fallback; };
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: periods },
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
    chart.setOption({ legend: { data: [label("value", "Giá trị"), label("forecast", "Dự báo"), label("band80", "80%"), label("band95", "95%")] } });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var PALETTE = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  var NO_BAND = "#e9ecef";

  function classify(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    return [0.2, 0.4, 0.6, 0.8].map(function (q) { return sorted[Math.floor(q * (sorted.length - 1))]; });
  }

  function colourFor(value, breaks) {
    var k = 0;
    while (k < breaks.length && value > breaks[k]) { k += 1; }
    return PALETTE[k];
  }

  /* R2.1: the indicator's colour bands when it has them (the server chose each commune's band), quintiles only
     without bands. */
  function fillFor(code, value, data, breaks) {
    if (value === undefined) { return "#cccccc"; }
    if (data.bands && data.bands.length) { return (data.colours || {})[code] || NO_BAND; }
    return colourFor(value, breaks);
  }

  function choropleth(el, data) {
    if (typeof L === "undefined" || !data) { return; }
    var codes = Object.keys(data.values);
    var breaks = classify(codes.map(function (c) { return data.values[c]; }));
    fetch(el.getAttribute("data-boundaries-url"), { headers: { "Accept": "application/geo+json, application/json", "X-IOC-Background": "1" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (geojson) {
        var map = L.map(el, { attributionControl: false, preferCanvas: true, zoomSnap: 0.25 });
        var layer = L.geoJSON(geojson, {
          style: function (f) {
            var code = (f.properties || {}).code;
            var v = data.values[code];
            return { color: "#0b4f8a", weight: 1, fillOpacity: v === undefined ? 0.05 : 0.75, fillColor: fillFor(code, v, data, breaks) };
          },
          onEachFeature: function (f, shape) {
            var p = f.properties || {};
            var v = data.values[p.code];
            shape.bindTooltip((p.name || p.code || "") + ": " + (v === undefined ? "—" : v.toLocaleString("vi-VN") + " " + (data.unit || "")), { sticky: true });
          }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8] }); } else { map.setView([16, 106], 6); }
        var status = el.querySelector("[data-ioc-map-status]");
        if (status) { status.textContent = ""; }
        el.setAttribute("data-feature-count", String((geojson.features || []).length));
      })
      .catch(function () {
        var status = el.querySelector("[data-ioc-map-status]");
        if (status) { status.textContent = "Không tải được ranh giới / Boundaries could not be loaded"; }
      });
  }

  document.querySelectorAll("[data-indicator-chart]").forEach(function (el) { trendChart(el, readJson("indicator-chart-data")); });
  document.querySelectorAll("[data-indicator-map]").forEach(function (el) { choropleth(el, readJson("indicator-map-data")); });
})();
