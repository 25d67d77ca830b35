// @ts-check
// The webinar page's charts, from GET /webinars/:id/stats: registrations per day (displayed zone),
// Registered → Attended → Engaged, and attendees by attendance time.
import { api } from './api.js';
import { $ } from './dom.js';
import { barChart, chartsAvailable, clearChart } from './charts.js';
import { state } from './state.js';

/** @typedef {import('./api.js').WebinarStats} WebinarStats */
/** @typedef {import('./latest-load.js').IsCurrent} IsCurrent */

/** @param {string} date YYYY-MM-DD */
function dayLabel(date) {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** @param {WebinarStats} s */
function funnelLabels(s) {
  const labels = state.config.targetGroupKindLabels;
  return s.funnel.map((f) =>
    f.step === 'engaged'
      ? `${labels.engaged ?? 'Engaged'} (≥ ${s.engagementMinutes} min)`
      : (labels[f.step] ?? f.step),
  );
}

/**
 * Loads the webinar's figures and draws the three charts (a message instead when Chart.js did not
 * load); nothing is drawn once `isCurrent` says another webinar is on show.
 * @param {number} webinarId
 * @param {boolean} upcoming not held yet: attendance means nothing so far
 * @param {IsCurrent} isCurrent
 * @returns {Promise<WebinarStats | null>} null when the answer came too late
 */
export async function drawWebinarCharts(webinarId, upcoming, isCurrent) {
  const canvases = {
    registrations: $('#chart-registrations', HTMLCanvasElement),
    funnel: $('#chart-funnel', HTMLCanvasElement),
    attendance: $('#chart-attendance', HTMLCanvasElement),
  };
  for (const c of Object.values(canvases)) clearChart(c);
  const drawable = chartsAvailable();
  $('#webinar-charts').hidden = !drawable;
  $('#webinar-charts-missing').hidden = drawable;
  /** @type {WebinarStats} */
  const s = await api('GET', `/webinars/${webinarId}/stats`);
  if (!isCurrent()) return null;
  barChart(canvases.registrations, {
    label: 'Registrations',
    labels: s.registrationsPerDay.map((d) => dayLabel(d.date)),
    values: s.registrationsPerDay.map((d) => d.count),
  });
  barChart(canvases.funnel, {
    label: 'People',
    labels: funnelLabels(s),
    values: s.funnel.map((f) => f.count),
    horizontal: true,
    color: '--ok',
  });
  barChart(canvases.attendance, {
    label: 'Attendees',
    labels: s.attendanceMinutes.bars.map((b) => `${b.fromMinutes}–${b.toMinutes}`),
    values: s.attendanceMinutes.bars.map((b) => b.count),
    color: '--warn',
  });
  $('#chart-funnel-caption').textContent = funnelLabels(s).join(' → ');
  const notes = [`Days in ${s.timeZone}.`];
  if (upcoming) notes.push('Attendance fills in once the webinar has been held.');
  if (s.registrationsUndated > 0)
    notes.push(`${s.registrationsUndated} registrations have no date and are not shown per day.`);
  if (s.engagementMinutes === null)
    notes.push('Set an engagement threshold in the settings to see who stayed engaged.');
  $('#webinar-charts-note').textContent = notes.join(' ');
  return s;
}
