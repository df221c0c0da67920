// The default scenario's workloads beside the DaemonSet: the pi Job runs to completion, and a
// stopped worker's Deployment pods move elsewhere after the eviction delay while its DaemonSet
// pod stays.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, screenshotPath, usePlayground, waitForPods } from "./harness.mjs";

const ctx = usePlayground();
const NGINX = /^ReplicaSet\/nginx-deployment-/;
const FLUENTD = "DaemonSet/fluentd-elasticsearch";

test("the pi Job's pod runs to completion", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("10");
  const pods = await waitForPods(
    page,
    (pods) => pods.some((p) => p.owner === "Job/pi" && p.mark === "Completed"),
    "the pi pod Completed",
  );
  const pi = pods.filter((p) => p.owner === "Job/pi");
  assert.equal(pi.length, 1, "backoffLimit 4 but no failure: one pod");
  assert.match(pi[0].name, /^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  await page.screenshot({ path: screenshotPath("workloads-pi-completed") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("stopping a worker moves only the Deployment's pods, after the eviction delay", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("100");
  const ready = (p) => p.mark === "Running (Ready)";
  const before = await waitForPods(
    page,
    (pods) => pods.filter((p) => NGINX.test(p.owner) && ready(p)).length === 3,
    "three ready nginx pods",
  );
  const victim = before.find((p) => NGINX.test(p.owner)).node;
  await page.click(`[data-testid=node-item][data-name=${victim}]`);
  await page.getByRole("button", { name: "Stop (power off)" }).click();
  await page.waitForSelector(`[data-testid=node-item][data-name=${victim}][data-status=NotReady]`);
  // Still there right after NotReady: eviction waits for the 300 s toleration.
  const early = await page.$$eval("[data-testid=pod-item]", (items) =>
    items.filter((i) => i.dataset.owner.startsWith("ReplicaSet/")).map((i) => i.dataset.node),
  );
  assert.ok(early.includes(victim), "nginx pod evicted before its 300 s toleration ran out");

  const after = await waitForPods(
    page,
    (pods) => {
      const live = pods.filter((p) => NGINX.test(p.owner) && p.mark !== "Terminating");
      return live.length === 3 && live.every((p) => p.node !== victim && ready(p));
    },
    `three ready nginx pods off ${victim}`,
    40000,
  );
  const daemon = after.filter((p) => p.owner === FLUENTD && p.node === victim);
  assert.equal(daemon.length, 1, `one DaemonSet pod stays: ${JSON.stringify(daemon)}`);
  assert.notEqual(daemon[0].mark, "Terminating");
  await page.screenshot({ path: screenshotPath("workloads-node-stopped-evicted") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the hello CronJob runs a Job every simulated minute and keeps three successful ones", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("100");
  // 2026-01-01T00:00:00Z is minute 29453760 since the epoch; the 00:01 run is hello-29453761.
  const helloJobs = (pods) =>
    [...new Set(pods.filter((p) => /^Job\/hello-\d+$/.test(p.owner)).map((p) => p.owner))].sort();
  const completed = (pods, job) =>
    pods.some((p) => p.owner === job && p.mark === "Completed");
  // Between the 00:06 run finishing and the 00:07 run starting, the history holds exactly the
  // 00:04, 00:05 and 00:06 Jobs; the 00:01 to 00:03 Jobs and their pods are gone.
  const settled = (pods) => {
    const jobs = helloJobs(pods);
    return jobs.length === 3 && jobs.every((job) => completed(pods, job));
  };
  const pods = await waitForPods(
    page,
    (pods) => settled(pods) && helloJobs(pods).includes("Job/hello-29453766"),
    "three completed Jobs after the 00:06 run",
    40000,
  );
  assert.deepEqual(helloJobs(pods), [
    "Job/hello-29453764",
    "Job/hello-29453765",
    "Job/hello-29453766",
  ]);
  await page.screenshot({ path: screenshotPath("workloads-hello-cronjob") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("draining a worker evicts its Deployment pods and keeps its DaemonSet pod", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("10");
  const ready = (p) => p.mark === "Running (Ready)";
  const before = await waitForPods(
    page,
    (pods) => pods.filter((p) => NGINX.test(p.owner) && ready(p)).length === 3,
    "three ready nginx pods",
  );
  const victim = before.find((p) => NGINX.test(p.owner)).node;
  await page.click(`[data-testid=node-item][data-name=${victim}]`);
  await page.getByTestId("drain-node").click();
  await page.waitForSelector(
    `[data-testid=node-item][data-name=${victim}][data-status="Ready,SchedulingDisabled"]`,
  );
  const status = await page.locator(".inspector [role=status]").textContent();
  assert.match(status, new RegExp(`node/${victim} cordoned`));
  const after = await waitForPods(
    page,
    (pods) => {
      const live = pods.filter((p) => NGINX.test(p.owner) && p.mark !== "Terminating");
      return live.length === 3 && live.every((p) => p.node !== victim && ready(p));
    },
    `three ready nginx pods off ${victim}`,
  );
  assert.equal(after.filter((p) => p.owner === FLUENTD && p.node === victim).length, 1);
  await page.screenshot({ path: screenshotPath("workloads-drained") });
  assert.deepEqual(errors, []);
  await page.close();
});
