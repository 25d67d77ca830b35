// @ts-check
// Charts drawn by Chart.js (npm chart.js, its UMD build served at /admin/vendor/ and loaded by a
// classic script before the modules). Styled through options and the CSSOM only: the CSP allows no
// inline style. One chart per canvas, replaced on each load.

/** @typedef {import('chart.js').Chart} ChartInstance */
/** @typedef {import('chart.js').ChartConfiguration<'bar'>} BarConfig */

/** The Chart constructor the UMD build put on window (undefined if it failed to load). */
function chartLibrary() {
  return /** @type {{ Chart?: typeof import('chart.js').Chart }} */ (
    /** @type {unknown} */ (window)
  ).Chart;
}

/** Whether Chart.js loaded: without it a page shows a message in place of its charts. */
export function chartsAvailable() {
  return chartLibrary() !== undefined;
}

/** @param {string} name a custom property of :root, e.g. --primary */
function cssColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#1f5fbf';
}

/**
 * A bar chart of `values` on the canvas, replacing the one drawn there before.
 * @param {HTMLCanvasElement} canvas
 * @param {{ labels: string[], values: number[], label: string, horizontal?: boolean, color?: string }} data
 * @returns {ChartInstance | null} null when the library is missing (the page still works)
 */
export function barChart(canvas, data) {
  const Chart = chartLibrary();
  if (!Chart) return null;
  Chart.getChart(canvas)?.destroy();
  const color = cssColor(data.color ?? '--primary');
  const valueAxis = { beginAtZero: true, ticks: { precision: 0 } };
  /** @type {BarConfig} */
  const config = {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: [{ label: data.label, data: data.values, backgroundColor: color, borderRadius: 3 }],
    },
    options: {
      indexAxis: data.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      // Drawn at once: nothing moves under a screenshot or a reader.
      animation: false,
      plugins: { legend: { display: false } },
      scales: data.horizontal ? { x: valueAxis } : { y: valueAxis },
    },
  };
  return new Chart(canvas, config);
}

/** @param {HTMLCanvasElement} canvas */
export function clearChart(canvas) {
  chartLibrary()?.getChart(canvas)?.destroy();
}
