// A process that makes GoTo calls through the real client and the shared call budget (MySQL in
// BUDGET_DB_URL), for the multi-process budget tests. Run with `node -r ts-node/register/transpile-only`.
// Env: BUDGET_DB_URL, BUDGET_SIM (JSON CallerSim), BUDGET_MAX_RPS. IPC: sends {event:'ready'};
// on {cmd:'run', run: CallerRun} makes the calls and answers {event:'done', tag, result};
// on {cmd:'stop'} closes the app (deleting its demand row) and exits.
import 'reflect-metadata';
import { HttpService } from '@nestjs/axios';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '../../../src/config/config.module';
import { DatabaseModule } from '../../../src/database/database.module';
import { GotoCallBudgetService } from '../../../src/goto-webinar/budget/goto-call-budget.service';
import {
  GotoCallContext,
  withGotoCallContext,
} from '../../../src/goto-webinar/budget/goto-call-context';
import { GotoWebinarClient } from '../../../src/goto-webinar/goto-webinar.client';
import { GotoWebinarError } from '../../../src/goto-webinar/goto-webinar.errors';
import { GotoWebinarModule } from '../../../src/goto-webinar/goto-webinar.module';
import { testConfig } from '../test-config';

export interface CallerSim {
  url: string;
  clientId: string;
  clientSecret: string;
  email: string;
  personalAccessToken: string;
  organizerKey: string;
  webinarKey: string;
}

export interface CallerRun {
  tag: string;
  calls: number;
  /** Calls in flight at once (each loop waits for its answer before the next call). */
  concurrency: number;
  context: GotoCallContext;
  /** 'webinar' = GET one webinar; 'sessions' = GET its sessions (distinct routes in the sim log). */
  kind: 'webinar' | 'sessions';
}

export interface CallerResult {
  ok: number;
  errors: Record<string, number>;
  startedAt: number;
  endedAt: number;
  /** When each API request left this process (epoch ms), to tell our jitter from the simulator's. */
  sent: number[];
  budget?: ReturnType<GotoCallBudgetService['mysqlStats']>;
}

async function main(): Promise<void> {
  const url = process.env.BUDGET_DB_URL!;
  const sim = JSON.parse(process.env.BUDGET_SIM!) as CallerSim;
  const config = testConfig({
    database: { type: 'mysql', url },
    migrationsRun: false,
    goto: {
      apiUrl: sim.url,
      authUrl: sim.url,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      maxRps: Number(process.env.BUDGET_MAX_RPS ?? 10),
      maxRetries: Number(process.env.BUDGET_MAX_RETRIES ?? 0),
    },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), DatabaseModule, GotoWebinarModule],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  const client = app.get(GotoWebinarClient);
  const budget = app.get(GotoCallBudgetService);
  const auth = {
    cacheKey: 'caller',
    credentials: {
      method: 'personal_access_token' as const,
      email: sim.email,
      personalAccessToken: sim.personalAccessToken,
    },
  };
  await client.getIdentity(auth); // the token first: the runs below are API calls only
  let sent: number[] = [];
  app.get(HttpService, { strict: false }).axiosRef.interceptors.request.use((c) => {
    if (c.url?.includes('/G2W/')) sent.push(performance.timeOrigin + performance.now());
    return c;
  });

  process.on('message', (msg: { cmd: string; run?: CallerRun }) => {
    if (msg.cmd === 'stop') void app.close().then(() => process.exit(0));
    if (msg.cmd !== 'run' || !msg.run) return;
    const run = msg.run;
    sent = [];
    const result: CallerResult = { ok: 0, errors: {}, startedAt: Date.now(), endedAt: 0, sent };
    let left = run.calls;
    const loop = async () => {
      while (left > 0) {
        left -= 1;
        try {
          await (run.kind === 'webinar'
            ? client.getWebinar(auth, sim.organizerKey, sim.webinarKey)
            : client.listSessions(auth, sim.organizerKey, sim.webinarKey).next());
          result.ok += 1;
        } catch (e) {
          const code = e instanceof GotoWebinarError ? e.code : String(e);
          result.errors[code] = (result.errors[code] ?? 0) + 1;
        }
      }
    };
    void withGotoCallContext(run.context, () =>
      Promise.all(Array.from({ length: run.concurrency }, loop)),
    ).then(() => {
      result.endedAt = Date.now();
      result.budget = budget.mysqlStats();
      process.send?.({ event: 'done', tag: run.tag, result });
    });
  });
  process.send?.({ event: 'ready' });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
