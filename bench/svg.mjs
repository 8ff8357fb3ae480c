// A dependency-free SVG line chart: panels side by side, each with linear axes, points joined per series.
// chart({ title, note, panels: [{ title, xLabel, yLabel, log, series: [{ name, color, dashed, points: [[x, y], ...] }] }] })
// → SVG text. `log`: a logarithmic y axis (for series of very different sizes, such as Ansible and a floor).

const COLORS = ['#1f77b4', '#aec7e8', '#2ca02c', '#98df8a', '#d62728', '#ff9896', '#9467bd', '#8c564b'];
const W = 460, H = 330, M = { left: 58, right: 14, top: 34, bottom: 108 };
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const fmt = (v) => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : Number(v.toPrecision(2)).toString());

/** About five round ticks from 0 to at least max. */
function ticks(max) {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let v = 0; v < max + step / 2; v += step) out.push(Number(v.toPrecision(12)));
  if (out.at(-1) < max) out.push(out.at(-1) + step);
  return out;
}

/** Decade ticks 1, 2, 5 × 10^k covering [min, max]. */
function logTicks(min, max) {
  const out = [];
  for (let k = Math.floor(Math.log10(min)); 10 ** k <= max * 10; k++) for (const m of [1, 2, 5]) out.push(Number((m * 10 ** k).toPrecision(3)));
  const lo = out.findLastIndex((v) => v <= min), hi = out.findIndex((v) => v >= max);
  return out.slice(Math.max(0, lo), hi + 1);
}

function panel(p, dx, xs) {
  const values = p.series.flatMap((s) => s.points.map(([, y]) => y));
  const ys = p.log ? logTicks(Math.min(...values), Math.max(...values)) : ticks(Math.max(0, ...values));
  const [y0, y1] = p.log ? [Math.log10(ys[0]), Math.log10(ys.at(-1))] : [0, ys.at(-1)];
  const scale = (y) => ((p.log ? Math.log10(y) : y) - y0) / (y1 - y0 || 1);
  const xMax = Math.max(...xs), xMin = Math.min(0, ...xs);
  const px = (x) => dx + M.left + ((x - xMin) / (xMax - xMin || 1)) * (W - M.left - M.right);
  const py = (y) => M.top + (1 - scale(y)) * (H - M.top - M.bottom);
  const out = [`<g data-panel="${esc(p.title)}">`, `<text x="${dx + W / 2}" y="20" text-anchor="middle" font-weight="bold">${esc(p.title)}</text>`];
  for (const y of ys) {
    out.push(`<line x1="${px(xMin)}" x2="${px(xMax)}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${px(xMin) - 5}" y="${py(y) + 4}" text-anchor="end">${fmt(y)}</text>`);
  }
  for (const x of xs) out.push(`<text x="${px(x)}" y="${py(ys[0]) + 16}" text-anchor="middle">${fmt(x)}</text>`);
  out.push(`<line x1="${px(xMin)}" x2="${px(xMax)}" y1="${py(ys[0])}" y2="${py(ys[0])}" stroke="#333"/>`,
    `<text x="${dx + 14}" y="${(M.top + H - M.bottom) / 2}" text-anchor="middle" transform="rotate(-90 ${dx + 14} ${(M.top + H - M.bottom) / 2})">${esc(p.yLabel)}${p.log ? ' (log scale)' : ''}</text>`,
    `<text x="${(px(xMin) + px(xMax)) / 2}" y="${py(ys[0]) + 34}" text-anchor="middle">${esc(p.xLabel)}</text>`);
  p.series.forEach((s, i) => {
    const color = s.color ?? COLORS[i % COLORS.length];
    const pts = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    out.push(`<g data-series="${esc(s.name)}" stroke="${color}" fill="${color}">`);
    if (pts.length > 1) out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`);
    for (const pt of pts) out.push(`<circle cx="${pt.split(',')[0]}" cy="${pt.split(',')[1]}" r="3"/>`);
    const lx = dx + M.left + (i % 2) * 200, ly = H - M.bottom + 52 + Math.floor(i / 2) * 16;
    out.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
      `<text x="${lx + 24}" y="${ly}" stroke="none" fill="#222">${esc(s.name)}</text>`, '</g>');
  });
  out.push('</g>');
  return out.join('\n');
}

export function chart({ title, note, panels }) {
  const xs = [...new Set(panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([x]) => x))))].sort((a, b) => a - b);
  const width = W * panels.length, height = H + (note ? 18 : 0) + 22;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<g transform="translate(0 22)">`, ...panels.map((p, i) => panel(p, i * W, xs)), '</g>',
    `<text x="${width / 2}" y="15" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>`,
    note ? `<text x="8" y="${height - 6}" fill="#555">${esc(note)}</text>` : '',
    '</svg>', '',
  ].join('\n');
}
