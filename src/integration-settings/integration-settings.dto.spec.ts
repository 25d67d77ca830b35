import { isIanaZone } from './integration-settings.dto';

describe('isIanaZone', () => {
  it.each([
    'America/New_York',
    'Europe/Berlin',
    'UTC',
    'Etc/GMT+5',
    'America/Argentina/Buenos_Aires',
    'Asia/Kolkata',
  ])('accepts %s', (zone) => expect(isIanaZone(zone)).toBe(true));
  it.each([
    '',
    'Mars/Olympus_Mons',
    'UTC+2',
    '+02:00',
    'local',
    'America/New York',
    null,
    5,
    undefined,
  ])('refuses %j', (zone) => expect(isIanaZone(zone)).toBe(false));
});
