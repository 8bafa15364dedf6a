// Our one small site-wide script. htmx does not swap 4xx/5xx answers by
// default; our error responses for htmx requests are alert fragments that
// name their target with HX-Retarget (views/errors.py), so let those through.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status >= 400 && event.detail.xhr.getResponseHeader("HX-Retarget")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// "Export CSV" links export what the list shows now: the filters htmx pushed into the address bar since
// the page loaded, not the ones it was rendered with.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-csv-export]");
  if (!link) return;
  const args = new URLSearchParams(window.location.search);
  ["page", "format", "part"].forEach((name) => args.delete(name));
  args.set("format", "csv");
  link.href = `${window.location.pathname}?${args}`;
});

// "Save view" saves what the list shows now: the filters htmx pushed into the address bar since the
// page loaded (an address without any is the default view the page was rendered with).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-saved-view]");
  if (!form || !window.location.search) return;
  const args = new URLSearchParams(window.location.search);
  ["page", "format", "part"].forEach((name) => args.delete(name));
  form.querySelector("input[name=query]").value = args.toString();
});
