// The simulator in a child process (it stands in for GoTo, a remote service: its CPU and memory
// are not the sync's). Answers a few questions over IPC: organizers, counters, minimum API calls.
import { startSimulator } from '../src/simulator/simulator';
import { profileUntilStopped } from './cpu-profile';

const DAY = 86_400_000;

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2]) as {
    seed: number;
    webinars: number;
    registrants: number;
    now: string;
  };
  // BENCH_CPU_PROFILE: the simulator's profile of the whole run (simulator.cpuprofile), on close.
  const stopProfile = await profileUntilStopped('simulator');
  const sim = await startSimulator({
    port: 0,
    seed: opts.seed,
    organizers: 1,
    webinars: opts.webinars,
    registrants: opts.registrants,
    rateLimitRps: null,
    now: new Date(opts.now),
  });
  process.on(
    'message',
    (msg: { id: number; op: string; args?: Record<string, number | string> }) => {
      const reply = (result: unknown) => process.send!({ id: msg.id, result });
      switch (msg.op) {
        case 'organizers':
          return reply(sim.store.listOrganizers());
        case 'counters.read':
          return reply(sim.counters.read());
        case 'cpu': {
          const u = process.cpuUsage();
          return reply((u.user + u.system) / 1e6);
        }
        case 'counters.reset':
          sim.counters.reset();
          return reply(true);
        case 'minimum': {
          // webinar pages + per webinar one registrants call, one sessions call once a scheduled
          // session has started (until 48 h after the last scheduled end: then attendance is
          // final without it), attendee pages once GoTo reports a completed session
          const now = Number(msg.args!.now);
          const from = now - Number(msg.args!.lookbackDays) * DAY;
          const to = now + Number(msg.args!.lookaheadDays) * DAY;
          const webinars = sim.store
            .listWebinars(String(msg.args!.organizerKey))
            .filter(
              (w) =>
                w.status === 'active' &&
                w.times.some(
                  (t) => Date.parse(t.startTime) >= from && Date.parse(t.startTime) <= to,
                ),
            );
          let calls = Math.max(1, Math.ceil(webinars.length / 200));
          for (const w of webinars) {
            calls += 1;
            const lastEnd = Math.max(...w.times.map((t) => Date.parse(t.endTime)));
            if (w.times.some((t) => Date.parse(t.startTime) <= now) && now - lastEnd < 2 * DAY)
              calls += 1;
            if (w.sessions.length > 0)
              calls += Math.max(1, Math.ceil(sim.store.listAttendees(w.webinarKey).length / 200));
          }
          return reply({ calls, webinars: webinars.length });
        }
        case 'close':
          return void stopProfile()
            .then(() => sim.close())
            .then(() => reply(true));
        default:
          return reply({ error: `unknown op ${msg.op}` });
      }
    },
  );
  process.send!({ id: 0, result: { url: sim.url } });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
