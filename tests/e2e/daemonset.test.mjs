// The playground's DaemonSet story: one fluentd pod per node, on new nodes too, replaced when
// deleted, kept on a stopped node, and nothing moves while the clock is paused.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  listedNodes,
  listedPods,
  openPlayground,
  screenshotPath,
  usePlayground,
  waitForPods,
} from "./harness.mjs";

const ctx = usePlayground();
const FLUENTD = "DaemonSet/fluentd-elasticsearch";
const fluentdOn = (pods, node) => pods.filter((p) => p.owner === FLUENTD && p.node === node);

test("first load shows four nodes and one fluentd pod on each, control plane included", async () => {
  const { page, errors } = await openPlayground(ctx);
  const nodes = await listedNodes(page);
  assert.deepEqual(
    nodes.map((n) => n.name),
    ["control-plane", "worker-1", "worker-2", "worker-3"],
  );
  const pods = await waitForPods(
    page,
    (pods) => pods.filter((p) => p.owner === FLUENTD && p.mark === "Running (Ready)").length === 4,
    "four ready fluentd pods",
  );
  for (const node of nodes) assert.equal(fluentdOn(pods, node.name).length, 1, node.name);
  await page.screenshot({ path: screenshotPath("daemonset-first-load") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("adding a node adds a fluentd pod on it", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("10");
  await page.getByTestId("add-node").click();
  await page.waitForSelector("[data-testid=node-item][data-name=worker-4]");
  const pods = await waitForPods(
    page,
    (pods) => fluentdOn(pods, "worker-4").some((p) => p.mark === "Running (Ready)"),
    "a ready fluentd pod on worker-4",
  );
  assert.equal(fluentdOn(pods, "worker-4").length, 1);
  assert.equal(pods.filter((p) => p.owner === FLUENTD).length, 5);
  await page.screenshot({ path: screenshotPath("daemonset-node-added") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a deleted daemon pod is replaced on the same node", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("10");
  const before = await waitForPods(
    page,
    (pods) => fluentdOn(pods, "worker-1").some((p) => p.mark === "Running (Ready)"),
    "fluentd ready on worker-1",
  );
  const victim = fluentdOn(before, "worker-1")[0].name;
  await page.click(`[data-testid=pod-item][data-name=${victim}]`);
  await page.getByTestId("delete-pod").click();
  const after = await waitForPods(
    page,
    (pods) =>
      !pods.some((p) => p.name === victim) &&
      fluentdOn(pods, "worker-1").some((p) => p.mark === "Running (Ready)"),
    "a new ready fluentd pod on worker-1",
  );
  const replacement = fluentdOn(after, "worker-1")[0].name;
  assert.notEqual(replacement, victim);
  assert.match(replacement, /^fluentd-elasticsearch-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  await page.screenshot({ path: screenshotPath("daemonset-pod-replaced") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a stopped worker goes NotReady and keeps its daemon pod", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("100");
  await page.click("[data-testid=node-item][data-name=worker-2]");
  await page.getByRole("button", { name: "Stop (power off)" }).click();
  // The node lifecycle controller marks it after the 50 s grace period: 0.5 s at 100x.
  await page.waitForSelector("[data-testid=node-item][data-name=worker-2][data-status=NotReady]", {
    timeout: 20000,
  });
  const pods = await listedPods(page);
  assert.equal(fluentdOn(pods, "worker-2").length, 1, "DaemonSet pods tolerate unreachable");
  await page.screenshot({ path: screenshotPath("daemonset-node-stopped") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("while paused nothing changes, not even a pod's state", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("play-pause").click();
  const clock = await page.getByTestId("sim-clock").textContent();
  const pods = await listedPods(page);
  await page.waitForTimeout(1500);
  assert.equal(await page.getByTestId("sim-clock").textContent(), clock);
  assert.deepEqual(await listedPods(page), pods);
  assert.deepEqual(errors, []);
  await page.close();
});
