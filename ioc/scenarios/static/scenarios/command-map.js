/* The command view's map (R4.4): the incident's point and the watched area (or its commune), drawn with Leaflet
   from the page's JSON (json_script) without a tile server. No inline script (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("command-map");
  var source = document.getElementById("command-map-data");
  if (!box || !source || typeof L === "undefined") { return; }
  var data = JSON.parse(source.textContent || "{}");
  var map = L.map(box, { attributionControl: false, zoomControl: true });
  var bounds = null;
  if (data.area) {
    var layer = L.geoJSON(data.area, { style: function () { return { color: "#d63939", weight: 2, fillOpacity: 0.12 }; } });
    layer.addTo(map);
    bounds = layer.getBounds();
  }
  if (data.point) {
    var point = L.latLng(data.point[0], data.point[1]);
    L.circleMarker(point, { radius: 8, color: "#d63939", fillOpacity: 0.9, interactive: false }).addTo(map);
    bounds = bounds && bounds.isValid() ? bounds.extend(point) : L.latLngBounds([point, point]);
  }
  (data.resources || []).forEach(function (r) {
    var at = L.latLng(r[0], r[1]);
    L.circleMarker(at, { radius: 6, color: "#206bc4", fillOpacity: 0.8, interactive: false }).addTo(map);
    bounds = bounds && bounds.isValid() ? bounds.extend(at) : L.latLngBounds([at, at]);
  });
  if (bounds && bounds.isValid()) {
    map.fitBounds(bounds, { padding: [16, 16], maxZoom: 15, animate: false });
  } else {
    map.setView([16.0, 106.0], 5);
  }
})();
