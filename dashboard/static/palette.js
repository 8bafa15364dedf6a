// The command palette (Ctrl/Cmd-K), the keyboard shortcuts (/, g d, g p, g t, ..., c, ?) and the
// record pickers of the forms. No inline code anywhere: the CSP forbids it. htmx fetches what is
// shown (/search?palette=1, /pick/<kind>); this script only opens, moves and chooses.
(function () {
  "use strict";

  var TYPING = "input, textarea, select, [contenteditable=''], [contenteditable=true]";

  // --- a listbox driven from a text box (aria-activedescendant): the palette and each picker ---

  function visibleOptions(listbox) {
    return Array.prototype.filter.call(listbox.querySelectorAll("[role=option]"), function (o) {
      return !o.hidden && !o.closest("[hidden]");
    });
  }

  function activate(input, listbox, option) {
    visibleOptions(listbox).forEach(function (o) { o.removeAttribute("aria-selected"); });
    if (option) {
      option.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function activeOption(listbox) {
    return visibleOptions(listbox).filter(function (o) { return o.getAttribute("aria-selected") === "true"; })[0];
  }

  function move(input, listbox, step) {
    var options = visibleOptions(listbox);
    if (!options.length) return;
    var index = options.indexOf(activeOption(listbox)) + step;
    if (index < 0) index = options.length - 1;
    if (index >= options.length) index = 0;
    activate(input, listbox, options[index]);
  }

  // --- the palette ----------------------------------------------------------------------------

  var palette, input, listbox, results, actions, help, returnFocus;

  function filterActions() {
    var query = input.value.trim().toLowerCase();
    actions.forEach(function (a) { a.hidden = query !== "" && a.textContent.toLowerCase().indexOf(query) < 0; });
  }

  function openDialog(dialog) {
    if (dialog.open) return;
    if (!document.querySelector("dialog[open]")) returnFocus = document.activeElement;
    dialog.showModal();
  }

  function openPalette(prefill) {
    if (help.open) help.close();
    input.value = prefill || "";
    results.innerHTML = "";
    filterActions();
    openDialog(palette);
    input.focus();
    activate(input, listbox, visibleOptions(listbox)[0]);
  }

  function setUpPalette() {
    palette = document.getElementById("palette");
    help = document.getElementById("shortcuts");
    if (!palette || !help) return false;
    input = document.getElementById("palette-input");
    listbox = document.getElementById("palette-listbox");
    results = document.getElementById("palette-results");
    actions = Array.prototype.slice.call(document.querySelectorAll("#palette-actions [role=option]"));

    input.addEventListener("input", function () {
      filterActions();
      activate(input, listbox, visibleOptions(listbox)[0]);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(input, listbox, event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter") {
        var option = activeOption(listbox);
        event.preventDefault();
        if (option) window.location.assign(option.href);
      }
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target === results) activate(input, listbox, visibleOptions(listbox)[0]);
    });
    listbox.addEventListener("mousemove", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) activate(input, listbox, option);
    });
    [palette, help].forEach(function (dialog) {
      // a click on the backdrop (the dialog element itself, outside its box) closes it
      dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
      dialog.addEventListener("close", function () {
        if (!document.querySelector("dialog[open]") && returnFocus && document.contains(returnFocus)) returnFocus.focus();
      });
    });
    return true;
  }

  // --- keyboard shortcuts ---------------------------------------------------------------------

  var goKeys = {};  // "d" -> URL, from the palette's actions (data-keys="g d")
  var pendingG = 0;

  function onKey(event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
      event.preventDefault();
      if (palette.open) palette.close(); else openPalette("");
      return;
    }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]") || (event.target.closest && event.target.closest(TYPING))) return;
    if (pendingG && Date.now() - pendingG < 1500 && goKeys[event.key]) {
      event.preventDefault();
      pendingG = 0;
      window.location.assign(goKeys[event.key]);
      return;
    }
    pendingG = 0;
    if (event.key === "g") {
      pendingG = Date.now();
    } else if (event.key === "/") {
      event.preventDefault();
      var box = document.getElementById("global-search");
      if (box && box.offsetParent !== null) box.focus(); else openPalette("");
    } else if (event.key === "?") {
      event.preventDefault();
      openDialog(help);
      document.getElementById("shortcuts-close").focus();
    } else if (event.key === "c") {
      event.preventDefault();
      openPalette("New ");
    }
  }

  function setUpShortcuts() {
    actions.forEach(function (a) {
      var keys = (a.getAttribute("data-keys") || "").split(" ");
      if (keys.length === 2 && keys[0] === "g") goKeys[keys[1]] = a.href;
    });
    document.addEventListener("keydown", onKey);
  }

  // --- record pickers (templates/_picker.html) ------------------------------------------------

  function setUpPicker(root) {
    if (root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    var select = root.querySelector("select");
    var combo = root.querySelector(".picker-combo");
    var text = combo.querySelector("input[role=combobox]");
    var value = combo.querySelector("input[type=hidden]");
    var list = combo.querySelector("[role=listbox]");
    // with this script the combobox replaces the select (a plain select of the first records without it)
    select.disabled = true;
    select.hidden = true;
    value.disabled = false;
    combo.hidden = false;

    function show(open) {
      list.hidden = !open;
      text.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function choose(option) {
      value.value = option ? option.getAttribute("data-value") : "";
      text.value = option ? option.getAttribute("data-label") : "";
      show(false);
      value.dispatchEvent(new Event("change", { bubbles: true }));
    }
    text.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) show(true);
        move(text, list, event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && !list.hidden) {
        event.preventDefault();
        var option = activeOption(list);
        if (option) choose(option);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        event.stopPropagation();
        show(false);
      }
    });
    text.addEventListener("input", function () {
      if (text.value.trim() === "") value.value = "";  // an emptied box clears the choice
    });
    text.addEventListener("blur", function () { window.setTimeout(function () { show(false); }, 150); });
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { event.preventDefault(); choose(option); }
    });
    root.addEventListener("htmx:afterSwap", function () {
      show(document.activeElement === text);
      activate(text, list, visibleOptions(list)[0]);
    });
  }

  function setUpPickers(scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll("[data-picker]"), setUpPicker);
  }

  function start() {
    if (setUpPalette()) setUpShortcuts();
    setUpPickers(document);
    document.body.addEventListener("htmx:load", function (event) { setUpPickers(event.detail.elt); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
