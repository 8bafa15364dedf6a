// Our one small site-wide script. htmx does not swap 4xx/5xx answers by
// default; our error responses for htmx requests are alert fragments that
// name their target with HX-Retarget (views/errors.py), so let those through.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status >= 400 && event.detail.xhr.getResponseHeader("HX-Retarget")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
