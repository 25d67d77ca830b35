// The population of the capacity benchmark: accounts, organizers, webinars per year, registrants
// per webinar and the share of upcoming webinars, seeded and built into the simulator through its
// control API (addWebinar), so each organizer gets the mix it is meant to have.
import type { RunningSimulator } from '../src/simulator/simulator';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface OrganizerProfile {
  label: string;
  webinarsPerYear: number;
  upcomingShare: number;
  /** Registrants of each webinar, drawn from this list. */
  registrants: number[];
}

/**
 * The mix, cycled over the organizers. "typical" is `npm run bench`'s default organizer: 200
 * webinars spread over the year before and the year after now, 200 registrants each.
 */
export const PROFILES: OrganizerProfile[] = [
  { label: 'typical', webinarsPerYear: 100, upcomingShare: 0.5, registrants: [200] },
  { label: 'small', webinarsPerYear: 24, upcomingShare: 0.4, registrants: [20, 50, 80] },
  { label: 'busy', webinarsPerYear: 250, upcomingShare: 0.5, registrants: [50, 100, 300] },
  { label: 'typical', webinarsPerYear: 100, upcomingShare: 0.5, registrants: [200] },
  { label: 'winding down', webinarsPerYear: 60, upcomingShare: 0.2, registrants: [100, 400] },
  { label: 'growing', webinarsPerYear: 150, upcomingShare: 0.7, registrants: [30, 150, 600] },
];

export interface PlacedOrganizer {
  index: number;
  accountIndex: number;
  organizerKey: string;
  email: string;
  password: string;
  profile: OrganizerProfile;
  webinars: number;
  upcoming: number;
  registrants: number;
}

/** mulberry32: a small seeded generator (the population must be the same before and after). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Adds every organizer's webinars to the simulator (its organizers exist, with no webinars). */
export function placePopulation(
  sim: RunningSimulator,
  accounts: number,
  now: Date,
  seed: number,
): PlacedOrganizer[] {
  const random = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const day0 = Math.floor(now.getTime() / DAY) * DAY;
  return sim.store.listOrganizers().map((org, index) => {
    const profile = PROFILES[index % PROFILES.length];
    const total = profile.webinarsPerYear * 2; // the sync's window: a year back, a year ahead
    const upcoming = Math.round(total * profile.upcomingShare);
    let registrants = 0;
    for (let k = 0; k < total; k++) {
      const ahead = k < upcoming;
      const days = ahead ? Math.floor(random() * 365) : -1 - Math.floor(random() * 365);
      const start =
        day0 + days * DAY + (8 + Math.floor(random() * 10)) * HOUR + pick([0, 15, 30, 45]) * MINUTE;
      const n = pick(profile.registrants);
      registrants += n;
      sim.store.addWebinar(org.organizerKey, {
        subject: `${profile.label} #${k + 1}`,
        times: [{ startTime: iso(start), endTime: iso(start + HOUR) }],
        registrants: n,
      });
    }
    return {
      index,
      accountIndex: index % accounts,
      organizerKey: org.organizerKey,
      email: org.email,
      password: org.password,
      profile,
      webinars: total,
      upcoming,
      registrants,
    };
  });
}
