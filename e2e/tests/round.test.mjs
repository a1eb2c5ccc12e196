// A 巡察 round in a real browser, one unit from team assignment to verified
// rectification, each step by the user whose job it is (office, team
// members, the leading group, the inspected unit), then the circular's
// numbers and its Word export.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
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

/** A logged-in page of its own (separate cookies) for `username`. */
async function as(username) {
  const ctx = await browser.newContext({ locale: "zh-CN" });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

/** Submits the form whose action ends with `action` (and waits for the answer). */
async function submit(page, action) {
  try {
    await Promise.all([
      page.waitForNavigation({ timeout: 10_000 }),
      page.click(`form[action$="${action}"] button[type=submit]`, { timeout: 10_000 }),
    ]);
  } catch (e) {
    await page.screenshot({ path: `${shots}/round-failed.png`, fullPage: true });
    throw e;
  }
}

/** Chooses the option of a select whose text starts with `text`. */
async function choose(page, selector, text) {
  const value = await page.$eval(
    selector,
    (sel, t) => [...sel.options].find((o) => o.textContent.trim().startsWith(t))?.value,
    text,
  );
  assert.ok(value, `no option starting with ${text} in ${selector}`);
  await page.selectOption(selector, value);
}

/** The person name in a demo user's display name (巡察组组长 王某 → 王某). */
async function personOf(username) {
  const page = await as(username);
  const who = (await page.textContent(".who span")).trim();
  await page.context().close();
  return who.split(/\s+/).pop();
}

test("one unit goes from team assignment to verified rectification, and the circular counts it", async () => {
  const leaderName = await personOf("zuzhang");
  const deputyName = await personOf("fuzuzhang");
  const memberName = await personOf("zuyuan");

  // 巡察办 links the three accounts to their inspectors (team work and
  // recusal follow the account), then plans the round: a target, a team.
  const office = await as("office");
  await office.goto(`${server.base}/inspectors`);
  for (const [name, username] of [[leaderName, "zuzhang"], [deputyName, "fuzuzhang"], [memberName, "zuyuan"]]) {
    const row = office.locator("tr", { has: office.locator(`td:first-child:text-is("${name}")`) });
    const form = row.locator(`form[action$="/link"]`);
    const value = await form.locator("select").evaluate(
      (sel, u) => [...sel.options].find((o) => o.textContent.includes(`（${u}）`)).value, username);
    await form.locator("select").selectOption(value);
    await Promise.all([office.waitForNavigation(), form.locator("button").click()]);
    assert.equal(await office.$$eval(".field-error:not(:empty)", (e) => e.length), 0, `linking ${username}`);
  }
  await office.screenshot({ path: `${shots}/inspector-links.png`, fullPage: true });
  await office.goto(`${server.base}/rounds`);
  await office.fill("#term", "15");
  await office.fill("#number", "9");
  await office.selectOption("#kind", "regular");
  await office.fill("#start_date", "2026-11-02");
  await submit(office, "/rounds");
  const roundUrl = office.url();
  const roundId = roundUrl.split("/").pop();
  assert.match(await office.textContent("h1"), /第15届第9轮/);

  await office.selectOption(`form[action$="/targets"] select[name=unit_id]`, {
    value: await office.$eval(`form[action$="/targets"] select[name=unit_id]`, (s) =>
      [...s.options].find((o) => o.textContent.trim() === "青石镇").value),
  });
  await submit(office, `/rounds/${roundId}/targets`);
  await office.fill("#t-name", "第九巡察组");
  await submit(office, `/rounds/${roundId}/teams`);
  for (const [name, role] of [[leaderName, "leader"], [deputyName, "deputy"], [memberName, "member"]]) {
    await choose(office, "#m-inspector", name);
    await office.selectOption("#m-role", role);
    await submit(office, `/rounds/${roundId}/members`);
    assert.equal(await office.$$eval(".error-message", (e) => e.length), 0, `adding ${name}`);
  }
  const assign = `form[action*="/rounds/${roundId}/targets/"][action$="/team"]`;
  await choose(office, `${assign} select`, "第九巡察组");
  await Promise.all([office.waitForNavigation(), office.click(`${assign} button`)]);
  // Soft conflicts wait for a recorded decision; decide each one.
  for (;;) {
    const pending = await office.$(`form[action*="/rounds/${roundId}/recusals/"]`);
    if (!pending) break;
    await pending.$eval("select", (s) => (s.value = "allowed"));
    await pending.$eval("input[name=reason]", (i) => (i.value = "经研究，不影响公正履职"));
    await Promise.all([office.waitForNavigation(), pending.$eval("button", (b) => b.click())]);
  }
  await office.screenshot({ path: `${shots}/round-plan.png`, fullPage: true });
  const targetHref = await office.$eval(`a[href^="/targets/"]`, (a) => a.getAttribute("href"));
  const targetUrl = `${server.base}${targetHref}`;

  // 组员: a talk with the principal by two people, then a working paper.
  const member = await as("zuyuan");
  await member.goto(targetUrl);
  const principal = await member.$eval("#leaders option", (o) => o.value);
  await member.click("text=新增工作记录");
  await member.selectOption("#f-method", "talk");
  await member.fill("#f-date", "2026-11-05");
  await member.fill("#f-part", `${memberName}、${deputyName}`);
  await member.fill("#f-talked", principal);
  await member.fill("#f-notes", "了解班子运行和“三重一大”决策情况");
  await submit(member, "/fieldwork");
  await member.goto(targetUrl);
  await member.click("text=新建问题底稿");
  await choose(member, "#p-cat", "六项纪律/廉洁纪律");
  await member.fill("#p-sum", "违规发放津补贴");
  await member.fill("#p-facts", "2025年违规发放加班补贴12.6万元");
  await member.fill("#p-basis", "《中国共产党纪律处分条例》");
  await submit(member, "/papers");
  await member.goto(targetUrl);
  // Evidence: a photo attached to the paper.
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );
  await member.setInputFiles(`form[action*="/evidence/"] input[type=file]`, {
    name: "现场照片.png", mimeType: "image/png", buffer: png,
  });
  await Promise.all([member.waitForNavigation(), member.click(`form[action*="/evidence/"] button`)]);
  assert.match(await member.textContent(".paper"), /证据材料：附件1/);
  await submit(member, "/sign");

  // 副组长 signs as the second handler and reviews; 组长 approves.
  const deputy = await as("fuzuzhang");
  await deputy.goto(targetUrl);
  await submit(deputy, "/sign");
  await submit(deputy, "/review");
  const leader = await as("zuzhang");
  await leader.goto(targetUrl);
  await submit(leader, "/approve");
  assert.match(await leader.textContent(".paper"), /已审定/);

  // 组长 composes the report and submits it; the 领导小组 approves it.
  await submit(leader, "/report");
  await submit(leader, "/report-submit");
  const group = await as("leader");
  await group.goto(`${server.base}/reports`);
  await group.screenshot({ path: `${shots}/reports-to-decide.png`, fullPage: true });
  const decide = await group.$$(`form[action$="/decide"]`);
  assert.ok(decide.length >= 2);
  await Promise.all([group.waitForNavigation(), decide[0].$eval("button", (b) => b.click())]);

  // Feedback: principal first, then the team.
  await leader.goto(targetUrl);
  await leader.fill("#fb-op", "巡察发现的主要问题：违规发放津补贴……");
  await leader.fill("#fb-p", "2026-11-20");
  await leader.fill("#fb-t", "2026-11-21");
  await leader.fill("#fb-by", principal);
  await leader.fill("#fb-rd", "2026-11-21");
  await submit(leader, "/feedback");
  assert.match(await leader.textContent("#feedback + p"), /2026-11-21/);

  // The inspected unit puts the problem on its lists and reports it done.
  const unit = await as("beixuncha");
  await unit.goto(`${targetUrl}/rectification`);
  await unit.fill("#i-problem", "违规发放津补贴");
  await unit.fill("#i-measures", "全额清退，修订津补贴发放制度");
  await unit.fill("#i-resp", principal);
  await unit.selectOption("#i-kind", "deadline");
  await unit.fill("#i-deadline", "2027-01-31");
  await submit(unit, "/rectification/item");
  await unit.fill(`form[action$="/rectification/progress"] input[name=note]`, "已全额清退");
  await unit.check(`form[action$="/rectification/progress"] input[name=done]`);
  await submit(unit, "/rectification/progress");
  await unit.screenshot({ path: `${shots}/rectification-unit.png`, fullPage: true });

  // The team verifies it.
  await leader.goto(`${targetUrl}/rectification`);
  await submit(leader, "/rectification/verify");
  assert.match(await leader.textContent("table.ledger"), /已销号/);

  // The circular counts what was recorded.
  await office.goto(`${server.base}/rounds/${roundId}/circular`);
  const figure = async (label) =>
    Number(await office.$eval(`.card[data-figure="${label}"] .num`, (e) => e.textContent.trim()));
  assert.equal(await figure("巡察单位数"), 1);
  assert.equal(await figure("发现问题数"), 1);
  assert.equal(await figure("谈话主要负责人数"), 1);
  assert.equal(await figure("整改事项数"), 1);
  assert.equal(await figure("已销号事项数"), 1);
  assert.equal(await figure("报告退回次数"), 0);
  await office.screenshot({ path: `${shots}/circular.png`, fullPage: true });
  const docx = await office.request.get(`${server.base}/rounds/${roundId}/circular.docx`);
  assert.equal(docx.status(), 200);
  assert.ok((await docx.body()).subarray(0, 2).toString() === "PK", "a .docx is a zip");
});
