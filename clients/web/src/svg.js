'use strict';
// Charts as inline SVG drawn on the server: no script, no image requests.
// Each chart is role="img" with a <title> and <desc>, and every page that
// draws one also shows the same numbers as a table, for screen readers.
const { html } = require('./html');

const W = 640;
const BAR_H = 22;

// Horizontal bars: [{label, value}] (value >= 0).
function barChart({ id, title, desc, bars, unit = '' }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const labelW = 200;
  const plotW = W - labelW - 60;
  const h = Math.max(1, bars.length) * (BAR_H + 6) + 10;
  return html`
    <svg class="chart" id="${id}" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}">
      <title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>
      ${bars.map((b, i) => {
        const y = 5 + i * (BAR_H + 6);
        const w = Math.round((b.value / max) * plotW);
        return html`<g>
          <text x="${labelW - 6}" y="${y + 15}" text-anchor="end">${b.label}</text>
          <rect x="${labelW}" y="${y}" width="${w}" height="${BAR_H}" fill="#1d4f91"></rect>
          <text x="${labelW + w + 6}" y="${y + 15}">${b.value}${unit}</text></g>`;
      })}
    </svg>`;
}

// A step line of running values: points [{x: ms, y: number}] in time order.
function stepChart({ id, title, desc, points, format = String }) {
  const H = 260;
  const pad = { l: 90, r: 20, t: 10, b: 30 };
  if (!points.length) return html`<p>No entries to chart.</p>`;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y).concat([0]);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1);
  const y0 = Math.min(...ys);
  const y1 = Math.max(...ys, y0 + 1);
  const sx = (x) => pad.l + ((x - x0) / (x1 - x0)) * (W - pad.l - pad.r);
  const sy = (y) => pad.t + (1 - (y - y0) / (y1 - y0)) * (H - pad.t - pad.b);
  let d = `M${sx(points[0].x).toFixed(1)},${sy(points[0].y).toFixed(1)}`;
  for (let i = 1; i < points.length; i++) {
    d += ` H${sx(points[i].x).toFixed(1)} V${sy(points[i].y).toFixed(1)}`;
  }
  const date = (ms) => new Date(ms).toISOString().slice(0, 10);
  return html`
    <svg class="chart" id="${id}" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">
      <title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>
      <line x1="${pad.l}" x2="${W - pad.r}" y1="${sy(0)}" y2="${sy(0)}" stroke="#4a4a4a" stroke-dasharray="4 3"></line>
      <text x="${pad.l - 6}" y="${sy(y1) + 4}" text-anchor="end">${format(y1)}</text>
      <text x="${pad.l - 6}" y="${sy(y0) + 4}" text-anchor="end">${format(y0)}</text>
      <text x="${pad.l}" y="${H - 8}">${date(x0)}</text>
      <text x="${W - pad.r}" y="${H - 8}" text-anchor="end">${date(x1)}</text>
      <path d="${d}" fill="none" stroke="#1d4f91" stroke-width="2"></path>
    </svg>`;
}

module.exports = { barChart, stepChart };
