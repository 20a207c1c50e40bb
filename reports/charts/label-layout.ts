// Places point labels of a log-log chart so that no two overlap: each label tries the spot right of
// its point, then steps up and down until its box is free (boxes estimated from the text's length at
// the chart's font size). Pure geometry on the chart's own pixel grid, so it is unit-tested.

export interface LogAxes {
  width: number;
  height: number;
  x: [number, number];
  y: [number, number];
}

export interface LabelRequest {
  x: number;
  y: number;
  text: string;
}

export interface PlacedLabel extends LabelRequest {
  /** Where the label's anchor sits, in data coordinates of the same axes. */
  labelX: number;
  labelY: number;
  align: 'left' | 'right';
  /** True when the label was moved away from its point (a leader line is drawn). */
  moved: boolean;
}

const charWidth = 5.6;
const lineHeight = 12;

const toPx = (v: number, [lo, hi]: [number, number], size: number) => (size * (Math.log(v) - Math.log(lo))) / (Math.log(hi) - Math.log(lo));
const fromPx = (px: number, [lo, hi]: [number, number], size: number) => Math.exp(Math.log(lo) + (px / size) * (Math.log(hi) - Math.log(lo)));

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Another mark a label must not cover: a point, or text ending at (x, y) drawn leftwards (`text`). */
export interface Obstacle {
  x: number;
  y: number;
  text?: string;
}

export function placeLabels(requests: readonly LabelRequest[], axes: LogAxes, obstacles: readonly Obstacle[] = []): PlacedLabel[] {
  const placed: Box[] = obstacles.map((o) => {
    const px = toPx(o.x, axes.x, axes.width);
    const py = axes.height - toPx(o.y, axes.y, axes.height);
    return o.text === undefined
      ? { left: px - 4, right: px + 4, top: py - 4, bottom: py + 4 }
      : { left: px - o.text.length * charWidth, right: px, top: py - lineHeight - 4, bottom: py };
  });
  const out: PlacedLabel[] = [];
  const ordered = [...requests].sort((a, b) => b.y - a.y || a.x - b.x);
  for (const r of ordered) {
    const px = toPx(r.x, axes.x, axes.width);
    const py = axes.height - toPx(r.y, axes.y, axes.height);
    const w = r.text.length * charWidth;
    const align: 'left' | 'right' = px + 8 + w > axes.width ? 'right' : 'left';
    let chosen: Box | undefined;
    let dy = 0;
    for (let step = 0; step < 40 && !chosen; step++) {
      dy = (step % 2 === 0 ? 1 : -1) * Math.ceil(step / 2) * lineHeight;
      const top = py + dy - lineHeight;
      const box = align === 'left' ? { left: px + 6, right: px + 6 + w, top, bottom: top + lineHeight } : { left: px - 6 - w, right: px - 6, top, bottom: top + lineHeight };
      if (box.top < 0 || box.bottom > axes.height) continue;
      if (!placed.some((p) => overlaps(p, box))) chosen = box;
    }
    if (!chosen) continue; // no free spot: the point keeps its tooltip and its table row
    placed.push(chosen);
    const anchorPx = align === 'left' ? chosen.left : chosen.right;
    out.push({
      ...r,
      labelX: fromPx(anchorPx, axes.x, axes.width),
      labelY: fromPx(axes.height - (chosen.bottom - 2), axes.y, axes.height),
      align,
      moved: dy !== 0,
    });
  }
  return out;
}
