// Field campaigns in a real browser on a phone-sized screen. A checker of
// the demo's dormitory sweep rates a room with a photo and confiscates an
// induction hob; the first send fails (no network) and the form keeps
// everything until it is sent again; the hob is returned only after a
// written guarantee. A visiting cadre records a household visit with a
// demand, and the office turns the demand into a petition.
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

/** A phone-sized page logged in as `username`. */
async function phoneAs(username) {
  const ctx = await browser.newContext({
    locale: "zh-CN",
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await ctx.newPage();
  await login(page, server.base, username);
  return page;
}

async function openCampaign(page, title) {
  await page.goto(`${server.base}/campaigns`);
  await Promise.all([page.waitForNavigation(), page.click(`#campaigns a:has-text("${title}")`)]);
  await Promise.all([page.waitForNavigation(), page.click("#go")]);
}

test("a room with a photo and a confiscated item, sent again after a network failure, then the item returned against a guarantee", async () => {
  const page = await phoneAs("jiancha");
  await openCampaign(page, "2026年11月职工宿舍卫生安全检查");
  // The first room not yet checked (the off-site building is among them).
  const room = page.locator("#rooms a:has(.chip:not(.ok))").first();
  const place = (await room.locator("span").first().textContent()).trim();
  await Promise.all([page.waitForNavigation(), room.click()]);
  assert.equal((await page.textContent("h1")).trim(), place);

  const scores = page.locator("#room-form input[name^=mark_][inputmode=decimal]");
  for (let i = 0; i < (await scores.count()); i++) await scores.nth(i).fill("18");
  // Pass / no hazard everywhere, then one hazard.
  const groups = page.locator("#room-form fieldset.question:has(input[type=radio])");
  for (let i = 0; i < (await groups.count()); i++) await groups.nth(i).locator("input[value='1']").check();
  await page.locator("fieldset:has(legend:text-is('消防通道畅通')) input[value='0']").check();
  await page.fill("#present", "住宿人员3人");
  await page.setInputFiles("#photos", fixture("photo-with-gps.jpg"));
  await page.fill("input[name=item_0]", "电磁炉");
  await page.fill("input[name=owner_0]", "张伟");
  await page.setInputFiles("input[name=item_photo_0]", fixture("photo-with-gps.jpg"));
  await page.screenshot({ path: `${shots}/campaign-room-phone.png`, fullPage: true });

  // No network: nothing is lost and the button offers to send again.
  await page.route("**/campaigns/targets/*", (route) => route.abort("internetdisconnected"));
  await page.click("#room-form button[type=submit]");
  await page.waitForSelector("#send-state:not([hidden])");
  assert.match(await page.textContent("#send-state"), /网络不通/);
  assert.equal(await page.inputValue("input[name=item_0]"), "电磁炉");
  assert.equal(await page.inputValue("#present"), "住宿人员3人");
  assert.match(await page.textContent("#room-form button[type=submit]"), /重新发送/);
  await page.unroute("**/campaigns/targets/*");
  await Promise.all([page.waitForURL(/\/go\?saved=/), page.click("#room-form button[type=submit]")]);
  assert.match(await page.textContent("#saved"), /已保存/);
  assert.match(await page.textContent("#rooms"), new RegExp(`${place.replace(/[()（）]/g, ".")}\\s*已查`));

  // The custody register: the hob is held; it goes back only with a guarantee.
  await page.goto(page.url().replace(/\/go\?.*$/, "/items?status=held"));
  await Promise.all([page.waitForNavigation(), page.click("#items a:has-text('电磁炉') >> nth=-1")]);
  assert.match(await page.textContent("#item"), /张伟/);
  assert.ok(await page.locator("img[alt='物品照片']").count(), "the item's photo is shown");
  await Promise.all([page.waitForNavigation(), page.click("#return-form button[type=submit]")]);
  assert.match(await page.textContent("#form-errors"), /保证书/);
  assert.equal(await page.inputValue("#returned_to"), "张伟", "what was typed stays");
  await page.fill("#guarantee", "本人保证今后不在宿舍使用电磁炉等违规电器。");
  await Promise.all([page.waitForNavigation(), page.click("#return-form button[type=submit]")]);
  assert.match(await page.textContent("#item"), /已归还/);
  assert.match(await page.textContent("#item"), /本人保证今后不在宿舍使用电磁炉等违规电器/);
  await page.screenshot({ path: `${shots}/campaign-item-returned.png`, fullPage: true });
});

test("a household visit with a demand, turned into a petition by the office", async () => {
  const page = await phoneAs("zoufang");
  await openCampaign(page, "2026年冬季民情大走访");
  // Find households of the first village the team covers.
  await page.selectOption("#find select[name=area]", { index: 1 });
  await Promise.all([page.waitForNavigation(), page.click("#find button[type=submit]")]);
  const household = page.locator("#households a:has(.chip:not(.ok))").first();
  const head = (await household.locator("span").first().textContent()).split("·")[0].trim();
  await Promise.all([page.waitForNavigation(), household.click()]);
  assert.equal((await page.textContent("h1")).trim(), head);

  await page.fill("#met", "户主本人及其配偶");
  const answers = page.locator("#visit-form textarea[name^=answer_]");
  for (let i = 0; i < (await answers.count()); i++) await answers.nth(i).fill("无");
  await answers.last().fill("希望在村口安装路灯");
  await page.selectOption("select[name=category_0]", "基础设施");
  await page.fill("textarea[name=content_0]", "村口道路没有路灯，夜间出行不安全，希望安装路灯。");
  await page.fill("input[name=department_0]", "城关镇人民政府");
  await page.setInputFiles("#photos", fixture("photo-with-gps.jpg"));
  await Promise.all([page.waitForURL(/saved=1/), page.click("#visit-form button[type=submit]")]);
  assert.match(await page.textContent("#saved"), /已保存/);
  assert.match(await page.textContent("#demands"), /村口道路没有路灯/);
  assert.ok(await page.locator(".paper img").count(), "the visit's photo is shown");
  await page.screenshot({ path: `${shots}/campaign-visit-phone.png`, fullPage: true });

  const office = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await login(office, server.base, "office");
  await office.goto(`${server.base}/campaigns`);
  await Promise.all([office.waitForNavigation(), office.click("#campaigns a:has-text('2026年冬季民情大走访')")]);
  assert.match(await office.textContent("#progress"), /城关镇/);
  await Promise.all([office.waitForNavigation(), office.click("a:has-text('群众诉求')")]);
  const card = office.locator(".paper:has-text('村口道路没有路灯')");
  await card.locator("summary").click();
  office.once("dialog", (d) => d.accept());
  await Promise.all([office.waitForNavigation(), card.locator("button:has-text('转为信访件')").click()]);
  assert.match(office.url(), /\/petitions\/\d+$/);
  assert.match(await office.textContent("main"), /村口道路没有路灯/);
  assert.match(await office.textContent("main"), /走访收集/);
});
