/* R4.2: severe alerts (4–5) not yet acknowledged play a short sound on operators' screens (Web Audio API).
   Browsers only let a page play sound after the user has interacted with it, so the sound waits for the first
   click or key press when the page was opened without one. No inline script (CSP script-src 'self'). */
(function () {
  "use strict";
  var banner = document.querySelector("[data-ioc-alarm]");
  if (!banner || !(parseInt(banner.getAttribute("data-ioc-alarm"), 10) > 0)) {
    return;
  }
  var Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) {
    return;
  }
  var played = false;

  function tone(ctx, start, frequency) {
    var oscillator = ctx.createOscillator();
    var gain = ctx.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.3, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
    oscillator.connect(gain);
    gain.connect(ctx.destination);
    oscillator.start(start);
    oscillator.stop(start + 0.3);
  }

  function play() {
    if (played) {
      return;
    }
    played = true;
    try {
      var ctx = new Context();
      var now = ctx.currentTime;
      tone(ctx, now, 880);
      tone(ctx, now + 0.35, 660);
      tone(ctx, now + 0.7, 880);
      window.setTimeout(function () { ctx.close(); }, 1500);
    } catch (error) {
      played = false;
    }
  }

  var active = navigator.userActivation && navigator.userActivation.hasBeenActive;
  if (active) {
    play();
  } else {
    document.addEventListener("pointerdown", play, { once: true });
    document.addEventListener("keydown", play, { once: true });
  }
})();
