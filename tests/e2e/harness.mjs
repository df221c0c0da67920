// Shared set-up for the end-to-end tests: dist/ on a free loopback port and headless Chromium.
import { after, before } from "node:test";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";
import { serve } from "./serve.mjs";

// playwright-core is installed by the Makefile under .tools/node, outside the source tree.
const require = createRequire(new URL("../../.tools/node/package.json", import.meta.url));
const { chromium } = require("playwright-core");

export const OUT_DIR = new URL("./out/", import.meta.url).pathname;

/**
 * Starts the server and browser before the file's tests and stops both after, even on failure.
 * Playwright gives the browser a fresh temporary profile of its own.
 */
export function usePlayground() {
  const ctx = { baseUrl: "", browser: null, server: null };
  before(async () => {
    await mkdir(OUT_DIR, { recursive: true });
    ctx.server = await serve(new URL("../../dist/", import.meta.url).pathname, 0);
    ctx.baseUrl = `http://127.0.0.1:${ctx.server.address().port}/`;
    ctx.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    });
  });
  after(async () => {
    await ctx.browser?.close();
    await new Promise((done) => (ctx.server ? ctx.server.close(done) : done()));
  });
  return ctx;
}

/** Opens the playground in a fresh page that fails the test on any console error or crash. */
export async function openPlayground(ctx, { width = 1280, height = 800, scale = 1 } = {}) {
  const page = await ctx.browser.newPage({
    viewport: { width, height },
    deviceScaleFactor: scale,
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
  await page.goto(ctx.baseUrl);
  await page.getByTestId("cluster-canvas").waitFor();
  return { page, errors };
}

/** Counts canvas pixels that differ from the blank background, read back from the canvas. */
export function paintedPixels(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector("[data-testid=cluster-canvas]");
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted += 1;
    return { painted, width: canvas.width, height: canvas.height };
  });
}

export function screenshotPath(name) {
  return join(OUT_DIR, `${name}.png`);
}

/** The pods the object list shows, as plain records. */
export function listedPods(page) {
  return page.$$eval("[data-testid=pod-item]", (items) =>
    items.map((item) => ({
      name: item.dataset.name,
      node: item.dataset.node,
      owner: item.dataset.owner,
      mark: item.dataset.mark,
    })),
  );
}

/** The nodes the object list shows, as plain records. */
export function listedNodes(page) {
  return page.$$eval("[data-testid=node-item]", (items) =>
    items.map((item) => ({ name: item.dataset.name, status: item.dataset.status })),
  );
}

/** Waits until `check(pods)` holds for the listed pods, polling; returns the pods. */
export async function waitForPods(page, check, what, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let pods = [];
  while (Date.now() < deadline) {
    pods = await listedPods(page);
    if (check(pods)) return pods;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}; pods were ${JSON.stringify(pods)}`);
}
