/* Quick exit. The button is a plain link, so it works without JavaScript. With JavaScript it
   replaces this page in the history (Back does not come back here) and also fires when Escape
   is pressed twice within a second. */
(function () {
  "use strict";
  var WINDOW_MS = 1000;
  var lastEscape = 0;

  function destination() {
    var link = document.querySelector("[data-quick-exit]");
    return link ? link.href : null;
  }

  function leave(url) {
    if (!url) { return; }
    document.documentElement.classList.add("lk-leaving");
    window.location.replace(url);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link) { return; }
    event.preventDefault();
    leave(link.href);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    var now = Date.now();
    if (now - lastEscape <= WINDOW_MS) {
      leave(destination());
    }
    lastEscape = now;
  }, true);
}());
