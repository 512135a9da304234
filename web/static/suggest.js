/* Autocomplete for the search box: persons, provinces and frequent terms, typed with or
   without diacritics. An ARIA 1.2 combobox; the form works the same without it. */
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) return;
  var url = input.getAttribute("data-suggest-url");
  var KINDS = { person: "Nhân vật", province: "Tỉnh/thành", term: "Từ khóa" };
  var list = document.createElement("ul");
  var status = document.createElement("p");
  var items = [];
  var active = -1;
  var timer = null;
  var seq = 0;

  list.id = input.id + "-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Gợi ý tìm kiếm");
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  input.parentNode.appendChild(list);
  input.parentNode.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function close() {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function select(i) {
    var options = list.children;
    for (var k = 0; k < options.length; k++) {
      options[k].setAttribute("aria-selected", k === i ? "true" : "false");
    }
    active = i;
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(i) {
    input.value = items[i].value;
    close();
    if (input.form) input.form.submit();
  }

  function render(suggestions) {
    list.textContent = "";
    items = suggestions || [];
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      var value = document.createElement("span");
      var kind = document.createElement("span");
      li.id = list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      value.textContent = item.value;
      kind.className = "kind";
      kind.textContent = KINDS[item.kind] || "";
      li.appendChild(value);
      li.appendChild(kind);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep focus in the box
        choose(i);
      });
      list.appendChild(li);
    });
    if (items.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = items.length + " gợi ý, dùng phím mũi tên để chọn.";
    } else {
      close();
      status.textContent = "";
    }
    active = -1;
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    var mine = ++seq;
    if (q.length < 2) return close();
    fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === seq) render(data.suggestions); })
      .catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) {
      if (event.key === "ArrowDown" && items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        select(0);
        event.preventDefault();
      }
      return;
    }
    if (event.key === "ArrowDown") {
      select((active + 1) % items.length);
    } else if (event.key === "ArrowUp") {
      select(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      choose(active);
    } else if (event.key === "Escape") {
      close();
    } else {
      return;
    }
    event.preventDefault();
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
