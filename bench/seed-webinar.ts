import { DataSource } from 'typeorm';
import { ParticipantsRepository } from '../src/participants/participants.repository';
import { TargetGroupCreationService } from '../src/target-groups/target-group-creation.service';
import { Webinar } from '../src/webinars/webinar.entity';
import { buildMergedParticipants } from '../test/support/factories/participant.factory';
import { TestApp } from '../test/support/test-app';

/**
 * One ended webinar with `n` participants (every third attended) written through the sync's own
 * repository, and its standard groups. For the export and reconciliation benches.
 */
export async function seedWebinar(
  t: TestApp,
  accountId: number,
  n: number,
): Promise<{ webinarId: number }> {
  const ds = t.app.get(DataSource);
  const start = new Date('2026-11-10T10:00:00Z');
  const end = new Date('2026-11-10T11:00:00Z');
  const { identifiers } = await ds.getRepository(Webinar).insert({
    accountId,
    organizerId: 1,
    webinarKey: String(8_000_000_000_000_000_000n + BigInt(accountId)),
    subject: `Bench webinar (${n} participants)`,
    startsAt: start,
    endsAt: end,
    sessions: [{ startTime: start.toISOString(), endTime: end.toISOString() }],
    status: 'ended',
  });
  const webinarId = Number(identifiers[0].id);
  const people = buildMergedParticipants(n, `bench${accountId}-`);
  // Some cells a spreadsheet would run as formulas.
  for (let i = 0; i < people.length; i += 97) people[i].firstName = `=cmd|' /C calc'!A${i}`;
  await t.app
    .get(ParticipantsRepository)
    .syncWebinarParticipants(accountId, webinarId, people, new Date('2026-11-11T00:00:00Z'));
  await t.app.get(TargetGroupCreationService).ensureForWebinars(accountId, [webinarId]);
  return { webinarId };
}
