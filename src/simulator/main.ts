// `npm run simulator -- --port 4010 --seed 1 --organizers 2 --webinars 50 --registrants 200
//   [--password-grant on|off] [--rate-limit 10|off] [--token-ttl 3600] [--rotate-refresh on|off] [--now ISO]`
import { parseArgs } from 'node:util';
import { SimulatorOptions, startSimulator } from './simulator';

function readOptions(argv: string[]): SimulatorOptions {
  const text = { type: 'string' } as const;
  // strict: an unknown flag or a flag without its value is an error.
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: text,
      host: text,
      seed: text,
      organizers: text,
      webinars: text,
      registrants: text,
      'password-grant': text,
      'rate-limit': text,
      'token-ttl': text,
      'rotate-refresh': text,
      now: text,
    },
  });
  const int = (name: keyof typeof values, dflt: number): number => {
    const v = values[name];
    if (v === undefined) return dflt;
    if (!/^\d+$/.test(v)) throw new Error(`--${name} needs a non-negative integer, got "${v}"`);
    return Number(v);
  };
  const onOff = (name: keyof typeof values, dflt: boolean): boolean => {
    const v = values[name];
    if (v === undefined) return dflt;
    if (!['on', 'off', 'true', 'false'].includes(v)) throw new Error(`--${name} needs on|off`);
    return v === 'on' || v === 'true';
  };
  const rate = values['rate-limit'];
  if (rate !== undefined && rate !== 'off' && !(Number(rate) > 0))
    throw new Error('--rate-limit needs a positive number or off');
  const now = values.now;
  if (now !== undefined && Number.isNaN(Date.parse(now)))
    throw new Error(`--now needs an ISO date, got "${now}"`);
  return {
    port: int('port', 4010),
    host: values.host ?? '127.0.0.1',
    seed: int('seed', 1),
    organizers: int('organizers', 2),
    webinars: int('webinars', 10),
    registrants: int('registrants', 20),
    passwordGrant: onOff('password-grant', true),
    rateLimitRps: rate === undefined || rate === 'off' ? null : Number(rate),
    tokenTtlSeconds: int('token-ttl', 3600),
    rotateRefreshTokens: onOff('rotate-refresh', false),
    now: now ? new Date(now) : undefined,
  };
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const sim = await startSimulator(options);
  const lines = [
    `GoTo Webinar simulator listening on ${sim.url}`,
    `  REST base   ${sim.url}/G2W/rest/v2`,
    `  OAuth       ${sim.url}/oauth/token  (authorize: ${sim.url}/oauth/authorize)`,
    `  client id   ${sim.clientId}`,
    `  secret      ${sim.clientSecret}`,
    `  password grant ${options.passwordGrant ? 'on' : 'off'}, rate limit ${options.rateLimitRps ?? 'off'}, token ttl ${options.tokenTtlSeconds}s`,
    '  organizers:',
    ...sim.store
      .listOrganizers()
      .map(
        (o) =>
          `    ${o.email}  password=${o.password}  pat=${o.personalAccessToken}  organizerKey=${o.organizerKey}  accountKey=${o.accountKey}`,
      ),
    `  control     ${sim.url}/_sim/organizers, /_sim/faults, /_sim/counters (see docs/simulator.md)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = (signal: string) => {
    process.stdout.write(`${signal}: stopping simulator\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`simulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
