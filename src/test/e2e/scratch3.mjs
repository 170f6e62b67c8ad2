import { launchChromium } from "./lib/browser.mjs";
import { execSync } from "node:child_process";
const base = process.argv[2];
const b = await launchChromium({});
let A;
try {
  A = await b.newPage();
  await A.page.goto(base + "/quote.html");
  await A.page.selectOption("#si-role", "customer");
  await A.page.click("#si-submit");
  await A.page.waitForSelector("#pick-card:not([hidden])");
  console.log("customer create msg:", await A.page.textContent("#create-quote .error-text"));
  // agent creates via REST for carl
  const tok = (await (await fetch(base + "/api/v1/dev/tokens", {method:"POST", headers:{"Content-Type":"application/json"}, body: JSON.stringify({subject:"ann",name:"Ann",permissions:["quote:write"],ttlSeconds:600})})).json()).token;
  const q = await (await fetch(base + "/api/v1/quotes", {method:"POST", headers:{"Content-Type":"application/json", Authorization: "Bearer "+tok}, body: JSON.stringify({customerSubject:"carl",customerName:"Carl"})})).json();
  await A.page.fill("#oq-id", q.id); await A.page.click("#open-quote button");
  await A.page.waitForSelector('#quote-view[data-ready="1"]');
  console.log("customer can edit:", !(await A.page.isDisabled('[data-field="state"]')), "premium:", await A.page.getAttribute("#premium","data-state"));
  await A.page.click("#calculate");
  await A.page.waitForSelector('#calc-progress[data-outcome="failed"]');
  console.log("calc error:", await A.page.textContent("#calc-error"));
  await A.page.screenshot({ path: "/tmp/e2e-dev/shots/customer-failed.png", fullPage: true });
  execSync("/tmp/e2e-dev/restart.sh", { stdio: "inherit" });
  await A.page.waitForSelector("#banner:not([hidden])", { timeout: 90000 });
  console.log("banner:", await A.page.textContent("#banner"), "state", await A.page.getAttribute("#conn-state", "data-history"));
  await A.page.screenshot({ path: "/tmp/e2e-dev/shots/customer-lost.png", fullPage: true });
} finally { await b.close(); }
