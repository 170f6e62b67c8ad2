import { launchChromium } from "./lib/browser.mjs";
const [base, url] = process.argv.slice(2);
const b = await launchChromium({});
try {
  const B = await b.newPage();
  B.page.on("websocket", (ws) => { ws.on("framesent", f => console.log(">>", f.payload)); ws.on("framereceived", f => console.log("<<", String(f.payload).slice(0,300))); });
  await B.page.goto(url);
  await B.page.selectOption("#si-role", "underwriter");
  await B.page.click("#si-submit");
  await B.page.waitForSelector('#quote-view[data-ready="1"]');
  console.log("disabled?", await B.page.isDisabled("#calculate"));
  await B.page.click("#calculate");
  await B.page.waitForTimeout(4000);
} finally { await b.close(); }
