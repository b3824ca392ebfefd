/* R7.1, R4.2 (issue 20): the operator's work queue. Every 30 s it fetches itself again with htmx (unless the
   operator is using its filters); a severe alert (4–5) not yet acknowledged plays a short sound once when it
   first appears, and stays highlighted (server side) until an operator presses "Đã xem". Browsers play sound
   only after the user has interacted with the page, so the first sound may wait for a click or a key press.
   No inline script (CSP script-src 'self'). */
(function () {
  "use strict";
  var REFRESH_MS = 30000;
  var heard = {};
  var pending = false;
  var Context = window.AudioContext || window.webkitAudioContext;

  function tone(ctx, start, frequency) {
    var oscillator = ctx.createOscillator();
    var gain = ctx.createGain();
    oscillator.type = "square";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
    oscillator.connect(gain);
    gain.connect(ctx.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.35);
  }

  function beep() {
    if (!Context) {
      return;
    }
    try {
      var ctx = new Context();
      var now = ctx.currentTime;
      tone(ctx, now, 988);
      tone(ctx, now + 0.4, 740);
      tone(ctx, now + 0.8, 988);
      window.setTimeout(function () { ctx.close(); }, 1600);
      pending = false;
    } catch (error) {
      pending = true;
    }
  }

  function unlocked() {
    return !navigator.userActivation || navigator.userActivation.hasBeenActive;
  }

  function check() {
    var queue = document.getElementById("work-queue");
    if (!queue) {
      return;
    }
    var codes = (queue.getAttribute("data-loud") || "").split(",").filter(Boolean);
    var fresh = codes.filter(function (code) { return !heard[code]; });
    codes.forEach(function (code) { heard[code] = true; });
    if (fresh.length) {
      queue.setAttribute("data-alarm-played", String(fresh.length));
      if (unlocked()) {
        beep();
      } else {
        pending = true;
      }
    }
  }

  function refresh() {
    var queue = document.getElementById("work-queue");
    if (!queue || !window.htmx || document.hidden) {
      return;
    }
    if (queue.contains(document.activeElement) && document.activeElement !== document.body) {
      return;
    }
    window.htmx.ajax("GET", queue.getAttribute("data-queue-url"), { target: "#work-queue", swap: "outerHTML" });
  }

  function firstGesture() {
    if (pending) {
      beep();
    }
  }

  document.addEventListener("pointerdown", firstGesture);
  document.addEventListener("keydown", firstGesture);
  document.body.addEventListener("htmx:afterSettle", check);
  check();
  window.setInterval(refresh, REFRESH_MS);
})();
