// Copies the browser assets installed by npm into dashboard/static/vendor,
// where Flask serves them from 'self' (no CDN at run time).
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const target = path.join(root, "dashboard", "static", "vendor");
const assets = {
  "htmx.min.js": "node_modules/htmx.org/dist/htmx.min.js",
  "plotly-strict.min.js": "node_modules/plotly.js-strict-dist-min/plotly-strict.min.js",
};

fs.mkdirSync(target, { recursive: true });
for (const [name, source] of Object.entries(assets)) {
  fs.copyFileSync(path.join(root, source), path.join(target, name));
  console.log(`vendored ${source} -> dashboard/static/vendor/${name}`);
}
