/* The atlas map: zoom (buttons, wheel, drag) by changing the SVG's viewBox, a tooltip that
   repeats each shape's <title> on hover and keyboard focus, and click-through on shapes that
   carry data-href. Without JavaScript the map still works: <title>s are native tooltips and
   the shapes of records are SVG links. Also fills the introduction-path box's suggestions.
   No inline styles: visibility is toggled with the hidden attribute and classes. */
(function () {
  "use strict";

  function initMap(figure) {
    var svg = figure.querySelector("[data-atlas-canvas] svg");
    if (!svg) { return; }
    var toolbar = figure.querySelector("[data-atlas-toolbar]");
    var tooltip = figure.querySelector("[data-atlas-tooltip]");
    var full = svg.viewBox.baseVal;
    var home = { x: full.x, y: full.y, w: full.width, h: full.height };
    var box = { x: home.x, y: home.y, w: home.w, h: home.h };
    var MIN = home.w / 16;

    function apply() {
      svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].map(function (v) { return v.toFixed(1); }).join(" "));
      svg.setAttribute("data-zoom", (home.w / box.w).toFixed(2));
    }
    function clamp() {
      box.w = Math.min(home.w, Math.max(MIN, box.w));
      box.h = box.w * home.h / home.w;
      box.x = Math.min(home.x + home.w - box.w, Math.max(home.x, box.x));
      box.y = Math.min(home.y + home.h - box.h, Math.max(home.y, box.y));
    }
    function zoom(factor, cx, cy) {
      if (cx === undefined) { cx = box.x + box.w / 2; cy = box.y + box.h / 2; }
      box.x = cx - (cx - box.x) * factor;
      box.y = cy - (cy - box.y) * factor;
      box.w *= factor;
      clamp();
      apply();
    }
    function toMap(event) {
      var rect = svg.getBoundingClientRect();
      return { x: box.x + (event.clientX - rect.left) / rect.width * box.w,
               y: box.y + (event.clientY - rect.top) / rect.height * box.h };
    }

    if (toolbar) {
      toolbar.hidden = false;
      toolbar.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-zoom]");
        if (!button) { return; }
        var how = button.getAttribute("data-zoom");
        if (how === "in") { zoom(0.6); }
        else if (how === "out") { zoom(1 / 0.6); }
        else { box = { x: home.x, y: home.y, w: home.w, h: home.h }; apply(); }
      });
    }
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var at = toMap(event);
      zoom(event.deltaY < 0 ? 0.8 : 1.25, at.x, at.y);
    }, { passive: false });

    var drag = null;
    var dragged = false;
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      drag = { x: event.clientX, y: event.clientY, box: { x: box.x, y: box.y } };
      dragged = false;
    });
    window.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      dragged = true;
      svg.classList.add("dragging");
      var rect = svg.getBoundingClientRect();
      box.x = drag.box.x - dx / rect.width * box.w;
      box.y = drag.box.y - dy / rect.height * box.h;
      clamp();
      apply();
    });
    window.addEventListener("pointerup", function () {
      drag = null;
      svg.classList.remove("dragging");
    });

    // Click-through: a drag never follows a link; shapes with data-href but no <a> get one by click.
    svg.addEventListener("click", function (event) {
      if (dragged) { event.preventDefault(); dragged = false; return; }
      var link = event.target.closest("a");
      if (link) { return; }
      var shape = event.target.closest("[data-href]");
      if (shape) { window.location.assign(shape.getAttribute("data-href")); }
    });

    function describe(event) {
      var shape = event.target.closest("[data-kind]");
      var title = shape && shape.querySelector("title");
      if (!title || !tooltip) { return; }
      tooltip.textContent = title.textContent;
      tooltip.hidden = false;
      svg.querySelectorAll(".is-active").forEach(function (el) { el.classList.remove("is-active"); });
      shape.classList.add("is-active");
    }
    svg.addEventListener("mouseover", describe);
    svg.addEventListener("focusin", describe);
    svg.addEventListener("mouseleave", function () {
      if (tooltip) { tooltip.hidden = true; }
    });
    apply();
  }

  function initSuggest(input) {
    var url = input.getAttribute("data-suggest-url");
    var list = document.getElementById(input.getAttribute("list"));
    if (!url || !list) { return; }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = q;
        fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { items: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.items.forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.value;
              option.label = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience; typing still works */ });
      }, 200);
    });
  }

  document.querySelectorAll("[data-atlas-map]").forEach(initMap);
  document.querySelectorAll("input[data-suggest-url]").forEach(initSuggest);
})();
