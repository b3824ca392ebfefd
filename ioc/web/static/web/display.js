/* The wall screen polls a cheap version endpoint; the server answers 304 while nothing changed.
   Polling sends X-IOC-Background: 1, so it never extends a person's idle timeout. */
(function () {
  "use strict";
  var body = document.querySelector("[data-ioc-display]");
  if (!body) { return; }
  var url = body.getAttribute("data-version-url");
  var version = body.getAttribute("data-version") || "";
  var seconds = parseInt(body.getAttribute("data-poll-seconds") || "30", 10);
  var status = document.querySelector("[data-ioc-display-status]");
  var clock = document.querySelector("[data-ioc-clock]");

  /* The operations room runs on Vietnam time, whatever the screen's own clock zone is. */
  function localTime(seconds) {
    var options = { timeZone: "Asia/Ho_Chi_Minh", hour: "2-digit", minute: "2-digit", hour12: false };
    if (seconds) { options.second = "2-digit"; }
    return new Date().toLocaleTimeString("vi-VN", options);
  }
  function tick() {
    if (clock) { clock.textContent = localTime(false); }
  }

  function poll() {
    fetch(url, {
      cache: "no-store",
      credentials: "same-origin",
      headers: { "X-IOC-Background": "1", "If-None-Match": '"' + version + '"', "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 304) { return null; }
      if (response.redirected || response.status === 401 || response.status === 403) {
        window.location.reload();  /* the session ended: the page shows the login */
        return null;
      }
      return response.status === 200 ? response.json() : null;
    }).then(function (data) {
      if (data && data.version && data.version !== version) { window.location.reload(); return; }
      if (status) { status.textContent = status.textContent.replace(/\d{2}:\d{2}:\d{2}/, localTime(true)); }
    }).catch(function () { /* network blip: try again at the next tick */ });
  }

  tick();
  window.setInterval(tick, 15000);
  window.setInterval(poll, Math.max(seconds, 5) * 1000);
})();
