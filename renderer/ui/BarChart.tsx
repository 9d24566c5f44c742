// A simple bar chart in SVG: one bar per week (or any labelled value), with a text alternative for screen readers. Its
// labels are 18 units high and the chart is drawn at least 600 px wide (evaluation.css): legible at arm's length.
/** A bar: its label under it, its value, and (for weeks) the stored week key the tests and the text alternative use. */
export interface Bar {
  label: string;
  value: number;
  week?: string;
}

export function BarChart({ bars, title, barLabel }: { bars: Bar[]; title: string; barLabel: (b: Bar) => string }) {
  const width = 640;
  const height = 240;
  const top = 26;
  const bottom = 44;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const slot = bars.length > 0 ? width / bars.length : width;
  const barWidth = Math.min(60, slot * 0.6);
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title} — ${bars.map(barLabel).join(' ; ')}`}>
      <line x1="0" y1={height - bottom} x2={width} y2={height - bottom} stroke="#767676" />
      {bars.map((b, i) => {
        const h = ((height - top - bottom) * b.value) / max;
        const x = i * slot + (slot - barWidth) / 2;
        const y = height - bottom - h;
        return (
          <g key={b.week ?? b.label} data-bar={b.week ?? b.label} data-value={b.value}>
            <rect className="bar" x={x} y={y} width={barWidth} height={h} />
            <text x={x + barWidth / 2} y={y - 6} textAnchor="middle">
              {b.value}
            </text>
            <text x={x + barWidth / 2} y={height - bottom + 22} textAnchor="middle">
              {b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
