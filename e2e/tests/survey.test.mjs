// 民主测评 in a real browser: the office builds an evaluation of a unit's
// leadership from the template, opens it and downloads code slips; a
// member of the public answers with a code on a phone (a missing answer is
// named and the choices stay), the code cannot be used twice, a paper sheet
// is keyed in by staff, and the results count both.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
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

/** The codes printed on a slips document (.docx), read with Python's zipfile. */
function codesIn(docx) {
  const path = join(server.data, "slips.docx");
  writeFileSync(path, docx);
  const xml = execFileSync("python3", [
    "-c",
    "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode())",
    path,
  ]).toString();
  assert.ok(xml.includes("media/") || xml.includes("r:embed"), "slips carry QR images");
  return [...xml.matchAll(/测评码：([0-9A-Z]{5}-[0-9A-Z]{5})/g)].map((m) => m[1]);
}

test("an evaluation from template to results, online and on paper", async () => {
  const ctx = await browser.newContext({ locale: "zh-CN", acceptDownloads: true });
  const office = await ctx.newPage();
  await login(office, server.base, "office");
  await office.goto(`${server.base}/surveys`);
  await office.selectOption("#n-kind", "evaluation");
  const target = await office.$eval("#n-target", (s) =>
    [...s.options].find((o) => o.textContent.includes("云岭县民政局")).value);
  await office.selectOption("#n-target", target);
  await Promise.all([office.waitForNavigation(), office.click("#new-survey button")]);
  // The template names the unit's leadership as subjects.
  const subjects = await office.inputValue("#b-subjects");
  assert.match(subjects, /^领导班子\n/);
  assert.ok(subjects.split("\n").length >= 2, subjects);
  // A broken line is named and everything typed stays.
  const questions = await office.inputValue("#b-questions");
  await office.fill("#b-questions", `${questions}\n问答：这一行写错了`);
  await Promise.all([office.waitForNavigation(), office.click("#survey-builder button[type=submit]")]);
  assert.match(await office.textContent("#form-errors"), /第10行/);
  assert.match(await office.inputValue("#b-questions"), /这一行写错了/);
  await office.fill("#b-questions", questions);
  await Promise.all([office.waitForNavigation(), office.click("#survey-builder button[type=submit]")]);
  const surveyUrl = office.url();
  assert.match(await office.textContent("#survey-status"), /草稿/);
  await Promise.all([office.waitForNavigation(), office.click('form[action$="/status"] button')]);
  assert.match(await office.textContent("#survey-status"), /进行中/);

  await office.fill("#c-count", "3");
  const [download] = await Promise.all([
    office.waitForEvent("download"),
    office.click("#issue-codes button"),
  ]);
  const path = await download.path();
  const { readFileSync } = await import("node:fs");
  const codes = codesIn(readFileSync(path));
  assert.equal(codes.length, 3, "three slips");

  // A member of the public answers on a phone.
  const phone = await (await browser.newContext({
    locale: "zh-CN", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  })).newPage();
  await phone.goto(`${server.base}/s`);
  await phone.fill("#code", codes[0].toLowerCase());
  await Promise.all([phone.waitForNavigation(), phone.click("button[type=submit]")]);
  const radios = await phone.$$("table.rate input[type=radio][value='0']");
  assert.ok(radios.length >= 12, `rating inputs: ${radios.length}`);
  // Answer every rating but the last row with 好, and skip the rest.
  for (const r of radios.slice(0, -1)) await r.check();
  await Promise.all([phone.waitForNavigation(), phone.click("#survey-form button[type=submit]")]);
  assert.match(await phone.textContent("#form-errors"), /未作答/);
  assert.equal((await phone.$$("table.rate input[type=radio][value='0']:checked")).length, radios.length - 1,
    "the choices made stay");
  const last = (await phone.$$("table.rate input[type=radio][value='1']")).at(-1);
  await last.check();
  await phone.check("input[name=q6o0]");
  await Promise.all([phone.waitForNavigation(), phone.click("#survey-form button[type=submit]")]);
  assert.match(await phone.textContent("#thanks"), /已收到/);
  assert.deepEqual(await phone.context().cookies(), []);
  await phone.screenshot({ path: `${shots}/survey-thanks.png`, fullPage: true });
  // The same code again is refused.
  await phone.goto(`${server.base}/s/${codes[0]}`);
  assert.match(await phone.textContent("#form-errors"), /已使用/);

  // Staff key in a paper sheet with the second code.
  await office.goto(`${surveyUrl}/key`);
  await office.fill("#code", codes[1]);
  for (const r of await office.$$("table.rate input[type=radio][value='2']")) await r.check();
  await office.check("input[name=q6o1]");
  await Promise.all([office.waitForNavigation(), office.click("#key-form button[type=submit]")]);
  assert.match(await office.textContent("#saved"), /已录入/);

  await office.goto(`${surveyUrl}/results`);
  assert.match(await office.textContent("#totals"), /发放 3 · 收回 2 · 有效 2 · 无效 0/);
  assert.match(await office.textContent("#subjects"), /领导班子/);
  await office.screenshot({ path: `${shots}/survey-results.png`, fullPage: true });
  const xlsx = await office.context().request.get(`${surveyUrl}/results.xlsx`);
  assert.equal(xlsx.status(), 200);
  await ctx.close();
});
