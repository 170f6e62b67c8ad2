// A bystander subscribes and READERS agents subscribe to one quote's room, then the tables the
// subscribe path and a quote's snapshot read are locked (psql, held for HOLD s), then SUBSCRIBERS
// new clients subscribe to rooms of their own and the READERS ask for the quote's snapshot while
// one publish, /health and a token mint are tried. Prints how long each waited and what it got.
// Node 22+, or 20 with --experimental-websocket.
// Usage: node client.mjs BASE SUBSCRIBERS HOLD DATABASE READERS
import {spawn} from 'node:child_process';

const [base, subscribers, hold, database, readers] = [
  process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5],
  Number(process.argv[6])];

async function token(subject, permissions = []) {
  const answer = await fetch(`${base}/api/v1/dev/tokens`, {
    method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({subject, name: subject, permissions, ttlSeconds: 3600}),
    signal: AbortSignal.timeout(60000)});
  return (await answer.json()).token;
}

/** Opens a socket, subscribes to the room; resolves with the reply's type and the wait. */
function subscribe(bearer, room) {
  return new Promise((resolve) => {
    const started = Date.now();
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, ['pdprime.realtime.v1', `bearer.${bearer}`]);
    let answered = false;
    // A refusal for the bound and one for the statement timeout share a code; the message tells.
    const answer = (type, code, message = '') => {
      if (!answered) {
        answered = true;
        const why = message.includes('statement timeout') ? ' (statement timeout)' : '';
        resolve({type: code ? `${type} ${code}${why}` : type, ms: Date.now() - started, ws});
      }
    };
    ws.onmessage = (message) => {
      for (const line of String(message.data).split('\n').filter(Boolean)) {
        const frame = JSON.parse(line);
        if (frame.type === 'welcome') ws.send(JSON.stringify({id: 's1', type: 'subscribe', room}));
        else if (frame.type === 'ok' || frame.type === 'error') answer(frame.type, frame.code, frame.message);
      }
    };
    ws.onclose = (event) => answer('closed', event.code);
  });
}

/** Sends a command on a subscribed socket; resolves with the reply's type and the wait. */
function ask(ws, command) {
  return new Promise((resolve) => {
    const started = Date.now();
    ws.onmessage = (message) => {
      for (const line of String(message.data).split('\n').filter(Boolean)) {
        const frame = JSON.parse(line);
        if (frame.replyTo === command.id) {
          const why = (frame.message ?? '').includes('statement timeout') ? ' (statement timeout)' : '';
          resolve({type: frame.code ? `${frame.type} ${frame.code}${why}` : frame.type, ms: Date.now() - started});
        }
      }
    };
    ws.send(JSON.stringify(command));
  });
}

function report(what, answered) {
  const byType = {};
  for (const answer of answered) (byType[answer.type] ||= []).push(answer.ms);
  for (const [type, waits] of Object.entries(byType)) {
    console.log(`${what} answered ${type}: ${waits.length}, after ${Math.min(...waits)}-${Math.max(...waits)} ms`);
  }
}

async function timed(label, call) {
  const started = Date.now();
  try {
    console.log(`${label}: ${await call()} after ${Date.now() - started} ms`);
  } catch (failure) {
    console.log(`${label}: no answer (${failure.name}) after ${Date.now() - started} ms`);
  }
}

const bystander = await subscribe(await token('lock-bystander'), 'user:lock-bystander');
console.log(`bystander: ${bystander.type} after ${bystander.ms} ms`);
const publisher = await token('lock-service', ['realtime:publish']);
const bearers = [];
for (let i = 0; i < subscribers; i++) bearers.push(await token(`lock-user-${i}`));
const created = await fetch(`${base}/api/v1/quotes`, {
  method: 'POST', body: '{"customerSubject":"lock-customer","customerName":"Customer"}',
  headers: {'Content-Type': 'application/json', Authorization: `Bearer ${await token('lock-agent', ['quote:write'])}`}});
const quoteRoom = `quote:${(await created.json()).id}`;
const readerSockets = [];
for (let i = 0; i < readers; i++) {
  const reader = await subscribe(await token(`lock-reader-${i}`, ['quote:read']), quoteRoom);
  if (reader.type !== 'ok') throw new Error(`reader ${i} not subscribed: ${reader.type}`);
  readerSockets.push(reader.ws);
}

spawn('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-c',
  `BEGIN; LOCK TABLE room_sequences, quotes IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(${hold}); COMMIT;`],
  {stdio: 'ignore'});
await new Promise((resolve) => setTimeout(resolve, 1000));
const locked = Date.now();
console.log(`room_sequences and quotes locked for ${hold} s; ${readers} readers in ${quoteRoom}`);

const subscribes = Promise.all(bearers.map((bearer, i) => subscribe(bearer, `user:lock-user-${i}`)));
const answeredReaders = new Set();
const snapshots = Promise.all(readerSockets.map((ws, i) =>
  ask(ws, {id: `r${i}`, type: 'snapshot', room: quoteRoom}).then((answer) => {
    answeredReaders.add(ws);
    return answer;
  })));
const publish = timed('publish', async () => {
  const answer = await fetch(`${base}/api/v1/rooms/user:lock-bystander/events`, {
    method: 'POST', body: '{"name":"lock.probe","data":{}}',
    headers: {'Content-Type': 'application/json', Authorization: `Bearer ${publisher}`}});
  return answer.status;
});
// HEALTH_AT_MS (default 3000) moves the probe, e.g. into the subscribes' busy wait.
const healthAt = Number(process.env.HEALTH_AT_MS ?? 3000);
await new Promise((resolve) => setTimeout(resolve, healthAt));
await timed(`health (${healthAt} ms into the lock)`, async () => {
  const answer = await fetch(`${base}/health`, {signal: AbortSignal.timeout(60000)});
  const text = await answer.text();
  const down = text.startsWith('{')
    ? JSON.parse(text).checks.filter((check) => check.status !== 'UP').map((check) => check.name)
    : [];
  return `${answer.status}${down.length ? ` (DOWN: ${down.join(', ')})` : ''}`;
});
await timed('token mint', async () => ((await token('lock-late')) ? 'minted' : 'none'));

// LATE_AT_MS (default none): a second wave, every reader whose snapshot has been answered asks
// again then, with a /health probe 200 ms after it: what a stream of commands meets once the stall
// has lasted a while (the readers still held by it are left alone).
if (process.env.LATE_AT_MS) {
  const lateAt = Number(process.env.LATE_AT_MS);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, locked + lateAt - Date.now())));
  const late = Promise.all([...answeredReaders].map((ws, i) => ask(ws, {id: `late${i}`, type: 'snapshot', room: quoteRoom})));
  await new Promise((resolve) => setTimeout(resolve, 200));
  await timed(`health (${lateAt + 200} ms into the lock)`, async () => (await fetch(`${base}/health`)).status);
  report(`late snapshots (${lateAt} ms into the lock)`, await late);
}

report('subscribes', await subscribes);
report('snapshots', await snapshots);
await publish;
console.log(`bystander still open: ${bystander.ws.readyState === WebSocket.OPEN}; all done ${Date.now() - locked} ms after the lock`);
process.exit(0);
