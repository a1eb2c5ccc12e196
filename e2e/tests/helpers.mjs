// Shared helpers of the browser tests: start a fresh xuncha with demo data on
// a free port, launch Debian's Chromium through playwright-core, log in.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import { chromium } from "playwright-core";

const repo = new URL("../..", import.meta.url).pathname;
export const BIN = process.env.XUNCHA_BIN || join(repo, "target/debug/xuncha");
export const DEMO_PASSWORD = "Xuncha@2026";

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Starts `xuncha serve --demo` on a temp data dir; resolves when /healthz answers. */
export async function startServer() {
  const data = mkdtempSync(join(tmpdir(), "xuncha-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(BIN, ["serve", "--demo", "--data", data, "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stdout.on("data", (d) => (log += d));
  proc.stderr.on("data", (d) => (log += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {}
    if (proc.exitCode !== null || Date.now() > deadline) {
      throw new Error(`xuncha did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    data,
    log: () => log,
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((r) => proc.once("exit", r));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** Launches headless Chromium with the flags this machine needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--lang=zh-CN", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** Logs in through the login page. */
export async function login(page, base, username) {
  await page.goto(`${base}/login`);
  await page.fill("#username", username);
  await page.fill("#password", DEMO_PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);
}

export const fixture = (name) => join(repo, "e2e/fixtures", name);
export const shots = process.env.XUNCHA_SCREENSHOTS || join(repo, "target/e2e-screenshots");
