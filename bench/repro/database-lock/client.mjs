// A bystander subscribes, then a table the subscribe path reads is locked (psql, held for HOLD s),
// then SUBSCRIBERS new clients subscribe to rooms of their own while one publish, /health and a
// token mint are tried. Prints how long each waited and what it got. Node 22+, or 20 with
// --experimental-websocket. Usage: node client.mjs BASE SUBSCRIBERS HOLD DATABASE
import {spawn} from 'node:child_process';

const [base, subscribers, hold, database] = [
  process.argv[2], Number(process.argv[3]), Number(process.argv[4]), process.argv[5]];

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

spawn('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-c',
  `BEGIN; LOCK TABLE room_sequences IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(${hold}); COMMIT;`],
  {stdio: 'ignore'});
await new Promise((resolve) => setTimeout(resolve, 1000));
const locked = Date.now();
console.log(`room_sequences locked for ${hold} s`);

const subscribes = Promise.all(bearers.map((bearer, i) => subscribe(bearer, `user:lock-user-${i}`)));
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

const answers = {};
for (const answer of await subscribes) (answers[answer.type] ||= []).push(answer.ms);
for (const [type, waits] of Object.entries(answers)) {
  console.log(`subscribes answered ${type}: ${waits.length}, after ${Math.min(...waits)}-${Math.max(...waits)} ms`);
}
await publish;
console.log(`bystander still open: ${bystander.ws.readyState === WebSocket.OPEN}; all done ${Date.now() - locked} ms after the lock`);
process.exit(0);
