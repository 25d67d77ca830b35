import { MergedParticipant } from '../../../src/participants/merge-participants';

// A merged participant as the merge would produce it (dates to the second).
export function buildMergedParticipant(
  overrides: Partial<MergedParticipant> = {},
): MergedParticipant {
  return {
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    registrantKey: '9007199254740993001',
    registrationStatus: 'approved',
    registeredAt: new Date('2026-11-01T10:00:00Z'),
    attended: false,
    attendanceSeconds: 0,
    sessionsAttended: 0,
    firstJoinedAt: null,
    lastLeftAt: null,
    ...overrides,
  };
}

/** n distinct people, every third attended. */
export function buildMergedParticipants(n: number, prefix = 'person'): MergedParticipant[] {
  return Array.from({ length: n }, (_, i) =>
    buildMergedParticipant({
      email: `${prefix}${i}@example.com`,
      firstName: `First${i}`,
      lastName: `Last${i}`,
      registrantKey: String(9007199254740993000n + BigInt(i)),
      ...(i % 3 === 0
        ? {
            attended: true,
            attendanceSeconds: 60 + i,
            sessionsAttended: 1,
            firstJoinedAt: new Date('2026-11-10T10:00:00Z'),
            lastLeftAt: new Date('2026-11-10T11:00:00Z'),
          }
        : {}),
    }),
  );
}
