/* The wall screen (issue 20): polls a cheap version endpoint (304 while nothing changed) every two seconds. When
   the screen's version moves, the answer names the panels' version and each point layer's: it swaps the panels with
   htmx when theirs moved, and fires "ioc:layers-changed" with the layers whose version moved, which the map reloads
   alone (maps/map-page.js) — the map and the page stay, so a night runs without a reload. A failed poll backs off
   (2 s doubling to 60 s) and shows "connection lost"; the first answer after a server restart brings it back.
   After a swap it fires "ioc:display-changed". Polling sends X-IOC-Background: 1, so it never extends a person's
   idle timeout. */
(function () {
  "use strict";
  var body = document.querySelector("[data-ioc-display]");
  if (!body) { return; }
  var url = body.getAttribute("data-version-url");
  var panelsUrl = body.getAttribute("data-panels-url");
  var version = body.getAttribute("data-version") || "";
  var layerVersions = {};
  try { layerVersions = JSON.parse(body.getAttribute("data-layer-versions") || "{}") || {}; } catch (e) { layerVersions = {}; }
  var base = Math.max(parseFloat(body.getAttribute("data-poll-seconds") || "2"), 0.2) * 1000;
  var delay = base;
  var status = document.querySelector("[data-ioc-display-status]");
  var connection = document.querySelector("[data-ioc-display-connection]");
  var clock = document.querySelector("[data-ioc-clock]");
  var largeButton = document.querySelector("[data-ioc-large-type]");
  var swapping = false;

  function localTime(withSeconds) {
    var options = { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", hour12: false };
    if (withSeconds) { options.second = "2-digit"; }
    return new Date().toLocaleTimeString("vi-VN", options);
  }
  function tick() { if (clock) { clock.textContent = localTime(false); } }
  function stamp() {
    if (status) { status.textContent = status.textContent.replace(/\d{2}:\d{2}:\d{2}/, localTime(true)); }
  }
  function connected(ok) {
    if (!connection) { return; }
    connection.classList.toggle("ioc-lost", !ok);
    connection.textContent = connection.getAttribute(ok ? "data-ok-text" : "data-lost-text");
  }

  function panelsVersion() {
    var shown = document.querySelector("#ioc-display-panels [data-version]");
    return shown ? shown.getAttribute("data-version") : "";
  }

  /* Resolves true when the panels now show another version than before. */
  function swap() {
    if (swapping || !window.htmx) { return Promise.resolve(false); }
    swapping = true;
    var before = panelsVersion();
    return window.htmx.ajax("GET", panelsUrl, {
      target: "#ioc-display-panels", swap: "innerHTML", headers: { "X-IOC-Background": "1" }
    }).then(function () {
      var after = panelsVersion();
      stamp();
      document.dispatchEvent(new CustomEvent("ioc:display-changed", { detail: { version: after } }));
      return after !== before;
    }).finally(function () { swapping = false; });
  }

  function layersMoved(layers) {
    var moved = Object.keys(layers || {}).filter(function (code) { return layers[code] !== layerVersions[code]; });
    layerVersions = layers || {};
    if (moved.length) { document.dispatchEvent(new CustomEvent("ioc:layers-changed", { detail: { layers: moved } })); }
  }

  /* The screen's version is taken only once the panels show theirs: a swap that failed is tried on the next poll. */
  function apply(data) {
    if (!data || !data.version || data.version === version) { return null; }
    layersMoved(data.layers);
    var stale = data.panels && data.panels !== panelsVersion();
    return (stale ? swap() : Promise.resolve(true)).then(function (done) {
      if (done) { version = data.version; body.setAttribute("data-version", version); }
    });
  }

  function schedule() { window.setTimeout(poll, delay); }

  function poll() {
    fetch(url, {
      cache: "no-store",
      credentials: "same-origin",
      headers: { "X-IOC-Background": "1", "If-None-Match": '"' + version + '"', "Accept": "application/json" }
    }).then(function (response) {
      if (response.redirected || response.status === 401 || response.status === 403) {
        window.location.reload();  /* the session ended: the page shows the login */
        return null;
      }
      if (response.status >= 500) { throw new Error("server " + response.status); }
      connected(true);
      delay = base;
      if (response.status === 304) { stamp(); return null; }
      return response.status === 200 ? response.json() : null;
    }).then(apply).catch(function () {
      connected(false);
      delay = Math.min(delay * 2, 60000);
    }).finally(schedule);
  }

  function applyLarge(on) {
    document.body.classList.toggle("ioc-display-large", on);
    if (largeButton) { largeButton.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  if (largeButton) {
    var stored = null;
    try { stored = window.localStorage.getItem("ioc-display-large"); } catch (e) { stored = null; }
    applyLarge(stored === "1" || /[?&]chu-lon=1/.test(window.location.search));
    largeButton.addEventListener("click", function () {
      var on = !document.body.classList.contains("ioc-display-large");
      applyLarge(on);
      try { window.localStorage.setItem("ioc-display-large", on ? "1" : "0"); } catch (e) { /* private mode */ }
    });
  }

  tick();
  window.setInterval(tick, 15000);
  schedule();
})();
