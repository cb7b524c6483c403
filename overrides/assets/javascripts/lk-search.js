/* Search, loaded only when the reader asks for it. Pages carry Material's search box but not
   Material's JavaScript, so nothing about search is fetched when a page opens. This small file
   shows the box (site.css: .lk-search-on) and, on the first touch of it (focus, or the magnifier
   button on a phone), loads lk-search-results.js, which loads the language's index and lunr. */
(function () {
  "use strict";
  var configElement = document.getElementById("lk-search-config");
  var input = document.querySelector(".md-search__input");
  var toggle = document.getElementById("__search");
  if (!configElement || !input || !toggle || typeof Promise === "undefined") { return; }
  var started = false;

  function start() {
    if (started) { return; }
    started = true;
    var script = document.createElement("script");
    script.src = JSON.parse(configElement.textContent).results;
    document.head.appendChild(script);
  }

  document.documentElement.classList.add("lk-search-on");
  input.addEventListener("focus", function () { toggle.checked = true; start(); });
  toggle.addEventListener("change", function () {
    if (toggle.checked) { start(); input.focus(); }
  });
  document.addEventListener("keydown", function (event) {   /* Escape closes the search */
    if ((event.key === "Escape" || event.key === "Esc") && toggle.checked) {
      toggle.checked = false;
      input.blur();
    }
  });
}());
