// charts/line.js: a line chart as a pure function of its data, returning an SVG
// string (no DOM, no library), so it can be snapshot-tested in Node. Used by the
// curves panel (loss and derivative vs one logit) and the training panel (loss
// and accuracy per step). Colours come from CSS classes (s0, s1, ...) so the
// light and dark schemes restyle it.

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// About `count` round tick values covering [lo, hi].
export function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const num = (v) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(0) : String(Number(v.toPrecision(4))));

// Data range of the finite y values of all series, padded, clamped to `limit`.
export function yExtent(series, limit = Infinity) {
  let lo = Infinity, hi = -Infinity;
  for (const s of series) {
    for (const [, y] of s.points) {
      if (!Number.isFinite(y)) continue;
      lo = Math.min(lo, Math.max(y, -limit));
      hi = Math.max(hi, Math.min(y, limit));
    }
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi - lo < 1e-9) return [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

export function lineChart({
  width = 480, height = 200, x, y, series, marker = null, xLabel = '', yLabel = '', title = '', id = 'c',
}) {
  const m = { l: 52, r: 12, t: 14, b: 34 };
  const W = width - m.l - m.r, H = height - m.t - m.b;
  const [x0, x1] = x;
  const [y0, y1] = y || yExtent(series);
  const sx = (v) => m.l + ((v - x0) / (x1 - x0)) * W;
  const sy = (v) => m.t + (1 - (v - y0) / (y1 - y0)) * H;
  const f = (v) => v.toFixed(1);
  let out = `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">`;
  out += `<defs><clipPath id="${id}-clip"><rect x="${m.l}" y="${m.t}" width="${W}" height="${H}"/></clipPath></defs>`;
  for (const t of ticks(y0, y1, 4)) {
    out += `<line class="grid" x1="${m.l}" x2="${m.l + W}" y1="${f(sy(t))}" y2="${f(sy(t))}"/>`;
    out += `<text class="tick" x="${m.l - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${num(t)}</text>`;
  }
  for (const t of ticks(x0, x1, 6)) {
    out += `<line class="grid" y1="${m.t}" y2="${m.t + H}" x1="${f(sx(t))}" x2="${f(sx(t))}"/>`;
    out += `<text class="tick" x="${f(sx(t))}" y="${m.t + H + 14}" text-anchor="middle">${num(t)}</text>`;
  }
  if (y0 < 0 && y1 > 0) out += `<line class="axis" x1="${m.l}" x2="${m.l + W}" y1="${f(sy(0))}" y2="${f(sy(0))}"/>`;
  out += `<g clip-path="url(#${id}-clip)">`;
  series.forEach((s, i) => {
    let d = '';
    let pen = false;
    for (const [px, py] of s.points) {
      if (!Number.isFinite(py)) {
        pen = false;
        continue;
      }
      const yy = Math.min(Math.max(py, y0 - (y1 - y0)), y1 + (y1 - y0));
      d += `${pen ? 'L' : 'M'}${f(sx(px))},${f(sy(yy))}`;
      pen = true;
    }
    out += `<path class="line s${s.cls ?? i}${s.dashed ? ' dashed' : ''}" d="${d}"/>`;
  });
  if (marker && Number.isFinite(marker.y)) {
    const mx = sx(marker.x), my = sy(Math.min(Math.max(marker.y, y0), y1));
    if (marker.slope !== undefined && Number.isFinite(marker.slope)) {
      const dx = (x1 - x0) * 0.12;
      const a = [marker.x - dx, marker.y - marker.slope * dx], b = [marker.x + dx, marker.y + marker.slope * dx];
      out += `<line class="tangent" x1="${f(sx(a[0]))}" y1="${f(sy(a[1]))}" x2="${f(sx(b[0]))}" y2="${f(sy(b[1]))}"/>`;
    }
    out += `<circle class="marker" cx="${f(mx)}" cy="${f(my)}" r="5"/>`;
  }
  out += '</g>';
  out += `<rect class="frame" x="${m.l}" y="${m.t}" width="${W}" height="${H}" fill="none"/>`;
  out += `<text class="label" x="${m.l + W / 2}" y="${height - 4}" text-anchor="middle">${esc(xLabel)}</text>`;
  out += `<text class="label" transform="translate(12 ${m.t + H / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`;
  return `${out}</svg>`;
}
