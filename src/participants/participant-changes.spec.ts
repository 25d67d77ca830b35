import { buildMergedParticipant } from '../../test/support/factories/participant.factory';
import {
  hasChanges,
  noChanges,
  noteChange,
  participantChanges,
  rowChangeKinds,
} from './participant-changes';
import { StoredParticipant } from './participants.repository';
import { RegistrationStatus } from './webinar-participant.entity';

function stored(email: string, over: Partial<StoredParticipant> = {}): StoredParticipant {
  return {
    id: 1,
    subscriberId: 1,
    email,
    registrantKey: null,
    statusId: 1,
    registrationStatus: 'approved',
    registeredAt: null,
    attendanceSeconds: 0,
    sessionsAttended: 0,
    firstJoinedAt: null,
    lastLeftAt: null,
    ...over,
  };
}
const merged = (email: string, over = {}) => buildMergedParticipant({ email, ...over });

describe('participantChanges', () => {
  it('nothing changed: zero counts', () => {
    const c = participantChanges([stored('a@x.io')], [merged('a@x.io')]);
    expect(hasChanges(c)).toBe(false);
  });

  it('classifies each kind of change', () => {
    const c = participantChanges(
      [
        stored('same@x.io'),
        stored('cancels@x.io'),
        stored('gone@x.io'),
        stored('gone-already@x.io', { registrationStatus: 'cancelled' }),
        stored('attends@x.io'),
        stored('was-attended@x.io', { statusId: 2 }),
        stored('approved@x.io', { registrationStatus: 'waiting' }),
        stored('back@x.io', { registrationStatus: 'cancelled' }),
      ],
      [
        merged('same@x.io'),
        merged('cancels@x.io', { registrationStatus: 'cancelled' }),
        merged('attends@x.io', { attended: true }),
        merged('was-attended@x.io', { attended: true }),
        merged('approved@x.io'),
        merged('back@x.io'),
        merged('new@x.io'),
        merged('walk-in@x.io', { attended: true }),
      ],
    );
    expect(c).toEqual({
      added: { count: 2, samples: ['new@x.io', 'walk-in@x.io'] },
      cancelled: { count: 2, samples: ['cancels@x.io', 'gone@x.io'] },
      attended: { count: 2, samples: ['attends@x.io', 'walk-in@x.io'] },
      statusChanged: { count: 2, samples: ['approved@x.io', 'back@x.io'] },
    });
    expect(hasChanges(c)).toBe(true);
  });

  it('keeps only a few samples but counts everyone', () => {
    const people = Array.from({ length: 40 }, (_, i) => merged(`p${i}@x.io`));
    const c = participantChanges([], people, 3);
    expect(c.added).toEqual({ count: 40, samples: ['p0@x.io', 'p1@x.io', 'p2@x.io'] });
  });
});

describe('rowChangeKinds (one person, e.g. a webhook event)', () => {
  const row = (statusId: number, registrationStatus: RegistrationStatus) => ({
    statusId,
    registrationStatus,
  });

  it('a new participant is added, and attended when it comes attended', () => {
    expect(rowChangeKinds(null, row(1, 'approved'))).toEqual(['added']);
    expect(rowChangeKinds(null, row(2, 'approved'))).toEqual(['added', 'attended']);
  });

  it('became attended; cancelled; other status changes; nothing for the same state', () => {
    expect(rowChangeKinds(row(1, 'approved'), row(2, 'approved'))).toEqual(['attended']);
    expect(rowChangeKinds(row(2, 'approved'), row(2, 'cancelled'))).toEqual(['cancelled']);
    expect(rowChangeKinds(row(1, 'waiting'), row(1, 'approved'))).toEqual(['statusChanged']);
    expect(rowChangeKinds(row(2, 'approved'), row(2, 'approved'))).toEqual([]);
  });

  it('notes into a tally with a few samples', () => {
    const c = noChanges();
    for (let i = 0; i < 7; i++) noteChange(c, 'added', `p${i}@x.io`);
    expect(c.added).toEqual({
      count: 7,
      samples: ['p0@x.io', 'p1@x.io', 'p2@x.io', 'p3@x.io', 'p4@x.io'],
    });
    expect(hasChanges(c)).toBe(true);
  });
});
