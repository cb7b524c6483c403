/* Search results in the reader's own language: lunr, the language's stemmer where one exists,
   and the language's own index (<language root>/search/search_index.js), all loaded as ordinary
   script files (so search also works from file:// in the offline bundle). lk-search.js loads this
   file on the reader's first touch of the search box; nothing about search is fetched before.
   Results list the reader's own age band first. What the page needs is in
   <script id="lk-search-config" type="application/json"> (partials/lk-search.html); the words
   come from Material's translations in #__config. */
(function () {
  "use strict";
  var configElement = document.getElementById("lk-search-config");
  var input = document.querySelector(".md-search__input");
  var toggle = document.getElementById("__search");
  if (!configElement || !input || !toggle || typeof Promise === "undefined") { return; }

  var config = JSON.parse(configElement.textContent);
  var words = {};
  try { words = JSON.parse(document.getElementById("__config").textContent).translations || {}; } catch (e) { /* defaults */ }
  var MAX_RESULTS = 20;
  var SNIPPET = 160;
  var form = input.form;
  var meta = document.querySelector(".md-search-result__meta");
  var list = document.querySelector(".md-search-result__list");
  var root = config.index.replace(/search\/search_index\.js$/, "");
  var loading = null;
  var engine = null;
  var timer = 0;

  if (meta) { meta.setAttribute("role", "status"); }            /* counts are announced */
  if (list) { list.removeAttribute("role"); }                   /* a real list of results */

  function say(text) { if (meta) { meta.textContent = text; } }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(script);
    });
  }

  /* Trim anything but letters and digits from both ends, in every script (lunr's own trimmer
     only knows ASCII and would erase Cyrillic, Georgian or Arabic words). */
  var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  function trimToken(token) {
    return token.update(function (s) { return s.replace(EDGES, ""); });
  }

  function build() {
    var data = window.__lkSearchIndex;
    var lunr = window.lunr;
    var stemmer = data.stemmer;
    lunr.Pipeline.registerFunction(trimToken, "lkTrim");
    /* Words end at spaces, hyphens, apostrophes and punctuation, in every script: French
       "l'aide" is "l" + "aide", Turkish "Türkiye'de" is "türkiye" + "de" (queries split alike). */
    lunr.tokenizer.separator = /[\s\-'’‘.,;:!?¿¡()"«»“”„…\[\]\/،؛؟]+/;
    var index = lunr(function () {
      if (stemmer && stemmer !== "en" && lunr[stemmer]) {
        this.use(lunr[stemmer]);                                  /* its own trimmer, stop words, stemmer */
      } else if (stemmer !== "en") {
        this.pipeline.reset();                                    /* no stemmer for this language */
        this.searchPipeline.reset();
        this.pipeline.add(trimToken);
        this.searchPipeline.add(trimToken);
      }
      this.ref("i");
      this.field("title", { boost: 10 });
      this.field("page", { boost: 2 });
      this.field("text");
      data.docs.forEach(function (doc, i) {
        this.add({ i: String(i), title: doc.title, page: doc.page || "", text: doc.text });
      }, this);
    });
    engine = { index: index, docs: data.docs, lunr: lunr, stemmer: stemmer };
  }

  function load() {
    if (!loading) {
      var chain = Promise.resolve();
      config.scripts.concat([config.index]).forEach(function (src) {
        chain = chain.then(function () { return loadScript(src); });
      });
      loading = chain.then(build).then(function () { run(); }, function () {
        say(words["search.result.none"] || "");
      });
    }
    return loading;
  }

  /* 0: the reader's own band (or section), 1: start pages, 2: other bands, 3: adults' pages. */
  function group(doc) {
    var head = doc.location.split("/")[0];
    if (config.section && head === config.section) { return 0; }
    if (config.bands.indexOf(head) >= 0) { return 2; }
    if (head === config.adults) { return 3; }
    return 1;
  }

  function query(text) {
    var lunr = engine.lunr;
    var tokens = lunr.tokenizer(text).map(function (t) { return t.toString().replace(EDGES, ""); })
      .filter(function (t) { return t.length > 0; });
    if (!tokens.length) { return []; }
    var found = engine.index.query(function (q) {
      tokens.forEach(function (token) {
        q.term(token, { boost: 10 });
        if (token.length > 1) {                                   /* words still being typed */
          q.term(token, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 1 });
        }
        /* No stemmer for this language (uk, ka): other endings of the same word still match
           ("допомога" finds "допомогу"), by its first letters; never another language's rules. */
        if (!engine.stemmer && token.length >= 5) {
          var stem = token.slice(0, token.length - (token.length >= 7 ? 2 : 1));
          q.term(stem, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 0.5 });
        }
      });
    });
    var results = found.map(function (r, rank) {
      var doc = engine.docs[Number(r.ref)];
      return { doc: doc, group: group(doc), rank: rank };
    });
    results.sort(function (a, b) { return a.group - b.group || a.rank - b.rank; });
    return { results: results, tokens: tokens };
  }

  function snippet(text, tokens) {
    var lower = text.toLowerCase();
    var at = -1;
    tokens.forEach(function (t) {
      var i = lower.indexOf(t.toLowerCase());
      if (i >= 0 && (at < 0 || i < at)) { at = i; }
    });
    var start = Math.max(0, at - 40);
    if (start > 0) { start = text.indexOf(" ", start) + 1 || start; }
    var piece = text.slice(start, start + SNIPPET);
    var more = start + SNIPPET < text.length;
    if (more && piece.lastIndexOf(" ") > SNIPPET / 2) { piece = piece.slice(0, piece.lastIndexOf(" ")); }
    return (start > 0 ? "… " : "") + piece + (more ? " …" : "");
  }

  /* Text with the typed words marked, built from text nodes only (never HTML from the index). */
  function marked(parent, text, tokens) {
    var pattern = tokens.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|");
    var parts = pattern ? text.split(new RegExp("(" + pattern + ")", "giu")) : [text];
    parts.forEach(function (part, i) {
      if (i % 2 === 1) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        parent.appendChild(mark);
      } else if (part) {
        parent.appendChild(document.createTextNode(part));
      }
    });
  }

  function render(found, text) {
    list.textContent = "";
    list.setAttribute("data-query", text);                      /* what these results answer */
    var results = found.results;
    var count = results.length;
    if (!count) {
      say(words["search.result.none"] || "0");
      return;
    }
    say(count === 1 ? (words["search.result.one"] || "1")
      : (words["search.result.other"] || "#").replace("#", String(count)));
    results.slice(0, MAX_RESULTS).forEach(function (result) {
      var doc = result.doc;
      var item = document.createElement("li");
      item.className = "md-search-result__item";
      var link = document.createElement("a");
      link.className = "md-search-result__link";
      link.href = root + doc.location;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var title = document.createElement("div");
      title.className = "lk-search-result__title";
      marked(title, doc.page ? doc.page + " › " + doc.title : doc.title, found.tokens);
      article.appendChild(title);
      if (doc.text) {
        var text = document.createElement("p");
        marked(text, snippet(doc.text, found.tokens), found.tokens);
        article.appendChild(text);
      }
      link.appendChild(article);
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function run() {
    if (!engine) { return; }
    var text = input.value.trim();
    if (!text) {
      list.textContent = "";
      list.setAttribute("data-query", "");
      say(words["search.result.placeholder"] || "");
      return;
    }
    render(query(text), text);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { load().then(run); }, 60);
  });
  form.addEventListener("submit", function (event) {     /* Enter opens the first result */
    event.preventDefault();
    load().then(function () {
      run();
      var first = list.querySelector("a");
      if (first) { window.location.href = first.href; }
    });
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(); input.focus(); }, 0);
  });
  load();
}());
