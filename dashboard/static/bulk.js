// Bulk actions on lists (table[data-bulk] with the form #bulk-form above it): a checkbox on each row, one in
// the header for the rows shown, the count of ticked rows, the value field of the chosen action, and the
// list's current filters (pushed into the address bar by htmx) sent with "all matching this filter".
// The checkboxes belong to the form through their form="bulk-form" attribute; the server does the rest.
(() => {
  const form = () => document.getElementById("bulk-form");

  function rowName(row) {
    const link = row.querySelector("a");
    return (link ? link.textContent : row.textContent).trim().replace(/\s+/g, " ").slice(0, 80);
  }

  function addCheckboxes(table) {
    const headRow = table.querySelector("thead tr");
    if (headRow && !headRow.querySelector(".select-all")) {
      const th = document.createElement("th");
      th.className = "select";
      const all = document.createElement("input");
      all.type = "checkbox";
      all.className = "select-all";
      all.id = "select-all-rows";
      all.setAttribute("aria-label", "Select every row shown");
      th.appendChild(all);
      headRow.insertBefore(th, headRow.firstChild);
    }
    table.querySelectorAll("tbody tr").forEach((row) => {
      if (row.dataset.bulkReady) return;
      row.dataset.bulkReady = "1";
      const cell = document.createElement("td");
      cell.className = "select";
      cell.dataset.label = "Select"; // phones: list rows are labelled cards
      if (row.dataset.id) {
        const box = document.createElement("input");
        box.type = "checkbox";
        box.name = "ids";
        box.value = row.dataset.id;
        box.setAttribute("form", "bulk-form");
        box.className = "row-select";
        box.setAttribute("aria-label", `Select ${rowName(row)}`);
        cell.appendChild(box);
        row.insertBefore(cell, row.firstChild);
      } else {
        const wide = row.querySelector("td[colspan]");
        if (wide) wide.colSpan += 1; // empty-list and "load more" rows span the new column too
      }
    });
    update();
  }

  function update() {
    const bar = form();
    if (!bar) return;
    const ticked = document.querySelectorAll("input.row-select:checked").length;
    const count = document.getElementById("bulk-count");
    if (count) count.textContent = ticked === 1 ? "1 selected row" : `${ticked} selected rows`;
    const filterScope = document.getElementById("bulk-scope-filter");
    if (ticked > 0 && filterScope && filterScope.checked) {
      document.getElementById("bulk-scope-selected").checked = true;
    }
    const action = document.getElementById("bulk-action").value;
    bar.querySelectorAll(".bulk-value").forEach((label) => {
      label.hidden = label.dataset.action !== action;
    });
    const shown = document.getElementById("result-count");
    const total = document.getElementById("bulk-total");
    if (shown && total) total.textContent = shown.textContent.trim();
  }

  function setUp() {
    document.querySelectorAll("table[data-bulk]").forEach(addCheckboxes);
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.classList && target.classList.contains("select-all")) {
      const table = target.closest("table");
      table.querySelectorAll("input.row-select").forEach((box) => {
        box.checked = target.checked;
      });
    }
    if (target.closest && (target.closest("#bulk-form") || target.classList.contains("row-select") ||
        target.classList.contains("select-all"))) {
      update();
    }
  });

  document.addEventListener("submit", (event) => {
    if (event.target.id !== "bulk-form") return;
    // no query string: the page shows what the server rendered (a default view's filters are in the field)
    if (!window.location.search) return;
    const args = new URLSearchParams(window.location.search);
    ["page", "format", "part"].forEach((name) => args.delete(name));
    document.getElementById("bulk-query").value = args.toString();
  });

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", setUp);
})();
