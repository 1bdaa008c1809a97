// Marked moments on a record's page: place the ticks on the bar under the player, and
// jump the player there (starting the recorded playback first if it has not started).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var panel = document.querySelector("[data-marks]");
    if (!panel) return;
    var duration = parseFloat(panel.dataset.duration);
    if (duration > 0) {
      panel.querySelectorAll(".mark-tick").forEach(function (tick) {
        var at = parseFloat(tick.dataset.seek);
        tick.style.left = Math.min(Math.max(at / duration, 0), 1) * 100 + "%";
      });
    }
    function player() { return document.querySelector("[data-testid=player]"); }
    function seek(at) {
      var el = player();
      if (!el) return;
      if (el.getAttribute("src")) {
        el.currentTime = at;
        return;
      }
      var play = document.querySelector("[data-play]");
      el.addEventListener("loadedmetadata", function () { el.currentTime = at; }, { once: true });
      if (play) play.click();
    }
    panel.addEventListener("click", function (event) {
      var target = event.target.closest("[data-seek]");
      if (target) { seek(parseFloat(target.dataset.seek)); return; }
      if (event.target.closest("[data-mark-now]")) {
        var el = player();
        var input = panel.querySelector("input[name=at_seconds]");
        if (el && input && !isNaN(el.currentTime)) input.value = el.currentTime.toFixed(1);
      }
    });
  });
})();
