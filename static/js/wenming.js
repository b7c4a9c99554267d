/* Small behaviours for the workbench; everything else is htmx. No external requests, nothing inline:
   the Content-Security-Policy allows scripts from static files only (docs/adr/0003-identity-security.md). */
(function () {
  "use strict";
  function setMenu(open) {
    document.body.classList.toggle("menu-open", open);
    document.querySelectorAll("[data-toggle-menu]").forEach(function (b) {
      b.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-toggle-menu]")) {
      setMenu(!document.body.classList.contains("menu-open"));
      return;
    }
    // The scrim behind the phone menu drawer: a tap outside the drawer closes it.
    if (e.target.closest("[data-close-menu]")) {
      setMenu(false);
      return;
    }
    // Confirm before a plain (non-htmx) destructive submit: <button data-confirm="确定删除…吗？">.
    var c = e.target.closest("button[data-confirm], input[data-confirm]");
    if (c && !window.confirm(c.dataset.confirm)) {
      e.preventDefault();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && document.body.classList.contains("menu-open")) {
      setMenu(false);
    }
  });
  // Query forms start folded on phones when no filter is set; wider screens open them (ui.md §2.2).
  function unfoldWide() {
    if (window.matchMedia("(min-width: 769px)").matches) {
      document.querySelectorAll("details[data-fold-narrow]").forEach(function (d) { d.open = true; });
    }
  }
  unfoldWide();
  document.addEventListener("DOMContentLoaded", function () {
    unfoldWide();
    if (window.htmx) {
      // Swap 422 responses (form errors) so input and field messages come back (ui.md §2.4).
      htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "422", swap: true },
        { code: "[45]..", swap: false, error: true }
      ];
    }
    setTimeout(function () {
      document.querySelectorAll(".toast").forEach(function (el) { el.classList.add("fade"); });
    }, 3000);
  });
  document.addEventListener("htmx:responseError", function () {
    var box = document.querySelector(".toasts") || document.body.appendChild(Object.assign(document.createElement("div"), { className: "toasts" }));
    var el = document.createElement("div");
    el.className = "toast toast-error";
    el.textContent = "操作失败，请稍后重试";
    box.appendChild(el);
  });
})();
