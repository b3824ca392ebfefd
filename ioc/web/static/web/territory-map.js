/* Draws the territory's communes from the geo API's GeoJSON boundaries with Leaflet, without a tile server.
   Any element with [data-ioc-map] and data-boundaries-url becomes a map. No inline script (CSP).
   An optional data-tile-url draws tiles under the boundaries. When drawn, the element carries the map
   (el.iocMap, el.iocBoundaries) and fires "ioc:map-ready" (detail: map, boundaries) for pages that add layers
   (ioc/maps/static/maps/map-page.js).
   With data-bounds ("west,south,east,north", the territory's box from the server) the map is made and fitted at
   once and "ioc:map-ready" fires before the communes arrive, so a page's point layers are asked for in parallel
   with the communes (issue 20: the overview's first screen); the communes are added to the same layer when they
   come, without moving the view. A page that knows the boundaries' URL preloads it in its <head>
   (`<link rel="preload" as="fetch" crossorigin>`), so the shapes are on their way before the scripts run. */
(function () {
  "use strict";

  function setStatus(el, text) {
    var status = el.querySelector("[data-ioc-map-status]");
    if (status) { status.textContent = text; }
  }

  function featureName(feature) {
    var p = feature.properties || {};
    return p.full_name || p.name || p.code || "";
  }

  function palette(el) {
    if (el.closest("[data-bs-theme=dark]")) {
      return { color: "#6fb3f0", weight: 1, fillColor: "#3d8bd4", fillOpacity: 0.22 };
    }
    return { color: "#0b4f8a", weight: 1, fillColor: "#3d8bd4", fillOpacity: 0.18 };
  }

  /* "west,south,east,north" → Leaflet bounds, or null when absent or not four finite numbers. */
  function boxOf(el) {
    var parts = (el.getAttribute("data-bounds") || "").split(",").map(Number);
    if (parts.length !== 4 || !parts.every(isFinite)) { return null; }
    var bounds = L.latLngBounds([parts[1], parts[0]], [parts[3], parts[2]]);
    return bounds.isValid() ? bounds : null;
  }

  function makeMap(el) {
    var style = palette(el);
    var map = L.map(el, { zoomControl: true, attributionControl: false, preferCanvas: true, zoomSnap: 0.25 });
    var tiles = el.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
    var layer = L.geoJSON(null, {
      style: function () { return style; },
      onEachFeature: function (feature, shape) {
        var name = featureName(feature);
        if (name) { shape.bindTooltip(name, { sticky: true }); }
        shape.on("mouseover", function () { shape.setStyle({ fillOpacity: 0.45, weight: 2 }); });
        shape.on("mouseout", function () { layer.resetStyle(shape); });
      }
    }).addTo(map);
    el.iocMap = map;
    el.iocBoundaries = layer;
    return map;
  }

  function ready(el) {
    el.dispatchEvent(new CustomEvent("ioc:map-ready", { bubbles: true,
      detail: { map: el.iocMap, boundaries: el.iocBoundaries } }));
  }

  function fit(map, bounds) {
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [8, 8] }); } else { map.setView([16, 106], 6); }
  }

  function draw(el, geojson, early) {
    var map = early ? el.iocMap : makeMap(el);
    el.iocBoundaries.addData(geojson);
    if (!early) { fit(map, el.iocBoundaries.getBounds()); }
    el.setAttribute("data-feature-count", String((geojson.features || []).length));
    setStatus(el, "");
    if (!early) { ready(el); }
  }

  function load(el) {
    var url = el.getAttribute("data-boundaries-url");
    if (!url || typeof L === "undefined") { return; }
    var box = boxOf(el);
    /* No headers of our own: the page asks for the same URL at once with <link rel="preload" as="fetch"
       crossorigin> (issue 20), and the browser hands that answer to a fetch only when its headers match. */
    var answer = fetch(url, { credentials: "same-origin" });
    if (box) {  /* issue 20: the view is known now; the layers need not wait for the shapes */
      fit(makeMap(el), box);
      ready(el);
    }
    answer
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (geojson) { draw(el, geojson, !!box); })
      .catch(function () {
        setStatus(el, el.getAttribute("data-error-text") || "Không tải được ranh giới / Boundaries could not be loaded");
      });
  }

  document.querySelectorAll("[data-ioc-map]").forEach(load);
})();
