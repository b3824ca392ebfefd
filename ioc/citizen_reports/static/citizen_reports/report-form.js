/* The citizens' phone form (R3.1). No inline script (CSP `script-src 'self'`).
   1. Location: the browser's geolocation first, then a pin on a Leaflet map drawn over the territory's commune
      boundaries (GeoJSON from /api/v1/geo/, no tile server unless data-tile-url is set), then the commune picker.
   2. Photos: at most data-photo-max, each redrawn on a canvas to <= data-max-side px and re-encoded as JPEG
      (which also drops the photo's EXIF/GPS); the input's files are replaced through DataTransfer. A photo the
      browser cannot decode (HEIC on most browsers) is sent as is: the server re-encodes it.
   3. A character counter, and one submission at a time. */
(function () {
  "use strict";

  var form = document.querySelector("[data-report-form]");
  if (!form) { return; }

  var latInput = form.querySelector("input[name=lat]");
  var lonInput = form.querySelector("input[name=lon]");
  var unitSelect = form.querySelector("select[name=unit]");
  var statusEl = form.querySelector("[data-location-status]");
  var mapEl = form.querySelector("[data-report-map]");
  var photoInput = form.querySelector("input[type=file][name=photos]");
  var photoStatus = form.querySelector("[data-photo-status]");
  var previews = form.querySelector("[data-photo-previews]");
  var submitButton = form.querySelector("[data-submit]");
  var maxPhotos = parseInt(form.getAttribute("data-photo-max"), 10) || 5;
  var maxSide = parseInt(form.getAttribute("data-max-side"), 10) || 1600;
  var map = null;
  var marker = null;
  var chosen = [];      // [{file: File, url: string, resized: bool}]
  var pending = null;   // Promise while photos are being resized

  function text(name) { return form.getAttribute("data-text-" + name) || ""; }

  function say(el, message, isError) {
    if (!el) { return; }
    el.textContent = message;
    el.classList.toggle("text-danger", Boolean(isError));
  }

  // --- location ---------------------------------------------------------------------------------------------

  function placeMarker(lat, lon) {
    if (!map) { return; }
    if (!marker) {
      marker = L.marker([lat, lon], { draggable: true, keyboard: true, title: text("pinned") }).addTo(map);
      marker.on("dragend", function () {
        var p = marker.getLatLng();
        setPoint(p.lat, p.lng, "pin");
      });
    } else {
      marker.setLatLng([lat, lon]);
    }
  }

  function selectCommune(ref) {
    if (!unitSelect || !ref) { return; }
    for (var i = 0; i < unitSelect.options.length; i += 1) {
      if (unitSelect.options[i].value === ref) { unitSelect.selectedIndex = i; return; }
    }
  }

  function lookup(lat, lon, base) {
    var url = form.getAttribute("data-lookup-url");
    if (!url || !window.fetch) { return; }
    fetch(url + "?lat=" + encodeURIComponent(lat) + "&lon=" + encodeURIComponent(lon),
          { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 400) { return { outside: true }; }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) { return; }
        if (data.outside) { say(statusEl, text("outside"), true); return; }
        var unit = data.unit || {};
        selectCommune(unit.ref);
        if (unit.name) { say(statusEl, base + " " + text("commune") + " " + unit.name, false); }
      })
      .catch(function () { /* the server checks the point again */ });
  }

  function setPoint(lat, lon, source) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    placeMarker(lat, lon);
    if (map && source === "gps") { map.setView([lat, lon], Math.max(map.getZoom(), 15)); }
    var base = source === "gps" ? text("located") : text("pinned");
    say(statusEl, base, false);
    form.setAttribute("data-location-source", source);
    lookup(lat, lon, base);
  }

  function locate() {
    if (!navigator.geolocation) { say(statusEl, text("denied"), true); return; }
    say(statusEl, text("locating"), false);
    navigator.geolocation.getCurrentPosition(
      function (position) { setPoint(position.coords.latitude, position.coords.longitude, "gps"); },
      function () { say(statusEl, text("denied"), true); },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  function drawBoundaries(url) {
    fetch(url, { headers: { "Accept": "application/geo+json, application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error("HTTP " + response.status); } return response.json(); })
      .then(function (geojson) {
        var layer = L.geoJSON(geojson, {
          interactive: false,
          style: function () { return { color: "#0b4f8a", weight: 1, fillColor: "#3d8bd4", fillOpacity: 0.12 }; }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid() && !marker) { map.fitBounds(bounds, { padding: [6, 6] }); }
        mapEl.setAttribute("data-boundaries-loaded", String((geojson.features || []).length));
      })
      .catch(function () { mapEl.setAttribute("data-boundaries-loaded", "error"); });
  }

  function initMap() {
    if (!mapEl || typeof L === "undefined") { return; }
    map = L.map(mapEl, { attributionControl: false, zoomSnap: 0.25, maxZoom: 19 });
    map.setView([16.0, 106.0], 6);
    var tiles = mapEl.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, { maxZoom: 19 }).addTo(map); }
    var boundaries = mapEl.getAttribute("data-boundaries-url");
    if (boundaries) { drawBoundaries(boundaries); }
    map.on("click", function (event) { setPoint(event.latlng.lat, event.latlng.lng, "pin"); });
  }

  initMap();
  var locateButton = form.querySelector("[data-locate]");
  if (locateButton) { locateButton.addEventListener("click", locate); }
  if (latInput.value && lonInput.value) {
    var lat0 = parseFloat(latInput.value);
    var lon0 = parseFloat(lonInput.value);
    placeMarker(lat0, lon0);
    if (map) { map.setView([lat0, lon0], 15); }
  } else {
    locate(); // geolocation first; the pin and the commune picker remain if it is refused
  }

  // --- photos -------------------------------------------------------------------------------------------

  function decode(file) {
    var viaImage = function () {
      return new Promise(function (resolve, reject) {
        var img = new Image();
        var url = URL.createObjectURL(file);
        img.onload = function () { resolve(img); };
        img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("undecodable")); };
        img.src = url;
      });
    };
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(viaImage);
    }
    return viaImage();
  }

  function jpegName(name) {
    var base = (name || "anh").replace(/\.[^.\/\\]*$/, "").replace(/[^\w\-]+/g, "_").slice(0, 60) || "anh";
    return base + ".jpg";
  }

  function resize(file) {
    return decode(file).then(function (source) {
      var width = source.naturalWidth || source.width;
      var height = source.naturalHeight || source.height;
      if (!width || !height) { throw new Error("empty"); }
      var scale = Math.min(1, maxSide / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
      if (source.close) { source.close(); }
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) {
          if (!blob) { reject(new Error("encode")); return; }
          var out = new File([blob], jpegName(file.name), { type: "image/jpeg", lastModified: Date.now() });
          resolve({ file: out, resized: true });
        }, "image/jpeg", 0.85);
      });
    }).catch(function () {
      return { file: file, resized: false }; // HEIC and the like: the server decodes and re-encodes it
    });
  }

  function syncInput() {
    if (typeof DataTransfer !== "function") { return false; }
    try {
      var transfer = new DataTransfer();
      chosen.forEach(function (item) { transfer.items.add(item.file); });
      photoInput.files = transfer.files;
      return true;
    } catch (e) {
      return false;
    }
  }

  function renderPreviews() {
    if (!previews) { return; }
    previews.textContent = "";
    chosen.forEach(function (item, index) {
      var li = document.createElement("li");
      if (item.resized) {
        var img = document.createElement("img");
        img.alt = item.file.name;
        img.src = item.url || (item.url = URL.createObjectURL(item.file));
        li.appendChild(img);
      } else {
        var note = document.createElement("span");
        note.className = "ioc-photo-note";
        note.textContent = item.file.name + " (" + text("as-is") + ")";
        li.appendChild(note);
      }
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-outline-danger w-100 mt-1";
      remove.textContent = "✕";
      remove.setAttribute("aria-label", text("remove") + " " + (index + 1));
      remove.addEventListener("click", function () {
        var gone = chosen.splice(index, 1)[0];
        if (gone && gone.url) { URL.revokeObjectURL(gone.url); }
        syncInput();
        renderPreviews();
      });
      li.appendChild(remove);
      previews.appendChild(li);
    });
    form.setAttribute("data-photo-count", String(chosen.length));
  }

  function onPhotosChosen() {
    var picked = Array.prototype.slice.call(photoInput.files || []);
    if (!picked.length) { syncInput(); return; }
    var room = Math.max(0, maxPhotos - chosen.length);
    var message = "";
    if (picked.length > room) { picked = picked.slice(0, room); message = text("too-many"); }
    say(photoStatus, text("preparing"), false);
    form.setAttribute("data-photos-ready", "0");
    pending = Promise.all(picked.map(resize)).then(function (results) {
      chosen = chosen.concat(results);
      if (!syncInput()) { chosen = results; }
      renderPreviews();
      say(photoStatus, message, Boolean(message));
      form.setAttribute("data-photos-ready", "1");
      pending = null;
    });
  }

  if (photoInput) { photoInput.addEventListener("change", onPhotosChosen); }

  // --- description counter and submission ---------------------------------------------------------------

  var description = form.querySelector("textarea[name=description]");
  var counter = form.querySelector("[data-char-count]");
  function count() {
    if (description && counter) { counter.textContent = description.value.length + "/" + counter.getAttribute("data-max"); }
  }
  if (description) { description.addEventListener("input", count); count(); }

  var sending = false;
  var submitLabel = submitButton ? submitButton.innerHTML : "";
  form.addEventListener("submit", function (event) {
    if (sending) { event.preventDefault(); return; }
    if (pending) {
      event.preventDefault();
      pending.then(function () { form.requestSubmit ? form.requestSubmit(submitButton) : form.submit(); });
      return;
    }
    sending = true;
    if (submitButton) {
      submitButton.disabled = true;
      submitButton.textContent = text("sending");
    }
  });
  window.addEventListener("pageshow", function () {
    sending = false;
    if (submitButton) { submitButton.disabled = false; submitButton.innerHTML = submitLabel; }
  });
})();
