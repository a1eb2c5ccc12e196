// Registry in a real browser: log in, import an .xlsx of units, see them
// listed; a file with bad rows is refused with every row named.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { startServer, launch, login, fixture, shots } from "./helpers.mjs";

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
  mkdirSync(shots, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("office logs in, imports an xlsx of units and sees them listed", async () => {
  const page = await browser.newPage();
  await login(page, server.base, "office");
  assert.match(await page.textContent("h1"), /工作台/);

  await page.goto(`${server.base}/import`);
  await page.selectOption("#kind", "units");
  await page.setInputFiles("#file", fixture("units.xlsx"));
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  const result = await page.textContent("#import-result");
  assert.match(result, /新增3条/);

  await page.goto(`${server.base}/units?q=${encodeURIComponent("林")}`);
  const names = await page.$$eval("table.ledger tbody td:first-child", (tds) => tds.map((t) => t.textContent.trim()));
  assert.ok(names.includes("云岭县林业和草原局"), names.join(","));
  assert.ok(names.includes("云岭县林场"), names.join(","));
  await page.screenshot({ path: `${shots}/units-after-import.png`, fullPage: true });

  // The child unit hangs under the new bureau.
  await page.click("text=云岭县林场");
  assert.match(await page.textContent("dl.record"), /云岭县林业和草原局/);
});

test("a file with bad rows is refused whole and every bad row is named", async () => {
  const page = await browser.newPage();
  await login(page, server.base, "office");
  await page.goto(`${server.base}/persons?q=${encodeURIComponent("测试")}`);
  const before = await page.textContent("#total");

  await page.goto(`${server.base}/import`);
  await page.selectOption("#kind", "people");
  await page.setInputFiles("#file", fixture("people-with-errors.xlsx"));
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  const errors = await page.textContent("#import-errors");
  assert.match(errors, /校验位错误/);
  assert.match(errors, /找不到单位「不存在的单位」/);
  const rows = await page.$$eval("#import-errors tbody tr td:first-child", (tds) => tds.map((t) => t.textContent.trim()));
  assert.deepEqual([...new Set(rows)], ["3", "4"]);
  await page.screenshot({ path: `${shots}/import-errors.png`, fullPage: true });

  await page.goto(`${server.base}/persons?q=${encodeURIComponent("测试")}`);
  assert.equal(await page.textContent("#total"), before, "nothing was applied");
});
