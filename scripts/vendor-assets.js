// Copies the browser assets installed by npm into dashboard/static/vendor,
// where the app serves them from 'self' under content-hashed names (no CDN at
// run time; see dashboard/assets.py). Files no longer listed are removed, so a
// bundle that was replaced is not served any more.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const target = path.join(root, "dashboard", "static", "vendor");
const assets = {
  "htmx.min.js": "node_modules/htmx.org/dist/htmx.min.js",
  // the smallest plotly.js bundle with the trace types dashboard/charts.py draws (scatter, bar);
  // it builds no code at run time, so it works under a CSP without 'unsafe-eval'
  "plotly-basic.min.js": "node_modules/plotly.js-basic-dist-min/plotly-basic.min.js",
  // the REST API's reference page (/api/v1/docs) draws openapi.json with Swagger UI
  "swagger-ui-bundle.js": "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
  "swagger-ui.css": "node_modules/swagger-ui-dist/swagger-ui.css",
};

fs.mkdirSync(target, { recursive: true });
for (const name of fs.readdirSync(target)) {
  if (!name.startsWith(".") && !(name in assets)) {
    fs.rmSync(path.join(target, name));
    console.log(`removed dashboard/static/vendor/${name}`);
  }
}
for (const [name, source] of Object.entries(assets)) {
  fs.copyFileSync(path.join(root, source), path.join(target, name));
  console.log(`vendored ${source} -> dashboard/static/vendor/${name}`);
}
// axe-core (a devDependency) stays in node_modules: the accessibility test reads it from there
