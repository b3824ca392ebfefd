/* The digital map (R6.1, R6.2) over web/territory-map.js: layers from /api/v1/maps/layers/<layer>/ (points, or
   clusters the server made beyond 2,000 points), an indicator's choropleth by commune, and the selection by unit,
   point + radius or drawn polygon (Leaflet-Geoman) posted to /api/v1/maps/selection/, whose members are
   highlighted. Text comes from the page (Vietnamese first); colours always come with a text label. No inline
   script (CSP). */
(function () {
  "use strict";

  var STATUS_COLORS = { received: "#f59f00", verified: "#f76707", awaiting_approval: "#ae3ec9",
    forwarded: "#4263eb", in_progress: "#1c7ed6", resolved: "#2fb344", published: "#2b8a3e",
    rejected: "#868e96", duplicate: "#adb5bd" };
  var BAND_COLORS = { good: "#2fb344", moderate: "#f59f00", unhealthy: "#f76707", bad: "#d63939",
    hazardous: "#7048e8", normal: "#2fb344", warning: "#f59f00", danger: "#d63939" };
  var LAYER_COLORS = { incidents: "#d63939", sensors: "#0ca678", facilities: "#7048e8", cameras: "#495057",
    citizen_reports: "#1c7ed6", warnings: "#f08c00" };
  var CLASS_COLORS = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function text(node, value) { if (node) { node.textContent = value == null ? "" : String(value); } return node; }

  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (content != null) { text(node, content); }
    return node;
  }

  function bandOf(props) {
    if (props.band) { return props.band; }
    var streams = props.datastreams || [];
    for (var i = 0; i < streams.length; i++) { if (streams[i].band) { return streams[i].band; } }
    return "";
  }

  var HEX_COLOR = /^#[0-9a-fA-F]{3,8}$/;

  function pointColor(layer, props) {
    if (layer === "citizen_reports" && STATUS_COLORS[props.status]) { return STATUS_COLORS[props.status]; }
    if ((layer === "incidents" || layer === "warnings") && props.severity >= 4) { return "#c92a2a"; }
    if (typeof props.colour === "string" && HEX_COLOR.test(props.colour)) { return props.colour; }  /* compact */
    var band = bandOf(props);
    if (band && typeof band.colour === "string" && HEX_COLOR.test(band.colour)) { return band.colour; }
    var code = band && (band.code || band);
    if (code && BAND_COLORS[code]) { return BAND_COLORS[code]; }
    return LAYER_COLORS[layer] || "#1c7ed6";
  }

  /* Issue 20: a compact answer (`fields`, `points`: [id, lon, lat, mark]) as the features the drawing reads. */
  function featuresOf(data) {
    if (!data.compact) { return data.features || []; }
    var fields = data.fields || [];
    return (data.points || []).map(function (row) {
      var props = data.clustered ? { cluster: true } : {};
      for (var i = 3; i < fields.length; i++) { props[fields[i]] = row[i]; }
      return { id: row[0], geometry: { coordinates: [row[1], row[2]] }, properties: props };
    });
  }

  function pointLabel(layer, props) {
    var parts = [props.tracking_code || props.reference || props.name || props.title || props.id];
    if (props.category_name) { parts.push(props.category_name); }
    if (props.kind_name) { parts.push(props.kind_name); }
    if (props.status_label || props.state_label) { parts.push(props.status_label || props.state_label); }
    var band = bandOf(props);
    if (band) { parts.push(band.label || band.code || band); }
    if (props.dataset_name) { parts.push(props.dataset_name); }
    if (props.published) { parts.push(props.published); }
    if (props.severity_label) { parts.push(props.severity_label); }
    if (props.area_desc) { parts.push(props.area_desc); }
    if (props.expires_label) { parts.push(props.expires_label); }
    return parts.filter(Boolean).join(" · ");
  }

  /* R5.2, issue 20: a camera's popup — its name, a link to the last snapshot and one to the stream (signed-in
     users only: the server sends the URLs to them alone). Built as DOM nodes, never HTML from data (CSP). Only
     http(s) and rtsp(s) addresses become links; the snapshot is drawn inline only from this site's origin, as the
     CSP's img-src allows (another host's image would be blocked, and would leave localhost). */
  var LINK_SCHEMES = { "http:": true, "https:": true, "rtsp:": true, "rtsps:": true };

  function safeUrl(value) {
    if (!value) { return null; }
    try {
      var url = new URL(String(value), window.location.href);
      return LINK_SCHEMES[url.protocol] ? url : null;
    } catch (e) { return null; }
  }

  function popupLink(href, label, name) {
    var link = el("a", "d-block", label);
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    link.setAttribute("data-camera-link", name);
    return link;
  }

  function cameraPopup(page, props) {
    var snapshot = safeUrl(props.snapshot_url), stream = safeUrl(props.stream_url);
    if (!snapshot && !stream) { return null; }
    var box = el("div", "ioc-camera-popup");
    box.setAttribute("data-camera-popup", String(props.code || props.id));
    box.appendChild(el("div", "fw-bold", props.name || props.code));
    if (snapshot && snapshot.protocol.indexOf("http") === 0) {
      if (snapshot.origin === window.location.origin) {
        var img = document.createElement("img");
        img.src = snapshot.href;
        img.alt = page.getAttribute("data-text-snapshot") + " — " + (props.name || props.code);
        img.loading = "lazy";
        img.className = "ioc-camera-snapshot";
        box.appendChild(img);
      }
      box.appendChild(popupLink(snapshot.href, page.getAttribute("data-text-snapshot"), "snapshot"));
    }
    if (stream) { box.appendChild(popupLink(stream.href, page.getAttribute("data-text-stream"), "stream")); }
    return box;
  }

  function MapPage(page, map, boundaries) {
    this.page = page;
    this.map = map;
    this.boundaries = boundaries;
    this.groups = {};
    this.markers = {};
    this.members = {};
    this.mode = "";
    this.highlight = L.layerGroup().addTo(map);
    this.summary = page.querySelector("[data-map-summary]");
    this.timer = null;
  }

  MapPage.prototype.start = function () {
    var self = this;
    this.page.querySelectorAll("[data-map-layer]").forEach(function (box) {
      self.groups[box.getAttribute("data-map-layer")] = L.layerGroup().addTo(self.map);
      box.addEventListener("change", function () { self.refresh(); });
    });
    this.map.on("moveend", function () { self.refresh(); });
    var picker = this.page.querySelector("[data-map-indicator]");
    if (picker) { picker.addEventListener("change", function () { self.choropleth(picker.value); }); }
    this.startSelection();
    this.load();
  };

  MapPage.prototype.refresh = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.load(); }, 200);
  };

  MapPage.prototype.headers = function () {
    /* The wall screen's reloads are not a person's activity: they never extend the idle timeout (issue 20). */
    var headers = { "Accept": "application/json" };
    if (this.page.hasAttribute("data-map-background")) { headers["X-IOC-Background"] = "1"; }
    return headers;
  };

  /* `only`: the layer codes to reload (the wall screen's layers whose version moved); all when absent. */
  MapPage.prototype.load = function (only) {
    var self = this;
    var bbox = this.map.getBounds().toBBoxString();
    var zoom = Math.round(this.map.getZoom());
    var pending = [], failed = 0;
    var headers = this.headers();
    var compact = this.page.hasAttribute("data-map-compact") ? "&compact=1" : "";
    this.page.querySelectorAll("[data-map-layer]").forEach(function (box) {
      var code = box.getAttribute("data-map-layer");
      if (only && only.indexOf(code) < 0) { return; }
      if (!box.checked) {
        self.groups[code].clearLayers();
        self.markers[code] = {};
        text(self.page.querySelector("[data-layer-count='" + code + "']"), "");
        return;
      }
      var url = box.getAttribute("data-url") + "?bbox=" + encodeURIComponent(bbox) + "&zoom=" + zoom + compact;
      pending.push(fetch(url, { credentials: "same-origin", headers: headers })
        .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
        .then(function (data) { self.draw(code, data); })
        .catch(function () { failed += 1; text(self.summary, self.page.getAttribute("data-text-error")); }));
    });
    Promise.all(pending).then(function () {
      if (failed === 0) { text(self.summary, ""); }
      self.page.setAttribute("data-layers-loaded", String(Date.now()));
    });
  };

  MapPage.prototype.draw = function (code, data) {
    var self = this;
    var group = this.groups[code];
    var features = featuresOf(data);
    group.clearLayers();
    this.markers[code] = {};
    features.forEach(function (f) {
      var c = f.geometry.coordinates;
      var latlng = L.latLng(c[1], c[0]);
      var props = f.properties || {};
      if (props.cluster) {
        var size = 24 + Math.min(24, Math.round(Math.log(props.count + 1) * 4));
        var icon = L.divIcon({ className: "ioc-cluster", html: "<span>" + Number(props.count) + "</span>",
          iconSize: [size, size] });
        var label = props.count + " " + self.page.getAttribute("data-text-cluster");
        L.marker(latlng, { icon: icon, title: label, alt: label, keyboard: true })
          .on("click", function () { self.map.setView(latlng, Math.min(self.map.getZoom() + 2, 19)); })
          .addTo(group);
        return;
      }
      var marker = L.circleMarker(latlng, { radius: 6, weight: 1, color: "#fff", fillOpacity: 0.9,
        fillColor: pointColor(code, props) });
      if (data.compact) {
        marker.on("click", function () { if (!marker.getPopup()) { self.details(code, f.id, latlng, marker); } });
      } else {
        marker.bindTooltip(pointLabel(code, props));
        var popup = code === "cameras" ? cameraPopup(self.page, props) : null;
        if (popup) { marker.bindPopup(popup); }
      }
      marker.iocBase = { weight: 1, color: "#fff" };
      self.markers[code][String(f.id)] = marker;
      marker.addTo(group);
    });
    var count = this.page.querySelector("[data-layer-count='" + code + "']");
    text(count, data.total + (data.clustered ? " ⊕" : ""));
    if (count) { count.title = data.clustered ? this.page.getAttribute("data-text-cluster") : ""; }
    this.page.setAttribute("data-layer-" + code, String(features.length));
    this.page.setAttribute("data-layer-" + code + "-clustered", data.clustered ? "1" : "0");
    this.paintMembers();
  };

  /* Issue 20: a compact point carries no title; a click asks the layer for the full features in a box of about
     a metre around it (the same API, the same scope) and opens the point's label in a popup. */
  MapPage.prototype.details = function (code, id, latlng, marker) {
    var self = this;
    var box = this.page.querySelector("[data-map-layer='" + code + "']");
    var d = 0.00002;
    var bbox = [latlng.lng - d, latlng.lat - d, latlng.lng + d, latlng.lat + d].join(",");
    fetch(box.getAttribute("data-url") + "?bbox=" + encodeURIComponent(bbox) + "&zoom=18",
          { credentials: "same-origin", headers: this.headers() })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        var found = (data.features || []).filter(function (f) { return String(f.id) === String(id); })[0];
        if (!found) { throw new Error("gone"); }
        var props = found.properties || {};
        var content = (code === "cameras" && cameraPopup(self.page, props)) || el("div", "", pointLabel(code, props));
        content.setAttribute("data-point-details", code + ":" + id);
        marker.bindPopup(content).openPopup();
      })
      .catch(function () {
        marker.bindPopup(el("div", "", self.page.getAttribute("data-text-error"))).openPopup();
        marker.once("popupclose", function () { marker.unbindPopup(); });  /* the next click asks again */
      });
  };

  /* --- choropleth ---------------------------------------------------------------------------------------- */

  MapPage.prototype.choropleth = function (code) {
    var self = this;
    var legend = this.page.querySelector("[data-map-legend]");
    if (!code) { this.styleBoundaries(null, []); legend.replaceChildren(); return; }
    fetch(this.page.getAttribute("data-choropleth-url") + "?indicator=" + encodeURIComponent(code),
          { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (data) {
        var values = {};
        data.values.forEach(function (v) { values[v.code] = v; });
        var sorted = data.values.map(function (v) { return v.value; }).sort(function (a, b) { return a - b; });
        var breaks = [];
        for (var i = 1; i < 5; i++) { breaks.push(sorted.length ? sorted[Math.floor(i * sorted.length / 5)] : 0); }
        self.styleBoundaries(values, breaks, data.indicator);
        self.legend(legend, data, breaks, sorted);
      })
      .catch(function () { text(legend, self.page.getAttribute("data-text-error")); });
  };

  function classOf(value, breaks) {
    var k = 0;
    while (k < breaks.length && value >= breaks[k]) { k++; }
    return k;
  }

  MapPage.prototype.styleBoundaries = function (values, breaks, indicator) {
    var base = this.boundaries.options.iocBase || this.boundaries.options.style;
    this.boundaries.options.iocBase = base;
    var noValue = this.page.getAttribute("data-text-no-value");
    var style = !values ? base : function (feature) {
      var v = values[(feature.properties || {}).code];
      var banded = indicator.bands && indicator.bands.length;  // R2.1: the indicator's bands, else quintiles
      var fill = !v ? "#f1f3f5" : banded ? (v.colour || "#e9ecef") : CLASS_COLORS[classOf(v.value, breaks)];
      return { color: "#0b4f8a", weight: 1, fillColor: fill, fillOpacity: 0.75 };
    };
    this.boundaries.options.style = style;
    this.boundaries.setStyle(style);
    this.boundaries.eachLayer(function (shape) {
      var p = shape.feature.properties || {};
      var name = p.full_name || p.name || p.code || "";
      if (!values) { shape.setTooltipContent(name); return; }
      var v = values[p.code];
      shape.setTooltipContent(name + ": " + (v ? v.value + " " + (indicator.unit || "") + " (" + v.status + ")" : noValue));
    });
  };

  MapPage.prototype.legend = function (legend, data, breaks, sorted) {
    legend.replaceChildren(el("div", "fw-bold", data.indicator.name + " — " + data.period));
    if (data.indicator.bands && data.indicator.bands.length) {
      data.indicator.bands.forEach(function (band) {
        var row = el("div");
        var swatch = el("span", "ioc-swatch");
        swatch.style.background = band.colour;
        row.appendChild(swatch);
        var low = band.from == null ? "" : band.from, high = band.to == null ? "" : band.to;
        row.appendChild(document.createTextNode(band.label + " (" + low + " – " + high + ")"));
        legend.appendChild(row);
      });
      return;
    }
    var lows = [sorted[0]].concat(breaks);
    for (var k = 0; k < 5; k++) {
      var row = el("div");
      row.appendChild(el("span", "ioc-swatch ioc-swatch-" + k));
      row.appendChild(document.createTextNode("≥ " + (lows[k] == null ? "" : lows[k]) + " " + (data.indicator.unit || "")));
      legend.appendChild(row);
    }
  };

  /* --- selection ----------------------------------------------------------------------------------------- */

  MapPage.prototype.startSelection = function () {
    var self = this;
    if (!this.page.getAttribute("data-selection-url")) { return; }
    this.page.querySelectorAll("[data-select-mode]").forEach(function (button) {
      button.addEventListener("click", function () { self.setMode(button.getAttribute("data-select-mode")); });
    });
    var form = this.page.querySelector("[data-select-circle]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.select({ point: [parseFloat(form.lat.value), parseFloat(form.lon.value)],
                    radius_m: parseFloat(form.radius_m.value) });
    });
    this.map.on("click", function (e) {
      if (self.mode !== "circle") { return; }
      form.lat.value = e.latlng.lat.toFixed(6);
      form.lon.value = e.latlng.lng.toFixed(6);
      form.requestSubmit();
    });
    this.boundaries.on("click", function (e) {
      if (self.mode !== "unit") { return; }
      L.DomEvent.stopPropagation(e);
      self.select({ unit: (e.layer.feature.properties || {}).code });
    });
    if (this.map.pm) {
      this.map.on("pm:create", function (e) {
        var geometry = e.layer.toGeoJSON().geometry;
        self.map.removeLayer(e.layer);
        self.select({ geometry: geometry });
      });
    }
  };

  MapPage.prototype.setMode = function (mode) {
    this.mode = mode;
    this.page.querySelectorAll("[data-select-mode]").forEach(function (b) {
      var on = b.getAttribute("data-select-mode") === mode;
      b.classList.toggle("active", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (this.map.pm) {
      if (mode === "polygon") { this.map.pm.enableDraw("Polygon", { snappable: false }); }
      else { this.map.pm.disableDraw(); }
    }
  };

  MapPage.prototype.select = function (body) {
    var self = this;
    this.selection = body;
    fetch(this.page.getAttribute("data-selection-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (answer) { if (answer.ok) { self.showSelection(answer.data); } else { self.showError(answer.data); } })
      .catch(function () { self.showError(null); });
  };

  MapPage.prototype.resultBody = function () {
    var card = this.page.querySelector("[data-selection-result]");
    card.hidden = false;
    var body = card.querySelector("[data-selection-body]");
    body.replaceChildren();
    return body;
  };

  MapPage.prototype.showError = function (data) {
    var body = this.resultBody();
    var box = el("div", "alert alert-danger mb-0");
    box.setAttribute("data-selection-error", "");
    var error = data && data.error;
    box.appendChild(el("div", "fw-bold", error ? error.message : this.page.getAttribute("data-text-error")));
    if (error && error.fields) {
      Object.keys(error.fields).forEach(function (name) { box.appendChild(el("div", "", name + ": " + error.fields[name].join(" "))); });
    }
    body.appendChild(box);
  };

  function groupRows(table, name, group) {
    var row = el("tr");
    var head = el("th", "", name);
    row.appendChild(head);
    var total = el("td", "", group.total);
    total.setAttribute("data-selection-total", name);
    row.appendChild(total);
    table.appendChild(row);
    ["by_status", "by_state", "by_kind", "by_layer", "by_category"].forEach(function (key) {
      Object.keys(group[key] || {}).forEach(function (value) {
        var sub = el("tr", "text-secondary");
        sub.appendChild(el("td", "ps-3", value || "—"));
        var n = el("td", "", group[key][value]);
        n.setAttribute("data-selection-count", name + "." + key + "." + value);
        sub.appendChild(n);
        table.appendChild(sub);
      });
    });
  }

  /* Issue 17: the reports' form opens with this selection as its area (posted, so a drawn polygon fits). */
  MapPage.prototype.reportAction = function (body) {
    var url = this.page.getAttribute("data-report-url");
    if (!url || !this.selection) { return; }
    var form = el("form", "mt-2");
    form.method = "post";
    form.action = url;
    [["csrfmiddlewaretoken", csrfToken()], ["from_map", "1"], ["area", JSON.stringify(this.selection)]]
      .forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
        form.appendChild(input);
      });
    var button = el("button", "btn btn-outline-primary btn-sm w-100", this.page.getAttribute("data-text-report"));
    button.type = "submit";
    button.setAttribute("data-selection-report", "");
    form.appendChild(button);
    body.appendChild(form);
  };

  MapPage.prototype.showSelection = function (data) {
    var body = this.resultBody();
    var area = data.area;
    var title = area.unit ? area.unit.name : (area.kind + " · " + area.area_km2 + " km²");
    body.appendChild(el("div", "fw-bold mb-2", title));
    var table = el("table", "table table-sm ioc-selection-table mb-2");
    Object.keys(data.groups).forEach(function (name) { groupRows(table, name, data.groups[name]); });
    body.appendChild(table);
    if (data.population) {
      body.appendChild(el("div", "", data.population.indicator + ": " + data.population.value +
        (data.population.estimate ? " (≈)" : "")));
    }
    var memberCount = 0;
    Object.keys(data.members).forEach(function (k) { memberCount += data.members[k].length; });
    body.appendChild(el("div", "text-secondary", memberCount + " " + this.page.getAttribute("data-text-members")));
    if (data.truncated) { body.appendChild(el("div", "text-warning", this.page.getAttribute("data-text-truncated"))); }
    this.reportAction(body);
    this.page.setAttribute("data-selection-done", String(Date.now()));
    this.highlight.clearLayers();
    L.geoJSON(area.geometry, { style: { color: "#d63939", weight: 2, fill: false, dashArray: "6 4" },
      interactive: false }).addTo(this.highlight);
    this.members = data.members;
    this.paintMembers();
  };

  MapPage.prototype.paintMembers = function () {
    var self = this;
    Object.keys(this.markers).forEach(function (code) {
      var chosen = {};
      (self.members[code] || []).forEach(function (id) { chosen[String(id)] = true; });
      Object.keys(self.markers[code]).forEach(function (id) {
        var m = self.markers[code][id];
        if (chosen[id]) { m.setStyle({ weight: 3, color: "#d63939" }); m.bringToFront(); }
        else { m.setStyle(m.iocBase); }
      });
    });
  };

  /* The wall screen (web/display.js) fires "ioc:layers-changed" with the layers whose version moved: every map
     page reloads those in place, so new points show without a page reload, and an unchanged layer is not fetched
     again (issue 20). */
  document.addEventListener("ioc:layers-changed", function (event) {
    var codes = (event.detail && event.detail.layers) || [];
    document.querySelectorAll("[data-ioc-map-page]").forEach(function (page) {
      if (page.iocMapPage && codes.length) { page.iocMapPage.load(codes); }
    });
  });

  document.addEventListener("ioc:map-ready", function (event) {
    var page = event.target.closest && event.target.closest("[data-ioc-map-page]");
    if (!page || page.iocMapPage) { return; }
    page.iocMapPage = new MapPage(page, event.detail.map, event.detail.boundaries);
    page.iocMapPage.start();
  });
})();
