/* The chart kit: draws every [data-chart] element from the JSON spec the server printed with
   json_script (no inline script, CSP-safe); the table beside each chart stays as its text fallback.
   The big screen (main[data-refresh-url]) refetches its JSON every data-refresh-seconds and redraws. */
(function () {
  "use strict";
  var maps = {};
  var charts = {};

  function dark() { return document.body.classList.contains("db-screen"); }

  function option(spec) {
    var labels = spec.rows.map(function (r) { return r[0]; });
    var values = spec.rows.map(function (r) { return r[1]; });
    var text = dark() ? "#e6edf7" : "#333";
    var base = { textStyle: { color: text }, tooltip: {}, animation: false, grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true } };
    if (spec.type === "pie") {
      base.tooltip = { trigger: "item" };
      if (!values.some(function (v) { return v; })) {  /* nothing counted yet: say so instead of empty slices */
        base.title = { text: spec.empty || "\u6682\u65e0\u6570\u636e", left: "center", top: "middle", textStyle: { color: text, fontSize: 14, fontWeight: "normal" } };
        base.series = [];
        return base;
      }
      base.series = [{ type: "pie", radius: ["35%", "65%"], label: { color: text }, stillShowZeroSum: false,
        data: spec.rows.map(function (r) { return { name: r[0], value: r[1] }; }) }];
      return base;
    }
    if (spec.type === "map") {
      var nums = values.filter(function (v) { return v !== null; });
      base.tooltip = { trigger: "item" };
      base.visualMap = { min: 0, max: Math.max.apply(null, nums.concat([1])), left: 8, bottom: 8, calculable: true,
        textStyle: { color: text }, inRange: { color: ["#dbe9f8", "#1f6fc5", "#0b3a75"] } };
      base.series = [{ type: "map", map: spec.map, label: { show: true, color: "#fff", fontSize: 13, textBorderColor: "#0b2545", textBorderWidth: 3 },
        itemStyle: { borderColor: "#7aa7d9" },
        data: spec.rows.map(function (r) { return { name: r[0], value: r[1] }; }) }];
      return base;
    }
    if (!values.some(function (v) { return v !== null && v !== undefined; })) {  /* no rows, or none measured */
      base.title = { text: spec.empty || "\u6682\u65e0\u6570\u636e", left: "center", top: "middle", textStyle: { color: text, fontSize: 14, fontWeight: "normal" } };
      return base;
    }
    var cat = { type: "category", data: labels, axisLabel: { color: text } };
    var val = { type: "value", axisLabel: { color: text } };
    base.tooltip = { trigger: "axis" };
    if (spec.horizontal) { base.grid.right = 48; }  /* room for the value label at the bar's end */
    base.xAxis = spec.horizontal ? val : cat;
    base.yAxis = spec.horizontal ? Object.assign({}, cat, { inverse: true }) : val;
    base.series = [{ type: spec.type, data: values, smooth: spec.type === "line", label: { show: spec.type === "bar", position: spec.horizontal ? "right" : "top", color: text } }];
    return base;
  }

  function withMap(spec, done) {
    if (spec.type !== "map" || maps[spec.map]) { done(); return; }
    fetch(spec.geo, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
      window.echarts.registerMap(spec.map, geo);
      maps[spec.map] = true;
      done();
    });
  }

  function draw(el, spec) {
    if (!window.echarts || !spec || !spec.rows) { return; }
    if (spec.type === "bar" && !spec.horizontal && spec.rows.length > 8 && el.clientWidth < 520) {
      /* a phone: many categories read better as rows than as squeezed columns */
      spec = Object.assign({}, spec, { horizontal: true });
      el.style.height = (spec.rows.length * 24 + 48) + "px";
    }
    el.closest("figure").classList.add("db-drawn");
    withMap(spec, function () {
      var c = charts[el.dataset.chart] || window.echarts.init(el, null, { renderer: "canvas" });
      charts[el.dataset.chart] = c;
      c.setOption(option(spec), true);
    });
  }

  function specOf(el) {
    var node = document.getElementById(el.dataset.chart);
    return node ? JSON.parse(node.textContent) : null;
  }

  function field(obj, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? o : o[k]; }, obj);
  }

  function refresh(main) {
    fetch(main.dataset.refreshUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (body) {
        main.querySelectorAll("[data-field]").forEach(function (n) {
          var v = field(body.data, n.dataset.field);
          if (n.dataset.field === "as_of" && v) { v = v.replace("T", " ").slice(0, 19); }
          if (v !== undefined && v !== null) { n.textContent = v; }
        });
        main.querySelectorAll("[data-chart]").forEach(function (el) {
          var key = el.dataset.chart.replace(/^chart-/, "").replace(/-spec$/, "").replace(/-/g, "_");
          if (body.specs[key]) { draw(el, body.specs[key]); }
        });
      })
      .catch(function () { /* keep the last numbers; the next tick tries again */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) { draw(el, specOf(el)); });
    window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
    var main = document.querySelector("main[data-refresh-url]");
    if (main) {
      var s = Math.min(60, Math.max(30, parseInt(main.dataset.refreshSeconds, 10) || 30));
      window.setInterval(function () { refresh(main); }, s * 1000);
    }
  });
})();
