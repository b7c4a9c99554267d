/* Small behaviours for the workbench; everything else is htmx. No external requests. */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var t = e.target.closest("[data-toggle-menu]");
    if (t) {
      var open = document.body.classList.toggle("menu-open");
      t.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      // Swap 422 responses (form errors) so input and field messages come back (ui.md §2.4).
      htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "422", swap: true },
        { code: "[45]..", swap: false, error: true }
      ];
      htmx.config.includeIndicatorStyles = false;
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
