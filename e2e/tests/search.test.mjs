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

test("a petition is found by a name in its text typed in pinyin, in traditional script, and through the filters", async () => {
  const page = await browser.newPage();
  await login(page, server.base, "office");
  // Register a petition naming a village cadre in its text (not in its title).
  await page.goto(`${server.base}/petitions`);
  await page.fill("#pt-date", "2026-11-20");
  await page.selectOption("#pt-channel", "letter");
  await page.selectOption("#pt-category", "appeal");
  const unit = await page.$$eval("#pt-unit option", (os) => os.find((o) => o.textContent.includes("民政局"))?.value);
  assert.ok(unit, "a unit to petition about");
  await page.selectOption("#pt-unit", unit);
  await page.fill("#pt-title", "反映低保评定不公问题");
  await page.fill("#pt-content", "石门村村支书韦国振把低保名额给了自己的亲属，真正困难的群众评不上，群众意见很大。");
  await Promise.all([page.waitForNavigation(), page.click("form[action='/petitions'] button[type=submit]")]);
  assert.ok(/\/petitions\/\d+/.test(page.url()), `registered: ${page.url()} ${await page.textContent("main")}`);
  const titles = async () => page.$$eval("ol.results li > a", (as) => as.map((a) => a.textContent.trim()));

  // The cadre's name typed in full pinyin, then as initials together with a Chinese word.
  await searchFor(page, "weiguozhen");
  assert.ok((await titles()).includes("反映低保评定不公问题"), (await titles()).join(","));
  assert.ok((await page.$$eval("ol.results mark", (ms) => ms.map((m) => m.textContent))).includes("韦国振"), "the name is marked");
  await searchFor(page, "wgz 低保");
  assert.ok((await titles()).includes("反映低保评定不公问题"));

  // Traditional script, narrowed with the type and status filters chosen on the page.
  await searchFor(page, "評定不公");
  await page.selectOption("select[name=type]", "petition");
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  assert.ok((await titles()).includes("反映低保评定不公问题"));
  const statuses = await page.$$eval("#f-status option", (os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(statuses.includes("registered"), statuses.join(","));
  await page.selectOption("#f-status", "registered");
  await page.fill("#f-from", "2026-11-20");
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  assert.ok((await titles()).includes("反映低保评定不公问题"));
  await page.screenshot({ path: `${shots}/search-filters.png`, fullPage: true });
  // A later day, or another status, leaves it out.
  await page.fill("#f-from", "2026-11-21");
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  assert.equal(await page.textContent("#total"), "0");
  await page.fill("#f-from", "");
  const other = statuses.find((s) => s !== "registered");
  await page.selectOption("#f-status", other);
  await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
  assert.ok(!(await titles()).includes("反映低保评定不公问题"));

  // The inspected unit's account cannot find it.
  const theirs = await browser.newPage();
  await login(theirs, server.base, "beixuncha");
  await theirs.goto(`${server.base}/search?q=${encodeURIComponent("评定不公")}`);
  const seen = await theirs.$$eval("ol.results li > a", (as) => as.map((a) => a.textContent.trim()));
  assert.ok(!seen.includes("反映低保评定不公问题"), seen.join(","));
});
