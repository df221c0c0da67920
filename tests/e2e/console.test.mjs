// The kubectl console and the saved state: kubectl's table in the console, history on up-arrow,
// tab completion, and a reload that brings back the same cluster at the same simulated time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { listedNodes, openPlayground, screenshotPath, usePlayground } from "./harness.mjs";

const ctx = usePlayground();

test("kubectl get pods -o wide prints kubectl's table and up-arrow recalls the line", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("play-pause").click();
  await page.getByTestId("console").locator("summary").click();
  const input = page.getByTestId("console-input");
  await input.fill("kubectl get pods -o wide");
  await input.press("Enter");
  const output = await page.locator("[data-testid=console-output] .stdout").last().textContent();
  const [header, ...rows] = output.trimEnd().split("\n");
  const columns = "NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES";
  assert.equal(header.split(/\s{2,}/).join(" "), columns);
  // The default namespace's pods: every listed pod but the fluentd ones in kube-system.
  const listed = await page.$$eval("[data-testid=pod-item]", (items) =>
    items.map((i) => i.dataset.name).filter((name) => !name.startsWith("fluentd")),
  );
  assert.deepEqual(rows.map((row) => row.split(/\s+/)[0]).sort(), listed.sort());
  assert.equal(await input.inputValue(), "");
  await input.press("ArrowUp");
  assert.equal(await input.inputValue(), "kubectl get pods -o wide");
  await input.press("ArrowDown");
  assert.equal(await input.inputValue(), "");

  await input.fill("desc");
  await input.press("Tab");
  assert.equal(await input.inputValue(), "describe ");
  await input.pressSequentially("jobs p");
  await input.press("Tab");
  assert.equal(await input.inputValue(), "describe jobs pi ");
  await page.getByTestId("console").screenshot({ path: screenshotPath("console-get-pods-wide") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a reload restores the same cluster and simulated time", async () => {
  const { page, errors } = await openPlayground(ctx);
  await page.getByTestId("play-pause").click();
  await page.getByTestId("add-node").click();
  await page.getByTestId("step-minute").click();
  await page.getByTestId("step-minute").click();
  const saved = await page.getByTestId("sim-clock").textContent();
  assert.equal(saved, "2026-01-01 00:02:00 UTC");
  await page.reload();
  await page.getByTestId("cluster-canvas").waitFor();
  await page.getByTestId("play-pause").click();
  const restored = await page.getByTestId("sim-clock").textContent();
  const seconds = (text) => Date.parse(text.replace(" UTC", "Z").replace(" ", "T")) / 1000;
  const drift = seconds(restored) - seconds(saved);
  assert.ok(drift >= 0 && drift < 3, `restored at ${restored}, saved at ${saved}`);
  assert.equal(
    await page.getByTestId("persist-message").textContent(),
    "Restored the cluster saved in this browser, at 2026-01-01 00:02:00 UTC.",
  );
  assert.deepEqual(
    (await listedNodes(page)).map((n) => n.name),
    ["control-plane", "worker-1", "worker-2", "worker-3", "worker-4"],
  );
  await page.screenshot({ path: screenshotPath("persist-restored"), fullPage: true });

  // Leaving the page saves it again, so the broken text is written as the next page starts.
  await page.addInitScript(() => localStorage.setItem("kubarium.scenario", "kind: [broken"));
  await page.reload();
  await page.getByTestId("cluster-canvas").waitFor();
  const message = await page.getByTestId("persist-message").textContent();
  assert.match(
    message,
    /^The saved cluster could not be read \(.+\); the default cluster is loaded instead\.$/s,
  );
  assert.equal((await listedNodes(page)).length, 4);
  assert.deepEqual(errors, []);
  await page.close();
});
