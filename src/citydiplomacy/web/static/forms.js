/* citydiplomacy forms: progressive enhancement, no framework, no inline script.
 *
 * Without this file every form still works: suggesting inputs take refs, repeatable
 * groups show a spare empty row, and "add a new partner" links to the full form.
 * With it:
 *   - inputs with data-suggest become ARIA comboboxes (type, arrows, Enter, Escape);
 *   - "Add another …" buttons add rows to repeatable groups;
 *   - quick-add panels create a partner or person and put its ref in the form;
 *   - the error summary takes the focus after a failed save.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // -- autocomplete ------------------------------------------------------------------------
  var comboCount = 0;

  function setupCombobox(input) {
    if (input.dataset.comboReady) { return; }
    input.dataset.comboReady = "1";
    var url = input.getAttribute("data-suggest");
    var list = document.createElement("ul");
    comboCount += 1;
    list.id = (input.id || "combo") + "-list-" + comboCount;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    var picked = document.getElementById(input.id + "-picked");
    var items = [];
    var active = -1;
    var timer = null;
    var sequence = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll('[role="option"]');
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      input.value = item.ref;
      if (picked) {
        picked.textContent = "Chosen: " + item.label + (item.detail ? " (" + item.detail + ")" : "") +
          (item["new"] ? ", added to the registry when you save" : "");
      }
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function render(found) {
      items = found;
      list.innerHTML = "";
      if (!items.length) {
        close();
        status.textContent = "No suggestions.";
        return;
      }
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "suggestion-label";
        name.textContent = item.label;
        option.appendChild(name);
        var detail = document.createElement("span");
        detail.className = "suggestion-detail";
        detail.textContent = [item.detail, item["new"] ? "new" : "", item.ref].filter(Boolean).join(" · ");
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      status.textContent = items.length + (items.length === 1 ? " suggestion" : " suggestions") +
        "; use the up and down arrows and Enter to choose.";
    }

    function lookup() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      sequence += 1;
      var mine = sequence;
      fetch(url + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : { items: [] };
      }).then(function (data) {
        if (mine === sequence && document.activeElement === input) { render(data.items || []); }
      }).catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      if (picked) { picked.textContent = ""; }
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        if (items.length) { highlight((active + 1) % items.length); }
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (items.length) { highlight(active <= 0 ? items.length - 1 : active - 1); }
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  // -- repeatable rows ---------------------------------------------------------------------
  function renumber(element, prefix, index) {
    var pattern = new RegExp("(^|f-|\\s)" + prefix + "-(\\d+)", "g");
    ["name", "id", "for", "aria-describedby", "aria-controls"].forEach(function (attribute) {
      var value = element.getAttribute(attribute);
      if (value) {
        element.setAttribute(attribute, value.replace(pattern, function (match, lead) {
          return lead + prefix + "-" + index;
        }));
      }
    });
  }

  function addRow(group, prefix) {
    var rows = group.querySelector(".rows");
    var last = rows.lastElementChild;
    var index = rows.children.length;
    var row = last.cloneNode(true);
    row.setAttribute("data-row", String(index));
    row.querySelectorAll(".error, .suggestions, [role=status]").forEach(function (node) { node.remove(); });
    row.querySelectorAll(".has-error").forEach(function (node) { node.classList.remove("has-error"); });
    row.querySelectorAll(".picked").forEach(function (node) { node.textContent = ""; });
    row.querySelectorAll("*").forEach(function (node) {
      renumber(node, prefix, index);
      node.removeAttribute("aria-invalid");
      node.removeAttribute("aria-activedescendant");
      if (node.dataset && node.dataset.comboReady) { delete node.dataset.comboReady; }
      if (node.tagName === "INPUT") {
        if (node.type === "checkbox") { node.checked = false; } else { node.value = ""; }
      } else if (node.tagName === "TEXTAREA") {
        node.value = "";
      } else if (node.tagName === "SELECT") {
        node.selectedIndex = 0;
      }
    });
    // Checkboxes of a row are cleared; the "remove this post" choice belongs to saved rows only.
    row.querySelectorAll('input[name$="-remove"]').forEach(function (node) {
      var wrapper = node.closest(".field");
      if (wrapper) { wrapper.remove(); }
    });
    rows.appendChild(row);
    row.querySelectorAll("input[data-suggest]").forEach(setupCombobox);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
    return row;
  }

  function setupRepeat(group) {
    var prefix = group.getAttribute("data-repeat");
    var button = group.querySelector('[data-add-row="' + prefix + '"]');
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { addRow(group, prefix); });
  }

  // -- quick add ---------------------------------------------------------------------------
  function emptyTarget(group) {
    var inputs = group.querySelectorAll(".rows input[data-suggest]");
    for (var i = 0; i < inputs.length; i += 1) {
      if (!inputs[i].value.trim()) { return inputs[i]; }
    }
    var row = addRow(group, group.getAttribute("data-repeat"));
    return row.querySelector("input[data-suggest]");
  }

  function setupQuickAdd(box) {
    var panel = box.querySelector(".quick-add-panel");
    var plural = box.getAttribute("data-plural");
    var status = box.querySelector(".quick-add-status");
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "secondary";
    toggle.textContent = box.querySelector(".quick-add-title").textContent.replace(" without leaving this form", "");
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", panel.id);
    box.insertBefore(toggle, box.firstChild);
    toggle.addEventListener("click", function () {
      var opening = panel.hidden;
      panel.hidden = !opening;
      toggle.setAttribute("aria-expanded", opening ? "true" : "false");
      if (opening) {
        var first = panel.querySelector("input, select");
        if (first) { first.focus(); }
      }
    });
    box.querySelector("[data-quick-add-submit]").addEventListener("click", function () {
      var body = new URLSearchParams();
      panel.querySelectorAll("input, select").forEach(function (field) {
        body.append(field.name.replace("quick-" + plural + "-", ""), field.value);
      });
      body.append("csrf_token", csrfToken());
      status.textContent = "Adding…";
      fetch(box.getAttribute("data-quick-add"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRF-Token": csrfToken() }
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (!result.ok) {
          var errors = (result.data.errors || []).map(function (e) {
            return (e.field ? e.field + ": " : "") + e.message;
          });
          status.textContent = "Not added: " + (errors.join("; ") || result.data.detail || "please check the fields");
          return;
        }
        var group = document.querySelector('[data-repeat="' + box.getAttribute("data-target") + '"]');
        var target = emptyTarget(group);
        target.value = result.data.ref;
        var picked = document.getElementById(target.id + "-picked");
        if (picked) { picked.textContent = "Chosen: " + result.data.name + " (new)"; }
        panel.querySelectorAll("input").forEach(function (field) { field.value = ""; });
        status.textContent = "Added " + result.data.name + " (" + result.data.ref + ") and put it in the form.";
      }).catch(function () {
        status.textContent = "Not added: the server could not be reached.";
      });
    });
  }

  function init() {
    document.querySelectorAll("input[data-suggest]").forEach(setupCombobox);
    document.querySelectorAll("[data-repeat]").forEach(setupRepeat);
    document.querySelectorAll("[data-quick-add]").forEach(setupQuickAdd);
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
