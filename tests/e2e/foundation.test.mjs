// The first live page: the canvas draws, the clock runs, pause stops it, high-DPI stays crisp.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, paintedPixels, screenshotPath, usePlayground } from "./harness.mjs";

const ctx = usePlayground();

test("the canvas draws node cards and the clock stops when paused", async () => {
  const { page, errors } = await openPlayground(ctx);
  const clock = page.getByTestId("sim-clock");

  // Time moves while playing.
  const first = await clock.textContent();
  await page.waitForFunction(
    (before) => document.querySelector("[data-testid=sim-clock]").textContent !== before,
    first,
    { timeout: 5000 },
  );

  const box = await page.getByTestId("cluster-canvas").boundingBox();
  const { painted, width, height } = await paintedPixels(page);
  assert.equal(width, Math.round(box.width));
  assert.ok(painted > 0.05 * width * height, `only ${painted} of ${width * height} pixels drawn`);

  await page.getByTestId("play-pause").click();
  assert.equal(await page.getByTestId("play-pause").textContent(), "Play");
  const paused = await clock.textContent();
  await page.waitForTimeout(1500);
  assert.equal(await clock.textContent(), paused, "the simulated clock moved while paused");

  await page.screenshot({ path: screenshotPath("foundation-paused") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("on a 2x screen the canvas backing store has twice the CSS pixels", async () => {
  const { page, errors } = await openPlayground(ctx, { width: 800, height: 600, scale: 2 });
  const sizes = () =>
    page.evaluate(() => {
      const canvas = document.querySelector("[data-testid=cluster-canvas]");
      return [canvas.width, canvas.height, canvas.clientWidth, canvas.clientHeight];
    });
  await page.waitForFunction(() => {
    const canvas = document.querySelector("[data-testid=cluster-canvas]");
    return canvas.width === canvas.clientWidth * 2;
  });
  const [width, height, cssWidth, cssHeight] = await sizes();
  assert.equal(width, cssWidth * 2);
  assert.equal(height, cssHeight * 2);
  await page.screenshot({ path: screenshotPath("foundation-hidpi") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("speed 100x advances the simulated clock by minutes within seconds", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("100");
  const read = async () => Date.parse((await page.getByTestId("sim-clock").textContent())
    .replace(" UTC", "Z").replace(" ", "T"));
  const start = await read();
  await page.waitForTimeout(2000);
  const advanced_secs = (await read() - start) / 1000;
  // 2 s of wall time at 100x is 200 s; allow for timer throttling on a busy machine.
  assert.ok(advanced_secs >= 100 && advanced_secs <= 260, `advanced ${advanced_secs} s`);
  assert.deepEqual(errors, []);
  await page.close();
});
