/* The map of an operator's report page (R3.1, R3.3): the report's point and its commune's boundary, drawn
   with Leaflet without a tile server. Without tiles a point alone is a grey box: the map fits the commune's
   boundary with the point inside it (the pin is web/map-pin.js's). When the page has a "locate" form
   (data-pick-form names its id), a click on the map drops a pin and fills the form's latitude and longitude.
   No inline script (CSP). */
(function () {
  "use strict";

  // The pin only shows the point (a click on the map moves it): not a control of its own.
  var PIN = { interactive: false, keyboard: false };

  function number(value) {
    // The template writes a dot; a decimal comma (Vietnamese formatting) would make parseFloat stop at it.
    if (value === null || String(value).trim() === "") { return null; }
    var n = Number(String(value).replace(",", "."));
    return isFinite(n) ? n : null;
  }

  function setStatus(el, text) {
    var status = el.querySelector("[data-ioc-map-status]");
    if (status) { status.textContent = text; }
  }

  function drawBoundary(map, url, point) {
    if (!url) { return; }
    fetch(url, { headers: { "Accept": "application/geo+json, application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error("HTTP " + response.status); } return response.json(); })
      .then(function (geojson) {
        var layer = L.geoJSON(geojson, { style: function () { return { color: "#0b4f8a", weight: 1, fillOpacity: 0.08 }; } });
        layer.addTo(map);
        var bounds = layer.getBounds();
        if (point) { bounds = bounds.isValid() ? bounds.extend(point) : L.latLngBounds([point, point]); }
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12], maxZoom: 16, animate: false }); }
      })
      .catch(function () { /* the point alone is still useful */ });
  }

  function pickInto(map, form, marker) {
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    if (!lat || !lon) { return marker; }
    map.getContainer().style.cursor = "crosshair";
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(event.latlng); } else { marker = L.marker(event.latlng, PIN).addTo(map); }
    });
    return marker;
  }

  function init(el) {
    if (typeof L === "undefined") { return; }
    var lat = number(el.getAttribute("data-lat"));
    var lon = number(el.getAttribute("data-lon"));
    var hasPoint = lat !== null && lon !== null;
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
    var marker = null;
    if (hasPoint) {
      map.setView([lat, lon], 13);
      marker = L.marker([lat, lon], PIN).addTo(map);
      setStatus(el, "");
    } else {
      map.setView([20.9, 106.0], 10);
    }
    drawBoundary(map, el.getAttribute("data-boundary-url"), hasPoint ? L.latLng(lat, lon) : null);
    var formId = el.getAttribute("data-pick-form");
    var form = formId ? document.getElementById(formId) : null;
    if (form) { pickInto(map, form, marker); }
  }

  document.querySelectorAll("[data-report-map]").forEach(init);
})();
