/* The unit / person picker (wenming.web.widgets.Picker): a search box, a results list, the chosen items.
   Configured by data- attributes; no inline script. Without this file the search box is a plain input. */
(function () {
  "use strict";
  var DELAY = 250;

  // interface texts come from the widget (data-picker-text, translated on the server)
  var T = { remove: "移除", chosen: "已选择：", found: "找到 {n} 项", more: "，请输入更多字缩小范围",
            none: "未找到匹配项", failed: "搜索失败，请稍后重试", removed: "已移除" };
  function t(key, n) { return (T[key] || key).replace("{n}", n); }

  function item(name, id, label) {
    var li = document.createElement("li");
    li.className = "picker-item";
    var lab = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = name; box.value = id; box.checked = true;
    lab.appendChild(box);
    lab.appendChild(document.createTextNode(" " + label));
    var rm = document.createElement("button");
    rm.type = "button"; rm.className = "btn btn-sm picker-remove";
    rm.setAttribute("data-picker-remove", ""); rm.setAttribute("aria-label", t("remove") + " " + label);
    rm.textContent = t("remove");
    li.appendChild(lab); li.appendChild(rm);
    return li;
  }

  function setup(root) {
    if (root.hasAttribute("data-picker-ready")) return;
    root.setAttribute("data-picker-ready", "");
    try { var given = JSON.parse(root.getAttribute("data-picker-text") || "{}"); for (var k in given) T[k] = given[k]; } catch (e) { /* keep the defaults */ }
    root.classList.add("picker-js");
    var name = root.getAttribute("data-picker-name");
    var multiple = root.getAttribute("data-picker-multiple") === "1";
    var url = root.getAttribute("data-picker-url");
    var chosen = root.querySelector(".picker-chosen");
    var search = root.querySelector(".picker-search");
    var results = root.querySelector(".picker-results");
    var status = root.querySelector(".picker-status");
    root.form = root.closest("form");
    var timer = null, seq = 0, active = -1;
    search.removeAttribute("name");  // the chosen items carry the value now

    function options() { return results.querySelectorAll("[role=option]"); }
    function highlight(i) {
      var opts = options();
      if (!opts.length) return;
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, k) { o.setAttribute("aria-selected", k === active ? "true" : "false"); });
      search.setAttribute("aria-activedescendant", opts[active].id);
    }
    function close() { clearTimeout(timer); results.hidden = true; results.innerHTML = ""; active = -1; search.removeAttribute("aria-activedescendant"); }
    function choose(opt) {
      var id = opt.getAttribute("data-id"), label = opt.getAttribute("data-label");
      if (!multiple) chosen.innerHTML = "";
      if (!chosen.querySelector('input[value="' + CSS.escape(id) + '"]')) chosen.appendChild(item(name, id, label));
      search.value = "";
      close();
      status.textContent = t("chosen") + label;
      search.focus();
    }
    function run() {
      var q = search.value.trim();
      var mine = ++seq;
      var sep = url.indexOf("?") < 0 ? "?" : "&";
      var extra = "";
      var follow = root.getAttribute("data-picker-follow");
      if (follow && root.form) {
        var unit = root.form.querySelector('input[type=checkbox][name="' + follow + '"]:checked');
        if (unit) extra = "&under=" + encodeURIComponent(unit.value);
      }
      fetch(url + sep + "q=" + encodeURIComponent(q) + extra, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          if (mine !== seq) return;
          results.innerHTML = ""; active = -1;
          (data.results || []).forEach(function (row, k) {
            var li = document.createElement("li");
            li.setAttribute("role", "option"); li.id = search.id + "_opt" + k;
            li.setAttribute("data-id", row.id); li.setAttribute("data-label", row.hint ? row.label + "（" + row.hint + "）" : row.label);
            li.className = "picker-option";
            var main = document.createElement("span"); main.textContent = row.label; li.appendChild(main);
            if (row.hint) { var h = document.createElement("small"); h.className = "muted"; h.textContent = " " + row.hint; li.appendChild(h); }
            results.appendChild(li);
          });
          results.hidden = !results.children.length;
          status.textContent = results.children.length ? t("found", results.children.length) + (results.children.length >= (data.limit || 20) ? t("more") : "") : t("none");
        })
        .catch(function () { status.textContent = t("failed"); });
    }
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, DELAY); });
    search.addEventListener("focus", function () { if (!results.children.length) { clearTimeout(timer); timer = setTimeout(run, DELAY); } });
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Enter") {
        var opts = options();
        if (opts.length) { e.preventDefault(); choose(opts[active >= 0 ? active : 0]); }
        else if (search.value.trim()) { e.preventDefault(); }
      } else if (e.key === "Escape") { close(); }
    });
    results.addEventListener("mousedown", function (e) { e.preventDefault(); });
    results.addEventListener("click", function (e) {
      var opt = e.target.closest("[role=option]");
      if (opt) choose(opt);
    });
    // the user moved on: no search starts, and the list closes unless the box got the focus back meanwhile
    search.addEventListener("blur", function () {
      clearTimeout(timer);
      setTimeout(function () { if (document.activeElement !== search) close(); }, 150);
    });
    chosen.addEventListener("click", function (e) {
      var rm = e.target.closest("[data-picker-remove]");
      if (rm) { rm.closest(".picker-item").remove(); status.textContent = t("removed"); search.focus(); }
    });
  }

  function scan(node) { (node || document).querySelectorAll("[data-picker]").forEach(setup); }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:load", function (e) { scan(e.target); });
})();
