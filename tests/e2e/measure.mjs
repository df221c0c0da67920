// Measurements for the closing notes, not tests: `make measure` prints medians of several runs
// of time to first canvas paint, frame draw time, and the gzipped size of what the page loads.
// `node tests/e2e/measure.mjs [query]` measures the page opened with `?query` (a scenario).
import { readdir, readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { serve } from "./serve.mjs";

const require = createRequire(new URL("../../.tools/node/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const DIST = new URL("../../dist/", import.meta.url).pathname;
const RUNS = 7;
const FRAMES = 60;
// TODO(#8): measure the frame draw time with 500 nodes and 10,000 pods too.

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function gzippedBytes() {
  let total = 0;
  for (const name of await readdir(DIST)) {
    total += gzipSync(await readFile(DIST + name), { level: 9 }).length;
  }
  return total;
}

async function measure(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName("kubarium:first-paint").length > 0, null, {
    timeout: 120000,
  });
  const firstPaintMs = await page.evaluate(
    () => performance.getEntriesByName("kubarium:first-paint")[0].startTime,
  );
  const draws = [];
  let last = null;
  while (draws.length < FRAMES) {
    const value = await page.getByTestId("cluster-canvas").getAttribute("data-draw-ms");
    if (value !== last) draws.push(Number(value));
    last = value;
    await page.waitForTimeout(20);
  }
  const pods = await page.$$eval("[data-testid=pod-item]", (items) => items.length);
  await page.close();
  return { firstPaintMs, drawMs: median(draws), pods };
}

const query = process.argv[2] ?? "";
const server = await serve(DIST, 0);
const url = `http://127.0.0.1:${server.address().port}/${query ? `?${query}` : ""}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"],
});
try {
  const runs = [];
  for (let run = 0; run < RUNS; run += 1) runs.push(await measure(browser, url));
  console.log(`page: ${url}`);
  console.log(`runs: ${RUNS}, frames sampled per run: ${FRAMES}`);
  console.log(`first canvas paint: median ${median(runs.map((r) => r.firstPaintMs)).toFixed(1)} ms`);
  console.log(`frame draw time: median ${median(runs.map((r) => r.drawMs)).toFixed(2)} ms`);
  console.log(`gzipped transfer size of dist/: ${(await gzippedBytes()) / 1000} kB`);
} finally {
  await browser.close();
  server.close();
}
