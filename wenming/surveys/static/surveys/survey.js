// Skip logic of the public survey: a question with data-show-if is shown only when the answer to that
// earlier question is one of data-show-values ("|"-separated). The server applies the same rule.
(function () {
  "use strict";
  var form = document.querySelector("form[data-survey]");
  if (!form) return;
  function answers(key) {
    var out = [];
    form.querySelectorAll('[name="q_' + key + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") ? el.checked : el.value) out.push(el.value);
    });
    return out;
  }
  function update() {
    form.querySelectorAll("[data-show-if]").forEach(function (box) {
      var wanted = box.getAttribute("data-show-values").split("|");
      var shown = answers(box.getAttribute("data-show-if")).some(function (v) { return wanted.indexOf(v) >= 0; });
      box.hidden = !shown;
      box.querySelectorAll("input, textarea").forEach(function (el) { el.disabled = !shown; });
    });
  }
  form.addEventListener("change", update);
  update();
})();
