/* The scenario editor's watched area (R4.6), drawn on a Leaflet map with Geoman: a polygon or a rectangle
   ({"type": "polygon", "geojson": …}), a circle ({"type": "circle", lat, lon, radius_m}) or a point
   ({"type": "point", lat, lon}). The drawing is written into the "area" key of the definition's JSON textarea,
   which stays the one stored value and the keyboard users' way in; editing that JSON redraws the map.
   The territory's communes are drawn under it for orientation when the page names their URL. No inline script
   (CSP). */
(function () {
  "use strict";
  var box = document.getElementById("area-map");
  var field = document.getElementById("id_definition");
  if (!box || !field || typeof L === "undefined") { return; }
  var status = document.getElementById("area-map-status");
  var style = { color: "#d63939", weight: 2, fillOpacity: 0.15 };
  var map = null;
  var drawn = null;

  function say(key) { if (status) { status.textContent = key ? (box.getAttribute("data-text-" + key) || "") : ""; } }

  function readDefinition() {
    try {
      var value = JSON.parse(field.value || "{}");
      return value && typeof value === "object" && !Array.isArray(value) ? value : null;
    } catch (e) { return null; }
  }

  function areaOf(layer, shape) {
    if (shape === "Circle") {
      var c = layer.getLatLng();
      return { type: "circle", lat: round(c.lat), lon: round(c.lng), radius_m: Math.round(layer.getRadius()) };
    }
    if (shape === "CircleMarker" || shape === "Marker") {
      var p = layer.getLatLng();
      return { type: "point", lat: round(p.lat), lon: round(p.lng) };
    }
    return { type: "polygon", geojson: layer.toGeoJSON(6).geometry };
  }

  function round(x) { return Math.round(x * 1e6) / 1e6; }

  function shapeOf(layer) {
    if (layer instanceof L.Circle) { return "Circle"; }
    if (layer instanceof L.CircleMarker) { return "CircleMarker"; }
    return "Polygon";
  }

  function writeArea(area) {
    var definition = readDefinition();
    if (definition === null) { say("invalid"); return false; }
    definition.area = area;
    field.value = JSON.stringify(definition, null, 2);
    box.setAttribute("data-area-type", area ? area.type : "");
    say(area ? "saved" : "cleared");
    return true;
  }

  function layerOf(area) {
    if (!area || typeof area !== "object") { return null; }
    if (area.type === "circle") { return L.circle([area.lat, area.lon], Object.assign({ radius: area.radius_m }, style)); }
    if (area.type === "point") { return L.circleMarker([area.lat, area.lon], Object.assign({ radius: 8 }, style)); }
    if (area.type === "polygon" && area.geojson) {
      var group = L.geoJSON(area.geojson, { style: function () { return style; } });
      var layers = group.getLayers();
      return layers.length === 1 ? layers[0] : group;
    }
    return null;
  }

  function setDrawn(layer) {
    if (drawn) { map.removeLayer(drawn); }
    drawn = layer;
    if (!layer) { return; }
    layer.addTo(map);
    layer.on("pm:edit", function () { writeArea(areaOf(layer, shapeOf(layer))); });
  }

  function showFromField(fit) {
    var definition = readDefinition();
    if (definition === null) { say("invalid"); return; }
    var area = definition.area;
    var layer = null;
    try { layer = layerOf(area); } catch (e) { layer = null; }
    setDrawn(layer);
    box.setAttribute("data-area-type", area && area.type ? area.type : "");
    say(area && area.type === "unit" ? "unit" : "");
    if (fit && layer && layer.getBounds) {
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16], maxZoom: 14, animate: false }); }
    }
  }

  function start(leaflet) {
    map = leaflet;
    if (map.pm) {
      map.pm.setGlobalOptions({ pathOptions: style, snappable: false });
      document.querySelectorAll("[data-area-draw]").forEach(function (button) {
        button.addEventListener("click", function () {
          map.pm.disableGlobalEditMode();
          map.pm.enableDraw(button.getAttribute("data-area-draw"), { snappable: false });
        });
      });
      var edit = document.querySelector("[data-area-edit]");
      if (edit) {
        edit.addEventListener("click", function () {
          if (map.pm.globalEditModeEnabled()) { map.pm.disableGlobalEditMode(); } else { map.pm.enableGlobalEditMode(); }
          edit.setAttribute("aria-pressed", map.pm.globalEditModeEnabled() ? "true" : "false");
        });
      }
      var clear = document.querySelector("[data-area-clear]");
      if (clear) {
        clear.addEventListener("click", function () { map.pm.disableDraw(); setDrawn(null); writeArea(null); });
      }
      map.on("pm:create", function (e) {
        if (writeArea(areaOf(e.layer, e.shape))) {
          map.removeLayer(e.layer);
          showFromField(false);
        } else {
          map.removeLayer(e.layer);
        }
      });
    }
    field.addEventListener("change", function () { showFromField(true); });
    showFromField(true);
    box.setAttribute("data-ready", "1");
  }

  function territory(leaflet, url) {
    fetch(url, { headers: { "Accept": "application/geo+json, application/json", "X-IOC-Background": "1" },
                 credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (geojson) {
        var layer = L.geoJSON(geojson, { interactive: false, pmIgnore: true,
          style: function () { return { color: "#0b4f8a", weight: 1, fillColor: "#3d8bd4", fillOpacity: 0.08 }; } });
        layer.addTo(leaflet);
        layer.bringToBack();
        box.setAttribute("data-territory", String((geojson.features || []).length));
        var bounds = layer.getBounds();
        if (!drawn && bounds.isValid()) { leaflet.fitBounds(bounds, { padding: [8, 8], animate: false }); }
      })
      .catch(function () { say("boundaries"); });
  }

  var leaflet = L.map(box, { attributionControl: false, zoomControl: true });
  leaflet.setView([box.getAttribute("data-lat") || 16.0, box.getAttribute("data-lon") || 106.0],
                  box.getAttribute("data-lat") ? 10 : 5);
  start(leaflet);
  if (box.getAttribute("data-boundaries-url")) { territory(leaflet, box.getAttribute("data-boundaries-url")); }
})();
