// Search in a real browser: a traditional spelling and pinyin initials find
// the registry; results are highlighted.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { startServer, launch, login, shots, BIN } from "./helpers.mjs";

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

/** Types the query into the search box and waits for results (the index is built in the background at start-up). */
async function searchFor(page, q) {
  for (let i = 0; i < 40; i++) {
    await page.goto(`${server.base}/search`);
    await page.fill("input[name=q]", q);
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    if ((await page.textContent("#total")) !== "0") return;
    await page.waitForTimeout(500);
  }
  assert.fail(`no results for ${q}`);
}

test("a traditional spelling finds the simplified unit name, highlighted", async () => {
  const page = await browser.newPage();
  await login(page, server.base, "office");
  await searchFor(page, "雲嶺縣財政局");
  const titles = await page.$$eval("ol.results li > a", (as) => as.map((a) => a.textContent.trim()));
  assert.ok(titles.includes("云岭县财政局"), titles.join(","));
  assert.ok((await page.$$("ol.results mark")).length > 0, "matches are marked");
  await page.screenshot({ path: `${shots}/search-traditional.png`, fullPage: true });
});

test("pinyin initials find a person", async () => {
  const page = await browser.newPage();
  await login(page, server.base, "office");
  // The first person listed, searched by the initials of their name
  // (xuncha's own pinyin, surname readings included).
  await page.goto(`${server.base}/persons`);
  const name = (await page.textContent("table.ledger tbody tr td a")).trim();
  const initials = execFileSync(BIN, ["text", "pinyin"], { input: `${name}\n` }).toString().trim().split("\t")[2];
  assert.ok(initials && /^[a-z]+$/.test(initials), initials);
  await searchFor(page, initials);
  const titles = await page.$$eval("ol.results li > a", (as) => as.map((a) => a.textContent.trim()));
  assert.ok(titles.includes(name), `${name}: ${titles.join(",")}`);
});
