// The create menu: a DaemonSet with a nodeSelector from the form, the CronJob form's live
// schedule and its refusal of a bad one, and pasted YAML that cannot be read.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  listedPods,
  openPlayground,
  screenshotPath,
  usePlayground,
  waitForPods,
} from "./harness.mjs";

const ctx = usePlayground();

async function openCreate(page, tab) {
  const menu = page.getByTestId("create-menu");
  if (!(await menu.evaluate((el) => el.open))) await menu.locator("summary").click();
  await page.getByTestId(`create-tab-${tab}`).click();
}

const field = (page, form, path) =>
  page.locator(`[data-testid=${form}] input[data-field="${path}"]`);

test("a DaemonSet with a nodeSelector from the form runs only on the matching nodes", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("10");
  // worker-2 gets disktype=ssd from the node inspector; a new worker-4 gets it from the form.
  await page.click("[data-testid=node-item][data-name=worker-2]");
  await page.getByRole("button", { name: "Set label" }).click();
  await openCreate(page, "Node");
  await field(page, "node-form", "metadata.labels").fill("disktype=ssd");
  await page.locator("[data-testid=node-form] [data-testid=create-submit]").click();
  await page.waitForSelector("[data-testid=node-item][data-name=worker-4]");

  await openCreate(page, "DaemonSet");
  await field(page, "daemonset-form", "metadata.name").fill("ssd-monitor");
  await field(page, "daemonset-form", "spec.template.spec.nodeSelector").fill("disktype=ssd");
  await page.locator("[data-testid=daemonset-form] [data-testid=create-submit]").click();
  await assert.doesNotReject(
    page
      .getByTestId("form-created")
      .filter({ hasText: "daemonset.apps/ssd-monitor created" })
      .waitFor(),
  );
  const mine = (pods) => pods.filter((p) => p.owner === "DaemonSet/ssd-monitor");
  const pods = await waitForPods(
    page,
    (pods) => mine(pods).filter((p) => p.mark === "Running (Ready)").length === 2,
    "two ready ssd-monitor pods",
  );
  assert.deepEqual(mine(pods).map((p) => p.node).sort(), ["worker-2", "worker-4"]);
  // Ten more simulated seconds change nothing: no pod is ever made for the other nodes.
  await page.waitForTimeout(1000);
  const later = mine(await listedPods(page));
  assert.deepEqual(later.map((p) => p.node).sort(), ["worker-2", "worker-4"]);
  await page.screenshot({ path: screenshotPath("create-daemonset-node-selector"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the CronJob form describes the schedule while typing and refuses 0 0 * * 7", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("play-pause").click();
  await openCreate(page, "CronJob");
  const schedule = field(page, "cronjob-form", "spec.schedule");
  await schedule.fill("");
  await schedule.pressSequentially("0 9 * * 1-5");
  await assert.doesNotReject(
    page
      .getByTestId("schedule-description")
      .filter({ hasText: /^At 09:00 on every day-of-week from Monday through Friday$/ })
      .waitFor(),
  );
  // The simulated clock stands at Thursday 2026-01-01 00:00 UTC.
  assert.deepEqual(await page.getByTestId("schedule-runs").locator("li").allTextContents(), [
    "Thu 2026-01-01 09:00 UTC",
    "Fri 2026-01-02 09:00 UTC",
    "Mon 2026-01-05 09:00 UTC",
    "Tue 2026-01-06 09:00 UTC",
    "Wed 2026-01-07 09:00 UTC",
  ]);
  await page.screenshot({ path: screenshotPath("create-cronjob-live-schedule"), fullPage: true });

  const before = {
    pods: await listedPods(page),
    events: await page.getByTestId("event-entry").count(),
  };
  const message =
    'spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6): 7';
  await schedule.fill("0 0 * * 7");
  assert.equal(await page.getByTestId("schedule-error").textContent(), message);
  await page.locator("[data-testid=cronjob-form] [data-testid=create-submit]").click();
  const fieldError = page.locator('[data-testid=field-error][data-field="spec.schedule"]');
  assert.equal(await fieldError.textContent(), message);
  assert.equal(await schedule.getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByTestId("form-created").textContent(), "");
  assert.deepEqual(await listedPods(page), before.pods);
  assert.equal(await page.getByTestId("event-entry").count(), before.events);
  await page.screenshot({ path: screenshotPath("create-cronjob-refused"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("pasted YAML that cannot be read shows the error with its line and applies \
nothing", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("play-pause").click();
  await openCreate(page, "YAML");
  const before = await listedPods(page);
  // The first document is fine; the second has an unclosed flow sequence on line 11.
  const yaml = [
    "apiVersion: batch/v1",
    "kind: Job",
    "metadata:",
    "  name: first",
    "spec:",
    "  template:",
    "    spec:",
    "      restartPolicy: Never",
    "      containers: [{name: c, image: busybox}]",
    "---",
    "kind: Job",
    "metadata:",
    "  name: [second",
    "  labels: {}",
  ].join("\n");
  await page.getByTestId("yaml-input").fill(yaml);
  await page.locator("[data-testid=yaml-form] [data-testid=create-submit]").click();
  const yamlForm = page.getByTestId("yaml-form");
  const error = await yamlForm.getByTestId("form-error").textContent();
  // kubectl's own words for a syntax error on stdin, naming the line.
  assert.match(error, /^error: error parsing STDIN: .*line 14 column 9/s);
  assert.equal(await yamlForm.getByTestId("form-created").textContent(), "");
  await page.getByTestId("play-pause").click();
  await page.waitForTimeout(500);
  const after = await listedPods(page);
  assert.ok(!after.some((p) => p.owner === "Job/first"), JSON.stringify(after));
  assert.ok(after.length >= before.length);
  await page.screenshot({ path: screenshotPath("create-yaml-error"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
