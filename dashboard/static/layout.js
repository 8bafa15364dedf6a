// Small-screen layout helpers (no inline code anywhere: the CSP forbids it).
// 1. The menu button: below 800 px the navigation collapses behind it (app.css). Without this script the
//    button stays hidden and the navigation stays open.
// 2. The top bar's Admin menu (a <details>) closes on a click elsewhere and on Escape, as menus do.
// 3. List tables turn into cards below 640 px (app.css): each cell shows its column's name from a
//    data-label attribute. Cells written without one get their column header's text here, on load and
//    after every htmx swap, so a new column needs nothing more than its <th>.
(function () {
  "use strict";

  function setUpMenu() {
    var button = document.getElementById("menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!button || !menu) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      if (!open) {
        var first = menu.querySelector("a, button, input");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  function setUpMenuGroups() {
    var groups = document.querySelectorAll("details.nav-group");
    if (!groups.length) return;
    document.addEventListener("click", function (event) {
      Array.prototype.forEach.call(groups, function (group) {
        if (group.open && !group.contains(event.target)) group.open = false;
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      Array.prototype.forEach.call(groups, function (group) {
        if (!group.open) return;
        group.open = false;
        group.querySelector("summary").focus();
      });
    });
  }

  function headerTexts(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) return [];
    var texts = [];
    Array.prototype.forEach.call(row.cells, function (th) {
      var text = (th.getAttribute("data-label") || th.textContent || "").replace(/[▲▼↑↓]/g, "").trim();
      for (var i = 0; i < (th.colSpan || 1); i++) texts.push(text);
    });
    return texts;
  }

  function labelCells(root) {
    var tables = root.matches && root.matches("table.list") ? [root] : root.querySelectorAll("table.list");
    Array.prototype.forEach.call(tables, function (table) {
      var texts = headerTexts(table);
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && texts[column]) {
              cell.setAttribute("data-label", texts[column]);
            }
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpMenuGroups();
    labelCells(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var table = event.detail.elt.closest ? event.detail.elt.closest("table.list") : null;
    labelCells(table || document);
  });
})();
