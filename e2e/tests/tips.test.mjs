// 码上巡察 in a real browser: a member of the public sends an anonymous tip
// with a photo from a phone (no account, no cookie), keeps the receipt
// code, the team's 组长 reads it in the inbox and replies, and the tipster
// reads the reply with the code. Then a named tip: its identity stays sealed
// from a 组员 and opens for the 组长, with the view logged.
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

async function as(username) {
  const ctx = await browser.newContext({ locale: "zh-CN" });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

/** A phone-sized public page with no login. */
async function phone() {
  const ctx = await browser.newContext({
    locale: "zh-CN",
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  return ctx.newPage();
}

/** Opens the public page of 云岭县民政局 in the active round from the round's page. */
async function openUnitForm(page) {
  await page.goto(`${server.base}/tip/r/2`);
  await Promise.all([page.waitForNavigation(), page.click("text=云岭县民政局")]);
  assert.match(await page.textContent("h1"), /云岭县民政局/);
}

test("an anonymous tip with a photo, followed up with its receipt code", async () => {
  const pub = await phone();
  await openUnitForm(pub);
  // The form keeps what was typed when it fails (too short here).
  await pub.fill("#body", "太短了");
  await Promise.all([pub.waitForNavigation(), pub.click("#tip-form button[type=submit]")]);
  assert.match(await pub.textContent("#form-errors"), /至少10个字/);
  assert.equal(await pub.inputValue("#body"), "太短了");

  const text = "民政局低保股某工作人员把低保名额给了不符合条件的亲戚，群众意见很大，请巡察组核实。";
  await pub.fill("#body", text);
  await pub.setInputFiles("#photos", fixture("photo-with-gps.jpg"));
  await Promise.all([
    pub.waitForNavigation({ timeout: 30_000 }),
    pub.click("#tip-form button[type=submit]"),
  ]);
  const code = (await pub.textContent("#receipt-code")).trim();
  assert.match(code, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  const cookies = await pub.context().cookies();
  assert.deepEqual(cookies, [], "the public side sets no cookie");
  await pub.screenshot({ path: `${shots}/tip-receipt.png`, fullPage: true });

  // The 组长 of the team inspecting the unit finds it in the inbox.
  const leader = await as("zuzhang");
  await leader.goto(`${server.base}/tips`);
  await Promise.all([leader.waitForNavigation(), leader.click("#tips a >> nth=0")]);
  assert.match(await leader.textContent("pre.doc"), /低保名额/);
  assert.match(await leader.textContent("#identity"), /匿名/);
  // The photo arrives without its GPS metadata.
  const src = await leader.getAttribute(".photos img", "src");
  const bytes = Buffer.from(await (await leader.context().request.get(`${server.base}${src}`)).body());
  assert.ok(bytes.length > 100);
  assert.equal(bytes.indexOf("GPSLatitude"), -1, "EXIF stripped");
  await leader.fill("#message", "已收到，巡察组正在核实，如有新情况请继续留言。");
  await Promise.all([leader.waitForNavigation(), leader.click('form[action$="/reply"] button')]);
  assert.match(await leader.textContent("#messages"), /正在核实/);

  // The tipster reads the reply with the code, typed in lower case with spaces.
  await pub.goto(`${server.base}/tip/check`);
  await pub.fill("#code", code.toLowerCase().replaceAll("-", " "));
  await Promise.all([pub.waitForNavigation(), pub.click("button[type=submit]")]);
  assert.match(await pub.textContent("#tip-status"), /待分办/);
  assert.match(await pub.textContent("#messages"), /巡察组：已收到，巡察组正在核实/);
  await pub.fill("#message", "补充：该亲戚名下还有一辆小汽车。");
  await Promise.all([pub.waitForNavigation(), pub.click("button[type=submit]")]);
  assert.match(await pub.textContent("#messages"), /你：补充：该亲戚名下还有一辆小汽车/);
  assert.equal(pub.url(), `${server.base}/tip/check/reply`, "the code never travels in the address");

  // Triage into a clue of the round.
  await leader.reload();
  await leader.check('input[name=to][value=clue]');
  await leader.fill("#t-persons", "李某 低保股工作人员");
  await Promise.all([leader.waitForNavigation(), leader.click("#triage button[type=submit]")]);
  assert.match(await leader.textContent("#outcome"), /转为问题线索/);
  await pub.goto(`${server.base}/tip/check`);
  await pub.fill("#code", code);
  await Promise.all([pub.waitForNavigation(), pub.click("button[type=submit]")]);
  assert.match(await pub.textContent("#tip-status"), /办理中/);
  await pub.context().close();
  await leader.context().close();
});

test("a named tipster stays sealed from a member and opens for the 组长, logged", async () => {
  const pub = await phone();
  await openUnitForm(pub);
  await pub.fill("#body", "实名反映：民政局某科室违规发放临时救助资金，本人掌握有关票据。");
  await pub.check("input[name=named]");
  await pub.fill("#name", "韦实名");
  await pub.fill("#contact", "13800001111");
  await Promise.all([pub.waitForNavigation({ timeout: 30_000 }), pub.click("#tip-form button[type=submit]")]);
  assert.ok(await pub.textContent("#receipt-code"));
  await pub.context().close();

  const member = await as("zuyuan");
  await member.goto(`${server.base}/tips`);
  await Promise.all([member.waitForNavigation(), member.click("#tips a >> nth=0")]);
  const tipUrl = member.url();
  assert.match(await member.textContent("#identity"), /已密封/);
  assert.doesNotMatch(await member.content(), /韦实名|13800001111/);
  await member.goto(`${tipUrl}?reveal=1`);
  assert.doesNotMatch(await member.content(), /韦实名/);
  await member.context().close();

  const leader = await as("zuzhang");
  await leader.goto(tipUrl);
  await Promise.all([leader.waitForNavigation(), leader.click("#identity a")]);
  assert.match(await leader.textContent("#identity"), /韦实名 13800001111/);
  assert.match(await leader.textContent("#identity"), /已记入审计日志/);
  await leader.context().close();
});
