// bench/capacity.ts: the day without and with webhooks, side by side (calls per organizer per day,
// organizers one client sustains = 864,000 × 0.8 ÷ calls, and the ratio with ÷ without).
const SUSTAINABLE_CALLS = 10 * 86_400 * 0.8;

export interface DayFigures {
  label: string;
  /** GoTo API calls per organizer per day by kind, with 'total (API)'. */
  perKind: Map<string, number>;
  /** Per organizer-day by profile (job results). */
  byProfile: Map<string, number>;
}

export function printSideBySide(off: DayFigures, on: DayFigures): void {
  const sustained = (calls: number) =>
    calls > 0 ? Math.floor(SUSTAINABLE_CALLS / calls).toLocaleString('en-US') : '∞';
  const row = (name: string, a = 0, b = 0) =>
    console.log(
      `| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${a > 0 ? (b / a).toFixed(2) : '–'} | ${sustained(a)} | ${sustained(b)} |`,
    );
  console.log('\n==== side by side: calls per organizer per day ====');
  console.log(
    '| | without webhooks | with webhooks | with ÷ without | organizers per client without | with |',
  );
  console.log('|---|---|---|---|---|---|');
  const kinds = new Set([...off.perKind.keys(), ...on.perKind.keys()]);
  kinds.delete('total (API)');
  for (const k of kinds) row(k, off.perKind.get(k), on.perKind.get(k));
  row(
    '**all organizers (API total)**',
    off.perKind.get('total (API)'),
    on.perKind.get('total (API)'),
  );
  for (const p of off.byProfile.keys())
    row(`profile ${p} (job results)`, off.byProfile.get(p), on.byProfile.get(p));
}
