// The REST API's reference page (/api/v1/docs): Swagger UI (vendored from npm) draws openapi.json.
// No inline script: the page's CSP allows scripts from 'self' only.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle !== "function") return;
  SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    validatorUrl: null, // never send the document to an outside validator
    tryItOutEnabled: false,
  });
});
