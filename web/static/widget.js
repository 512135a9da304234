/* vnsearch widget: <div data-vnsearch></div> + <script src=".../widget.js" async></script>
   turns the div into a search box with results from the JSON API of the same server.

   Options (data attributes on the div): data-q (initial query), data-province and
   data-person (fixed filters, comma-separated), data-per-page (1-20, default 5),
   data-target (e.g. "_blank" for result links).

   Every string from the server becomes text (textContent). The only markup taken from
   a response is <mark> in snippets, rebuilt element by element, never via innerHTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    var all = document.querySelectorAll("script[src*='widget.js']");
    script = all[all.length - 1];
  }
  if (!script || !window.fetch) return;
  var BASE = script.src.replace(/widget\.js(?:[?#].*)?$/, "");
  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  var counter = 0;

  function decode(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (match, name) {
      if (name.charAt(0) === "#") {
        var code = name.charAt(1).toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : match;
      }
      var key = name.toLowerCase();
      return Object.prototype.hasOwnProperty.call(ENTITIES, key) ? ENTITIES[key] : match;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* The engine's snippet: text escaped, matches in <mark>. Anything else stays text. */
  function appendSnippet(parent, html) {
    var target = parent;
    String(html || "").split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") {
        target = parent.appendChild(el("mark"));
      } else if (part === "</mark>") {
        target = parent;
      } else if (part) {
        target.appendChild(document.createTextNode(decode(part)));
      }
    });
  }

  function vnDate(iso) {
    return iso && iso.length >= 10 ? iso.slice(8, 10) + "/" + iso.slice(5, 7) + "/" + iso.slice(0, 4) : "";
  }

  function list(value) {
    return (value || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function query(params) {
    var parts = [];
    Object.keys(params).forEach(function (key) {
      [].concat(params[key]).forEach(function (value) {
        if (value !== "" && value !== null && value !== undefined) {
          parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(value));
        }
      });
    });
    return parts.join("&");
  }

  function articleUrl(id, q) {
    var path = String(id).split("/").map(encodeURIComponent).join("/");
    return BASE + "articles/" + path + (q ? "?q=" + encodeURIComponent(q) : "");
  }

  function addStylesheet() {
    if (document.querySelector("link[data-vnsearch-css]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = BASE + "static/widget.css";
    link.setAttribute("data-vnsearch-css", "");
    document.head.appendChild(link);
  }

  function mount(root) {
    if (root.hasAttribute("data-vnsearch-ready")) return;
    root.setAttribute("data-vnsearch-ready", "");
    var n = ++counter;
    var fixed = { province: list(root.getAttribute("data-province")), person: list(root.getAttribute("data-person")) };
    var perPage = Math.min(20, Math.max(1, parseInt(root.getAttribute("data-per-page"), 10) || 5));
    var target = root.getAttribute("data-target");
    var state = { q: root.getAttribute("data-q") || "", page: 1 };

    var box = el("section", "vnsearch-widget");
    box.setAttribute("aria-label", "Tìm kiếm tin tức");
    var form = el("form", "vnsearch-form");
    form.setAttribute("role", "search");
    var label = el("label", "vnsearch-label", "Tìm tin tức");
    var input = el("input", "vnsearch-input");
    var button = el("button", "vnsearch-button", "Tìm");
    var status = el("p", "vnsearch-status");
    var results = el("ol", "vnsearch-results");
    var nav = el("nav", "vnsearch-nav");
    input.type = "search";
    input.id = "vnsearch-q-" + n;
    input.value = state.q;
    input.placeholder = "Gõ có dấu hoặc không dấu…";
    label.htmlFor = input.id;
    button.type = "submit";
    status.setAttribute("role", "status");
    nav.setAttribute("aria-label", "Phân trang kết quả");
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(button);
    box.appendChild(form);
    box.appendChild(status);
    box.appendChild(results);
    box.appendChild(nav);
    root.textContent = "";
    root.appendChild(box);

    function params() {
      return { q: state.q, province: fixed.province, person: fixed.person, page: state.page, per_page: perPage };
    }

    function show(data) {
      results.textContent = "";
      nav.textContent = "";
      status.textContent = data.total
        ? "Tìm thấy " + data.total.toLocaleString("vi-VN") + " kết quả"
        : "Không tìm thấy kết quả nào. Hãy thử từ khóa khác.";
      (data.hits || []).forEach(function (hit) {
        var li = el("li", "vnsearch-hit");
        var a = el("a", "vnsearch-title", hit.title || "(Không có tiêu đề)");
        a.href = articleUrl(hit.id, data.query);
        if (target) {
          a.target = target;
          a.rel = "noopener";
        }
        var meta = el("p", "vnsearch-meta", [vnDate(hit.date), hit.source].concat(hit.provinces || []).filter(Boolean).join(" · "));
        var snippet = el("p", "vnsearch-snippet");
        appendSnippet(snippet, hit.snippet);
        li.appendChild(el("h3", "vnsearch-heading")).appendChild(a);
        li.appendChild(meta);
        li.appendChild(snippet);
        results.appendChild(li);
      });
      var last = Math.ceil(data.total / data.per_page);
      if (data.page > 1) nav.appendChild(pageButton("‹ Trước", data.page - 1));
      if (data.page < last) nav.appendChild(pageButton("Sau ›", data.page + 1));
      if (data.total) {
        var all = el("a", "vnsearch-all", "Xem tất cả trên trang tìm kiếm");
        all.href = BASE + "search?" + query({ q: state.q, province: fixed.province, person: fixed.person });
        if (target) all.target = target;
        nav.appendChild(all);
      }
    }

    function pageButton(text, page) {
      var b = el("button", "vnsearch-page", text);
      b.type = "button";
      b.addEventListener("click", function () {
        state.page = page;
        run();
      });
      return b;
    }

    function run() {
      if (!state.q && !fixed.province.length && !fixed.person.length) return;
      status.textContent = "Đang tìm…";
      fetch(BASE + "api/search?" + query(params()), { mode: "cors", credentials: "omit", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().catch(function () { return null; }).then(function (data) {
            if (!response.ok) {
              var error = new Error((data && data.error) || "Lỗi " + response.status);
              error.fromServer = true;
              throw error;
            }
            return data;
          });
        })
        .then(show)
        .catch(function (error) {
          results.textContent = "";
          nav.textContent = "";
          status.textContent = error && error.fromServer ? error.message : "Không kết nối được máy chủ tìm kiếm.";
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.q = input.value.trim();
      state.page = 1;
      run();
    });
    run();
  }

  function start() {
    addStylesheet();
    var roots = document.querySelectorAll("[data-vnsearch]");
    for (var i = 0; i < roots.length; i++) mount(roots[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
