// The trend chart of the reports page: uPlot (web/vendor/uplot.esm.js, VERSIONS.txt), a small
// canvas chart library, drawn into a Preact component. The only file that imports uPlot.
//
// <TrendChart days={['2026-03-01', …]} series={[{label, values: [n, …]}, …]} label="…" />
// draws one line per series over the days (business dates, drawn as UTC midnights so that no
// browser time zone shifts a day). The chart is as wide as its box and follows it (a phone, a
// turned phone, a wider window); the numbers themselves are in the table beside it, as links.
import { html, useRef, useLayoutEffect } from './ui.js';
import uPlot from './vendor/uplot.esm.js';

// One colour per series, in order (the funnel's steps), distinct also in grey print.
const COLOURS = ['#1d4ed8', '#0891b2', '#16a34a', '#ca8a04', '#9333ea', '#dc2626'];
const HEIGHT = 260;

// '2026-03-01' -> seconds since the epoch at 00:00 UTC of that date.
const secondsOf = (day) => Date.parse(`${day}T00:00:00Z`) / 1000;

export function TrendChart({ days, series, label }) {
  const box = useRef(null);
  useLayoutEffect(() => {
    const element = box.current;
    const width = () => Math.max(200, element.clientWidth);
    const chart = new uPlot({
      width: width(),
      height: HEIGHT,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [{}, { values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? String(t) : '')) }],
      series: [{ label: 'Day', value: (_u, ts) => (ts === null ? '—' : new Date(ts * 1000).toISOString().slice(0, 10)) },
        ...series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 2, points: { size: 5 } }))],
    }, [days.map(secondsOf), ...series.map((s) => s.values)], element);
    const follow = new ResizeObserver(() => chart.setSize({ width: width(), height: HEIGHT }));
    follow.observe(element);
    return () => {
      follow.disconnect();
      chart.destroy();
    };
  }, [days, series]);
  return html`<div class="chart" ref=${box} role="img" aria-label=${label}></div>`;
}
