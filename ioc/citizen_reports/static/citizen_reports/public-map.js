/* The public map of published reports (R3.4): Leaflet + markercluster over the territory's commune boundaries
   (GeoJSON from /api/v1/geo/, no tile server unless data-tile-url is set). No inline script (CSP). */
(function () {
  "use strict";

  var el = document.querySelector("[data-public-map]");
  if (!el || typeof L === "undefined") { return; }

  function text(name) { return el.getAttribute("data-text-" + name) || ""; }
  function status(message) {
    var s = el.querySelector("[data-map-status]");
    if (s) { s.textContent = message; s.hidden = !message; }
  }
  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/geo+json, application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error("HTTP " + response.status); } return response.json(); });
  }

  function popup(properties) {
    var box = document.createElement("div");
    box.className = "ioc-map-popup";
    var title = document.createElement("strong");
    title.textContent = properties.category || "";
    box.appendChild(title);
    [properties.unit, properties.status, properties.published].forEach(function (line) {
      if (!line) { return; }
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(line));
    });
    if (properties.approximate) {
      box.appendChild(document.createElement("br"));
      var note = document.createElement("em");
      note.textContent = text("approximate");
      box.appendChild(note);
    }
    box.appendChild(document.createElement("br"));
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = text("open") + " (" + properties.code + ")";
    box.appendChild(link);
    return box;
  }

  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, preferCanvas: true, maxZoom: 19 });
  map.setView([16.0, 106.0], 6);
  var tiles = el.getAttribute("data-tile-url");
  if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
  var fitted = false;

  var boundariesUrl = el.getAttribute("data-boundaries-url");
  if (boundariesUrl) {
    getJSON(boundariesUrl).then(function (geojson) {
      var layer = L.geoJSON(geojson, {
        style: function () { return { color: "#0b4f8a", weight: 1, fillColor: "#3d8bd4", fillOpacity: 0.1 }; },
        onEachFeature: function (feature, shape) {
          var p = feature.properties || {};
          if (p.name) { shape.bindTooltip(p.full_name || p.name, { sticky: true }); }
        }
      }).addTo(map);
      layer.bringToBack();
      var bounds = layer.getBounds();
      if (bounds.isValid() && !fitted) { map.fitBounds(bounds, { padding: [6, 6] }); }
    }).catch(function () { /* reports still show without the background */ });
  }

  var cluster = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 })
                                     : L.layerGroup();
  cluster.addTo(map);
  getJSON(el.getAttribute("data-features-url")).then(function (collection) {
    var features = collection.features || [];
    var layer = L.geoJSON(collection, {
      pointToLayer: function (feature, latlng) { return L.marker(latlng, { keyboard: true, title: feature.properties.category }); },
      onEachFeature: function (feature, marker) { marker.bindPopup(popup(feature.properties || {})); }
    });
    cluster.addLayer(layer);
    el.setAttribute("data-feature-count", String(features.length));
    if (features.length) {
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.1), { maxZoom: 15 }); fitted = true; }
    }
    status(!features.length ? text("empty") : (collection.truncated ? text("truncated") : ""));
  }).catch(function () { status(text("error")); });
})();
