// steungroep: small, CSP-safe behaviour. No inline scripts anywhere.
(function () {
  "use strict";

  // "Scherm leeg": one tap blanks the screen, another tap brings it back.
  function toggleBlank() {
    var overlay = document.querySelector("[data-blank-overlay]");
    if (!overlay) return;
    overlay.hidden = !overlay.hidden;
    document.body.classList.toggle("is-blank", !overlay.hidden);
  }

  // Idle lock: after the configured minutes without input, go to the lock page.
  function startIdleLock() {
    var minutes = parseInt(document.body.dataset.idleMinutes || "0", 10);
    var url = document.body.dataset.lockUrl;
    if (!minutes || !url) return;
    var timer;
    function reset() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        window.location.assign(url + "?next=" + encodeURIComponent(location.pathname));
      }, minutes * 60 * 1000);
    }
    ["pointerdown", "keydown", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, reset, { passive: true });
    });
    reset();
  }

  // Meeting timer: start/pause, shows minutes:seconds, fills the minutes field on "Afronden".
  function startTimer() {
    var box = document.querySelector("[data-timer]");
    if (!box) return;
    var display = box.querySelector("[data-timer-display]");
    var button = box.querySelector("[data-timer-toggle]");
    var field = document.querySelector("[data-timer-minutes]");
    var elapsed = 0, running = false, last = 0, tick;
    function show() {
      var seconds = Math.floor(elapsed / 1000);
      display.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      box.classList.toggle("timer-late", seconds >= 45 * 60);
      if (field) field.value = Math.round(seconds / 60) || "";
    }
    button.addEventListener("click", function () {
      running = !running;
      button.textContent = running ? "Pauze" : "Verder";
      if (running) {
        last = Date.now();
        tick = setInterval(function () {
          var now = Date.now();
          elapsed += now - last;
          last = now;
          show();
        }, 1000);
      } else {
        clearInterval(tick);
      }
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-blank-screen]")) toggleBlank();
    if (event.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("DOMContentLoaded", function () {
    startIdleLock();
    startTimer();
  });
})();
