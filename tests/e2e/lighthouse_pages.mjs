// Lighthouse on several addresses in one Chromium and one Node process, for
// tests/e2e/test_page_quality.py: starting both anew for every page cost a few
// seconds a page on a 2-core machine.
//
//   CHROME_PATH=/usr/bin/chromium node lighthouse_pages.mjs LIGHTHOUSE_DIR \
//       accessibility,seo URL [URL ...]
//
// Writes one JSON list to stdout: {url, lhr} for each page Lighthouse reported
// on (its mobile profile, as the CLI's default), {url, error} for any it could
// not. LIGHTHOUSE_DIR is where `make lighthouse` installed it.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [folder, categories, ...urls] = process.argv.slice(2);
const load = (name, file) =>
  import(pathToFileURL(join(folder, "node_modules", name, file)).href);
const { default: lighthouse } = await load("lighthouse", "core/index.js");
const chromeLauncher = await load("chrome-launcher", "dist/index.js");

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage"],
});
const reports = [];
try {
  for (const url of urls) {
    try {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: categories.split(","),
        disableFullPageScreenshot: true,
      });
      reports.push({ url, lhr: result.lhr });
    } catch (error) {
      reports.push({ url, error: String(error?.stack ?? error) });
    }
  }
} finally {
  chrome.kill();
}
process.stdout.write(JSON.stringify(reports));
