// The timeline: a CronJob made from the form shows its past runs and its next five runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, screenshotPath, usePlayground } from "./harness.mjs";

const ctx = usePlayground();

test("the timeline shows a CronJob's past runs and its next five", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("play-pause").click();
  await page.getByTestId("create-menu").locator("summary").click();
  await page.getByTestId("create-tab-CronJob").click();
  const input = (path) => page.locator(`[data-testid=cronjob-form] input[data-field="${path}"]`);
  await input("metadata.name").fill("report");
  await input("spec.schedule").fill("* * * * *");
  await page.locator("[data-testid=cronjob-form] [data-testid=create-submit]").click();
  const created = await page.getByTestId("form-created").textContent();
  assert.equal(created, "cronjob.batch/report created");

  // Two jumps: each stops just after a scheduled run, once its Job exists.
  await page.getByTestId("step-cronjob").click();
  assert.equal(await page.getByTestId("sim-clock").textContent(), "2026-01-01 00:01:00 UTC");
  await page.getByTestId("step-cronjob").click();
  assert.equal(await page.getByTestId("sim-clock").textContent(), "2026-01-01 00:02:00 UTC");

  // The Job controller batches its syncs by a second: two more seconds and both runs have pods.
  await page.getByTestId("step-second").click();
  await page.getByTestId("step-second").click();
  await page.getByTestId("timeline").locator("summary").click();
  const lane = page.locator('[data-testid=timeline-lane][data-lane="CronJob/report"]');
  await lane.waitFor();
  const titles = (testid) => lane.locator(`[data-testid=${testid}] title`).allTextContents();
  const past = await titles("past-run");
  assert.equal(past.length, 2, JSON.stringify(past));
  assert.match(past[0], /^report-29453761: (running|Complete), started 00:01:00$/);
  assert.match(past[1], /^report-29453762: (running|Complete), started 00:02:00$/);
  assert.deepEqual(await titles("next-run"), [
    "next run at 00:03:00",
    "next run at 00:04:00",
    "next run at 00:05:00",
    "next run at 00:06:00",
    "next run at 00:07:00",
  ]);
  // The runs' pods sit in the same lane.
  await page.screenshot({ path: screenshotPath("timeline-cronjob"), fullPage: true });
  const podRows = await lane.locator("text.row-label").allTextContents();
  assert.deepEqual(
    podRows.filter((label) => label.startsWith("report-")).map((label) => label.slice(0, 15)),
    ["report-29453762", "report-29453761"],
  );
  assert.deepEqual(errors, []);
  await page.close();
});
