import { DateTime } from 'luxon';
import {
  buildTargetGroupName,
  codePointLength,
  firstSessionStart,
  normalizeSubject,
  TARGET_GROUP_NAME_MAX,
  utcOffsetLabel,
  zoneAbbreviation,
} from './build-target-group-name';
import { TargetGroupKind } from './target-group.entity';

const name = (
  startsAt: string,
  timeZone: string,
  kind: TargetGroupKind = 'attended',
  subject = 'Q4 Product Update',
) => buildTargetGroupName({ subject, startsAt: new Date(startsAt), timeZone, kind });

describe('buildTargetGroupName', () => {
  describe('exact format', () => {
    it('matches the documented example', () => {
      expect(name('2026-12-03T19:00:00Z', 'America/New_York')).toBe(
        'Q4 Product Update - Dec 3, 2026 2:00 PM EST - Attended',
      );
    });
    it('labels the three kinds', () => {
      expect(name('2026-12-03T19:00:00Z', 'America/New_York', 'registered')).toMatch(
        / - Registered$/,
      );
      expect(name('2026-12-03T19:00:00Z', 'America/New_York', 'attended')).toMatch(/ - Attended$/);
      expect(name('2026-12-03T19:00:00Z', 'America/New_York', 'not_attended')).toMatch(
        / - Not Attended$/,
      );
    });
    it('uses a 12-hour clock with AM/PM, no leading zeros, two-digit minutes', () => {
      expect(name('2026-01-05T05:05:00Z', 'America/New_York')).toBe(
        'Q4 Product Update - Jan 5, 2026 12:05 AM EST - Attended',
      );
      expect(name('2026-01-05T17:00:00Z', 'America/New_York')).toBe(
        'Q4 Product Update - Jan 5, 2026 12:00 PM EST - Attended',
      );
      expect(name('2026-10-15T03:59:00Z', 'America/New_York')).toBe(
        'Q4 Product Update - Oct 14, 2026 11:59 PM EDT - Attended',
      );
    });
    it('shows the date in the displayed zone, not UTC (the day can differ)', () => {
      expect(name('2026-12-04T02:00:00Z', 'America/New_York')).toContain('Dec 3, 2026 9:00 PM EST');
      expect(name('2026-12-03T20:00:00Z', 'Asia/Kolkata')).toContain('Dec 4, 2026 1:30 AM IST');
    });
    it('adds " (n)" before the kind for the n-th webinar with the same name in a folder', () => {
      const base = {
        subject: 'Demo',
        startsAt: new Date('2026-12-03T19:00:00Z'),
        timeZone: 'America/New_York',
      };
      expect(buildTargetGroupName({ ...base, kind: 'registered', ordinal: 1 })).toBe(
        'Demo - Dec 3, 2026 2:00 PM EST - Registered',
      );
      expect(buildTargetGroupName({ ...base, kind: 'registered', ordinal: 2 })).toBe(
        'Demo - Dec 3, 2026 2:00 PM EST (2) - Registered',
      );
      expect(buildTargetGroupName({ ...base, kind: 'not_attended', ordinal: 12 })).toBe(
        'Demo - Dec 3, 2026 2:00 PM EST (12) - Not Attended',
      );
    });
    it('rejects an unknown zone rather than guessing', () => {
      expect(() => name('2026-12-03T19:00:00Z', 'Mars/Olympus_Mons')).toThrow(/time zone/);
    });
  });

  describe('America/New_York (the default zone)', () => {
    it('EST in winter, EDT in summer', () => {
      expect(name('2026-01-15T15:00:00Z', 'America/New_York')).toContain(
        'Jan 15, 2026 10:00 AM EST',
      );
      expect(name('2026-07-15T14:00:00Z', 'America/New_York')).toContain(
        'Jul 15, 2026 10:00 AM EDT',
      );
    });
    it('spring forward day (Mar 8, 2026): 1:30 AM EST, then 3:30 AM EDT one hour later', () => {
      expect(name('2026-03-08T06:30:00Z', 'America/New_York')).toContain('Mar 8, 2026 1:30 AM EST');
      expect(name('2026-03-08T07:30:00Z', 'America/New_York')).toContain('Mar 8, 2026 3:30 AM EDT');
      expect(name('2026-03-08T18:00:00Z', 'America/New_York')).toContain('Mar 8, 2026 2:00 PM EDT');
    });
    it('fall back day (Nov 1, 2026): the repeated 1:30 AM is told apart by EDT / EST', () => {
      const first = name('2026-11-01T05:30:00Z', 'America/New_York');
      const second = name('2026-11-01T06:30:00Z', 'America/New_York');
      expect(first).toContain('Nov 1, 2026 1:30 AM EDT');
      expect(second).toContain('Nov 1, 2026 1:30 AM EST');
      expect(first).not.toBe(second);
    });
  });

  describe('Europe/London', () => {
    it('GMT in winter, BST in summer', () => {
      expect(name('2026-01-15T10:00:00Z', 'Europe/London')).toContain('Jan 15, 2026 10:00 AM GMT');
      expect(name('2026-07-15T10:00:00Z', 'Europe/London')).toContain('Jul 15, 2026 11:00 AM BST');
    });
    it('both sides of the spring change (Mar 29, 2026) and the autumn change (Oct 25, 2026)', () => {
      expect(name('2026-03-29T00:30:00Z', 'Europe/London')).toContain('Mar 29, 2026 12:30 AM GMT');
      expect(name('2026-03-29T01:30:00Z', 'Europe/London')).toContain('Mar 29, 2026 2:30 AM BST');
      expect(name('2026-10-25T00:30:00Z', 'Europe/London')).toContain('Oct 25, 2026 1:30 AM BST');
      expect(name('2026-10-25T01:30:00Z', 'Europe/London')).toContain('Oct 25, 2026 1:30 AM GMT');
    });
  });

  describe('half-hour and quarter-hour offsets', () => {
    it('Asia/Kolkata (UTC+5:30, no DST) reads IST', () => {
      expect(name('2026-12-03T08:30:00Z', 'Asia/Kolkata')).toBe(
        'Q4 Product Update - Dec 3, 2026 2:00 PM IST - Attended',
      );
      expect(name('2026-06-03T08:30:00Z', 'Asia/Kolkata')).toContain('Jun 3, 2026 2:00 PM IST');
    });
    it('Australia/Adelaide: ACDT (UTC+10:30) in its summer, ACST (UTC+9:30) in winter', () => {
      expect(name('2026-01-15T03:30:00Z', 'Australia/Adelaide')).toContain(
        'Jan 15, 2026 2:00 PM ACDT',
      );
      expect(name('2026-07-15T04:30:00Z', 'Australia/Adelaide')).toContain(
        'Jul 15, 2026 2:00 PM ACST',
      );
    });
    it('Australia/Adelaide on its change days (Apr 5 and Oct 4, 2026), both sides', () => {
      expect(name('2026-04-04T15:30:00Z', 'Australia/Adelaide')).toContain(
        'Apr 5, 2026 2:00 AM ACDT',
      );
      expect(name('2026-04-04T16:30:00Z', 'Australia/Adelaide')).toContain(
        'Apr 5, 2026 2:00 AM ACST',
      );
      expect(name('2026-10-03T16:00:00Z', 'Australia/Adelaide')).toContain(
        'Oct 4, 2026 1:30 AM ACST',
      );
      expect(name('2026-10-03T16:45:00Z', 'Australia/Adelaide')).toContain(
        'Oct 4, 2026 3:15 AM ACDT',
      );
    });
    it('Asia/Kathmandu (UTC+5:45) has no letter abbreviation: UTC+5:45', () => {
      expect(name('2026-12-03T08:15:00Z', 'Asia/Kathmandu')).toBe(
        'Q4 Product Update - Dec 3, 2026 2:00 PM UTC+5:45 - Attended',
      );
    });
  });

  describe('zones without a letter abbreviation', () => {
    it('fall back to a UTC offset', () => {
      expect(name('2026-12-03T05:00:00Z', 'Asia/Tokyo')).toContain('Dec 3, 2026 2:00 PM UTC+9');
      expect(name('2026-12-03T17:00:00Z', 'America/Sao_Paulo')).toContain(
        'Dec 3, 2026 2:00 PM UTC-3',
      );
      expect(name('2026-12-03T17:00:00Z', 'America/St_Johns')).toContain('Dec 3, 2026 1:30 PM NST');
    });
    it('Etc/GMT+5 is UTC-5 (the IANA name has the inverted sign; the label does not)', () => {
      expect(name('2026-12-03T19:00:00Z', 'Etc/GMT+5')).toContain('Dec 3, 2026 2:00 PM UTC-5');
    });
    it('UTC itself reads UTC', () => {
      expect(name('2026-12-03T14:00:00Z', 'UTC')).toContain('Dec 3, 2026 2:00 PM UTC - Attended');
    });
    it('utcOffsetLabel formats whole, half and quarter hours on both sides of UTC', () => {
      expect([0, 60, -180, 330, 345, -570, 765].map(utcOffsetLabel)).toEqual([
        'UTC',
        'UTC+1',
        'UTC-3',
        'UTC+5:30',
        'UTC+5:45',
        'UTC-9:30',
        'UTC+12:45',
      ]);
    });
    it('zoneAbbreviation prefers the letters people read in that country', () => {
      const at = (iso: string, zone: string) => zoneAbbreviation(DateTime.fromISO(iso, { zone }));
      expect(at('2026-07-01T12:00', 'Europe/Berlin')).toBe('CEST');
      expect(at('2026-01-01T12:00', 'Europe/Berlin')).toBe('CET');
      expect(at('2026-07-01T12:00', 'Europe/Dublin')).toBe('IST');
      expect(at('2026-07-01T12:00', 'Australia/Sydney')).toBe('AEST');
      expect(at('2026-01-01T12:00', 'Pacific/Auckland')).toBe('NZDT');
      expect(at('2026-01-01T12:00', 'America/Los_Angeles')).toBe('PST');
    });
  });

  describe('subjects', () => {
    it('are trimmed and inner whitespace (tabs, newlines, NBSP) collapsed', () => {
      expect(
        name(
          '2026-12-03T19:00:00Z',
          'America/New_York',
          'registered',
          '  Q4 \t Product\n\nUpdate\u00a0 ',
        ),
      ).toBe('Q4 Product Update - Dec 3, 2026 2:00 PM EST - Registered');
    });
    it('an empty subject becomes "Untitled webinar"', () => {
      expect(normalizeSubject('   ')).toBe('Untitled webinar');
      expect(name('2026-12-03T19:00:00Z', 'America/New_York', 'registered', '')).toBe(
        'Untitled webinar - Dec 3, 2026 2:00 PM EST - Registered',
      );
    });
    it('a long subject is cut with an ellipsis so the name is exactly 255 characters; date and kind stay whole', () => {
      const subject = 'A'.repeat(500);
      for (const kind of ['registered', 'attended', 'not_attended'] as const) {
        const n = buildTargetGroupName({
          subject,
          startsAt: new Date('2026-12-03T19:00:00Z'),
          timeZone: 'America/New_York',
          kind,
          ordinal: 3,
        });
        expect(codePointLength(n)).toBe(TARGET_GROUP_NAME_MAX);
        expect(n).toMatch(
          /^A+… - Dec 3, 2026 2:00 PM EST \(3\) - (Registered|Attended|Not Attended)$/,
        );
      }
    });
    it('a subject that just fits is not cut', () => {
      const tail = ' - Dec 3, 2026 2:00 PM EST - Attended';
      const subject = 'B'.repeat(TARGET_GROUP_NAME_MAX - tail.length);
      expect(name('2026-12-03T19:00:00Z', 'America/New_York', 'attended', subject)).toBe(
        subject + tail,
      );
      expect(name('2026-12-03T19:00:00Z', 'America/New_York', 'attended', subject + 'B')).toBe(
        'B'.repeat(subject.length - 1) + '…' + tail,
      );
    });
    it('does not leave a space before the ellipsis', () => {
      const subject = 'word '.repeat(100);
      const n = name('2026-12-03T19:00:00Z', 'America/New_York', 'attended', subject);
      expect(n).toMatch(/[^ ]… - Dec 3/);
    });
    it('keeps unicode whole: no split surrogate pairs, ZWJ emoji or combining marks', () => {
      const cases = ['😀', '👩‍👩‍👧‍👦', 'e\u0301', '日本語', '𝒜'];
      for (const unit of cases) {
        const subject = unit.repeat(300);
        const n = name('2026-12-03T19:00:00Z', 'America/New_York', 'not_attended', subject);
        expect(codePointLength(n)).toBeLessThanOrEqual(TARGET_GROUP_NAME_MAX);
        const head = n.slice(0, n.indexOf('… - Dec 3, 2026'));
        expect(head.length % unit.length).toBe(0);
        expect(head).toBe(unit.repeat(head.length / unit.length));
        expect(n).toMatch(/… - Dec 3, 2026 2:00 PM EST - Not Attended$/);
        // well-formed UTF-16: no lone surrogates
        expect(n).toBe(Buffer.from(n, 'utf8').toString('utf8'));
      }
    });
    it('unicode subjects that fit are kept as they are', () => {
      expect(
        name('2026-12-03T19:00:00Z', 'Europe/London', 'registered', 'Café Ünïcödé 🚀 Webinar'),
      ).toBe('Café Ünïcödé 🚀 Webinar - Dec 3, 2026 7:00 PM GMT - Registered');
    });
  });

  it('two webinars with the same subject and time get the same base name (the service adds the ordinal)', () => {
    expect(name('2026-12-03T19:00:00Z', 'America/New_York')).toBe(
      name('2026-12-03T19:00:00Z', 'America/New_York'),
    );
  });

  describe('firstSessionStart', () => {
    const startsAt = new Date('2026-12-10T15:00:00Z');
    it('is the earliest session start of a recurring webinar, whatever the order', () => {
      const sessions = [
        { startTime: '2026-12-10T15:00:00Z', endTime: '' },
        { startTime: '2026-12-03T15:00:00Z', endTime: '' },
        { startTime: '2026-12-17T15:00:00Z', endTime: '' },
      ];
      expect(firstSessionStart({ startsAt, sessions }).toISOString()).toBe(
        '2026-12-03T15:00:00.000Z',
      );
    });
    it('falls back to the webinar start without usable sessions', () => {
      expect(firstSessionStart({ startsAt, sessions: [] })).toBe(startsAt);
      expect(firstSessionStart({ startsAt, sessions: null })).toBe(startsAt);
      expect(firstSessionStart({ startsAt, sessions: [{ startTime: 'garbage' }] })).toBe(startsAt);
    });
  });
});
