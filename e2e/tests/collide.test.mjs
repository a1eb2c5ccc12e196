// 大数据碰撞 in a real browser (issue 6): the office imports a subsidy roll
// (one header mapped by hand on the mapping screen) and a payroll list,
// runs the payroll template, watches the run finish, opens the hit,
// confirms it and turns it into a clue of a round.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launch, login, shots } from "./helpers.mjs";

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

// A valid ID number (GB 11643 check character computed here).
function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

const PERSON = idNumber("53262219700101001");

async function upload(page, kind, name, source, file, csv) {
  await page.goto(`${server.base}/collide/data`);
  await page.selectOption("#kind", kind);
  await page.fill("#name", name);
  await page.fill("#source", source);
  await page.setInputFiles("#file", { name: file, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await Promise.all([page.waitForNavigation(), page.click("#upload-form button[type=submit]")]);
  assert.match(await page.textContent("h1"), /核对表头/);
}

test("two lists imported, a template run, a hit turned into a clue", async () => {
  const ctx = await browser.newContext({ locale: "zh-CN" });
  const page = await ctx.newPage();
  await login(page, server.base, "office");
  await page.goto(`${server.base}/collide`);
  await Promise.all([page.waitForNavigation(), page.click("#open-data")]);

  // 待遇名目 is not a usual header: the mapping screen leaves it to the user.
  await upload(page, "subsidy", "低保名册", "县民政局", "低保.csv",
    `姓名,身份证号,待遇名目,村\n韦大成,${PERSON},农村低保,石门村\n覃二妹,53262219800202002X,农村低保,石门村\n`);
  assert.equal(await page.inputValue("#map-name"), "姓名");
  assert.equal(await page.inputValue("#map-programme"), "");
  await page.selectOption("#map-programme", "待遇名目");
  await page.screenshot({ path: join(shots, "collide-mapping.png"), fullPage: true });
  await Promise.all([page.waitForNavigation(), page.click("#mapping-form button[type=submit]")]);
  assert.match(await page.textContent("#import-result"), /低保名册/);
  assert.match(await page.textContent("#problems"), /身份证号/);

  await upload(page, "payroll", "财政供养人员", "县财政局", "供养.csv",
    `姓名,身份证号,工作单位\n韦大成,${PERSON},县财政局\n`);
  await Promise.all([page.waitForNavigation(), page.click("#mapping-form button[type=submit]")]);
  assert.match(await page.textContent("#import-result"), /财政供养人员/);

  await Promise.all([page.waitForNavigation(), page.click("#back")]);
  assert.match(await page.textContent("#datasets"), /县财政局/);
  // The problem report stays with the data set.
  await Promise.all([page.waitForNavigation(), page.click("#datasets a")]);
  assert.match(await page.textContent("#problems"), /身份证号/);
  await page.goBack();
  await page.check("#rule-recipient-is-payroll");
  await Promise.all([page.waitForNavigation(), page.click("#run-form button[type=submit]")]);
  assert.match(await page.textContent("h1"), /比对进度/);
  await page.waitForSelector("#run-done", { timeout: 60_000 });
  assert.match(await page.textContent("#run-done"), /新发现 1 条/);
  await page.screenshot({ path: join(shots, "collide-run.png"), fullPage: true });

  await Promise.all([page.waitForNavigation(), page.click("#run-hits")]);
  await Promise.all([page.waitForNavigation(), page.click("#hits >> text=韦大成")]);
  await page.check("#triage input[value=confirmed]");
  await page.fill("#h-note", "经县财政局核实：该人员为在编职工");
  await Promise.all([page.waitForNavigation(), page.click("#triage button[type=submit]")]);
  assert.match(await page.textContent("#hit-state"), /已核实属实/);
  const target = await page.$eval("#h-target", (s) =>
    [...s.options].find((o) => o.textContent.includes("云岭县民政局")).value);
  await page.selectOption("#h-target", target);
  await Promise.all([page.waitForNavigation(), page.click("#to-clue button[type=submit]")]);
  // The clue opens in its target's page.
  const clue = page.url().match(/#rec-(\d+)$/);
  assert.ok(clue, page.url());
  assert.match(await page.textContent(`#rec-${clue[1]}`), /韦大成/);
  await ctx.close();
});

test("a custom rule tried and saved on the rules page, then offered on the run form", async () => {
  const ctx = await browser.newContext({ locale: "zh-CN" });
  const page = await ctx.newPage();
  await login(page, server.base, "office");
  await page.goto(`${server.base}/collide/data`);
  await Promise.all([page.waitForNavigation(), page.click("#open-rules")]);
  assert.match(await page.textContent("#templates"), /享受救助人员名下登记有车辆/);
  await page.fill("#rule-id", "payroll-recipients");
  await page.fill("#rule-title", "领取低保的在编人员");
  // A column that does not exist: named, and the SQL stays as typed.
  await page.fill("#rule-sql", "SELECT s.nme AS subject_name FROM subsidy s");
  await Promise.all([page.waitForNavigation(), page.click("#rule-preview")]);
  assert.match(await page.textContent("#errors"), /nme/);
  assert.equal(await page.inputValue("#rule-title"), "领取低保的在编人员");
  await page.fill("#rule-sql",
    "SELECT s.id_number AS subject_id_number, s.name AS subject_name, s.village AS place\n" +
    "FROM subsidy s JOIN payroll p ON s.id_key = p.id_key");
  await Promise.all([page.waitForNavigation(), page.click("#rule-preview")]);
  assert.match(await page.textContent("#preview"), /共 1 条命中/);
  assert.match(await page.textContent("#preview"), /韦大成/);
  await page.screenshot({ path: join(shots, "collide-rules.png"), fullPage: true });
  await Promise.all([page.waitForNavigation(), page.click("#rule-save")]);
  assert.match(await page.textContent("#rule-saved"), /领取低保的在编人员/);
  assert.match(await page.textContent("#custom-rules"), /payroll-recipients/);
  await page.goto(`${server.base}/collide/data`);
  assert.ok(await page.$("#rule-payroll-recipients"));
  assert.equal(await page.inputValue("#param-recipient-owns-vehicle-min_value"), "0");
  await ctx.close();
});
