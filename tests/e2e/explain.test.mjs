// Explaining the cluster: the DaemonSet eligibility table, the event log that selects what it
// names and is a live region, and the clock's stepping controls.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  listedNodes,
  openPlayground,
  screenshotPath,
  usePlayground,
  waitForPods,
} from "./harness.mjs";

const ctx = usePlayground();

test("the eligibility table says why the control plane has no pod of a DaemonSet without the \
toleration", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("10");
  await page.getByTestId("create-menu").locator("summary").click();
  await page.getByTestId("create-tab-DaemonSet").click();
  const name = page.locator('[data-testid=daemonset-form] input[data-field="metadata.name"]');
  await name.fill("node-exporter");
  await page.locator("[data-testid=daemonset-form] [data-testid=create-submit]").click();
  const pods = await waitForPods(
    page,
    (pods) => pods.filter((p) => p.owner === "DaemonSet/node-exporter").length === 3,
    "three node-exporter pods",
  );
  const onWorker = pods.find((p) => p.owner === "DaemonSet/node-exporter" && p.node === "worker-1");
  await page.click(`[data-testid=pod-item][data-name=${onWorker.name}]`);
  const chainLinks = page.getByTestId("owner-chain");
  await chainLinks.getByRole("button", { name: "DaemonSet/node-exporter" }).click();
  const row = (node) =>
    page.$$eval(`[data-testid=eligibility-row][data-node=${node}] > *`, (cells) =>
      cells.map((c) => c.textContent),
    );
  await page.getByTestId("eligibility").waitFor();
  assert.deepEqual(await row("control-plane"), [
    "control-plane",
    "yes",
    "node-role.kubernetes.io/control-plane:NoSchedule",
    "no",
    "yes",
    "0",
  ]);
  assert.deepEqual(await row("worker-1"), ["worker-1", "yes", "none", "yes", "yes", "1"]);
  // The owner chain goes down from the DaemonSet to its pods and their nodes.
  const chain = await page.getByTestId("owner-chain").textContent();
  assert.match(chain, new RegExp(`Pod/${onWorker.name} → Node/worker-1`));
  await page.getByTestId("inspector").screenshot({ path: screenshotPath("explain-eligibility") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("clicking an event selects the object it is about", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("speed").selectOption("10");
  await page.getByTestId("event-filter-kind").selectOption("Job");
  await page.getByTestId("event-filter-reason").fill("SuccessfulCreate");
  await page.getByTestId("event-filter-object").fill("pi");
  const jobEvent = page.getByTestId("event-entry").first();
  await jobEvent.waitFor();
  assert.equal(await jobEvent.getAttribute("data-name"), "pi");
  await jobEvent.click();
  assert.equal(await page.locator("[data-testid=inspector] h2").textContent(), "Job default/pi");
  await page.getByTestId("event-filter-kind").selectOption("Pod");
  await page.getByTestId("event-filter-reason").fill("Scheduled");
  await page.getByTestId("event-filter-object").fill("");
  const podEvent = page.getByTestId("event-entry").first();
  const podName = await podEvent.getAttribute("data-name");
  await podEvent.click();
  const heading = await page.locator("[data-testid=inspector] h2").textContent();
  assert.equal(heading, `Pod default/${podName}`);
  await page.screenshot({ path: screenshotPath("explain-event-selects"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the event log is a polite live region", async () => {
  const { page, errors } = await openPlayground(ctx);
  const log = page.getByTestId("event-list");
  await log.locator("li").first().waitFor();
  assert.equal(await log.getAttribute("aria-live"), "polite");
  const snapshot = await page.getByTestId("event-log").ariaSnapshot();
  assert.match(snapshot, /- log "Cluster events, newest first":/);
  assert.match(snapshot, /- listitem:/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("stepping moves the paused clock by a minute, a second or to the next event; reset \
reseeds", async () => {
  const { page, errors } = await openPlayground(ctx);
  const clock = page.getByTestId("sim-clock");
  await page.getByTestId("step-minute").click();
  assert.equal(await page.getByTestId("play-pause").textContent(), "Play");
  const after = await clock.textContent();
  await page.getByTestId("step-minute").click();
  const seconds = (text) => Date.parse(text.replace(" UTC", "Z").replace(" ", "T")) / 1000;
  assert.equal(seconds(await clock.textContent()) - seconds(after), 60);
  await page.getByTestId("step-second").click();
  assert.equal(seconds(await clock.textContent()) - seconds(after), 61);
  await page.getByTestId("step-event").click();
  assert.ok(seconds(await clock.textContent()) - seconds(after) >= 61);
  await page.getByTestId("seed").fill("7");
  await page.getByTestId("reset").click();
  assert.equal(await clock.textContent(), "2026-01-01 00:00:00 UTC");
  assert.equal((await listedNodes(page)).length, 4);
  await page.getByTestId("seed").fill("seven");
  await page.getByTestId("reset").click();
  assert.equal(
    await page.locator(".step-controls [role=alert]").textContent(),
    'seed: Invalid value: "seven": must be a whole number from 0 to 18446744073709551615',
  );
  await page.locator("header").screenshot({ path: screenshotPath("explain-clock-bar") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("keyboard alone pauses the clock, opens the create menu and selects from the event \
log", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.keyboard.press("Tab");
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { testid: el.dataset.testid, outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
  assert.deepEqual(await focused(), { testid: "play-pause", outline: "solid 3px" });
  await page.keyboard.press("Enter");
  assert.equal(await page.getByTestId("play-pause").textContent(), "Play");

  await page.getByTestId("create-menu").locator("summary").focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  assert.equal((await focused()).testid, "create-tab-Node");
  await page.keyboard.press("Enter");
  assert.equal(await page.getByTestId("create-tab-Node").getAttribute("aria-selected"), "true");

  const entry = page.getByTestId("event-entry").first();
  const name = await entry.getAttribute("data-name");
  const kind = await entry.getAttribute("data-kind");
  await entry.focus();
  await page.keyboard.press("Enter");
  const heading = await page.locator("[data-testid=inspector] h2").textContent();
  assert.ok(heading.startsWith(kind === "Node" ? "Node" : kind) && heading.endsWith(name), heading);
  await page.screenshot({ path: screenshotPath("explain-keyboard"), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
