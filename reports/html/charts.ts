// Charts of a page: each section registers its vega-lite spec and gets back a placeholder; the page
// then renders every spec to SVG at build time (so charts show without JavaScript) and ships the specs
// so vega-embed can replace each SVG with an interactive view.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { html, raw, type Html } from './escape.ts';

export class Charts {
  readonly specs = new Map<string, TopLevelSpec>();

  /** A figure holding chart `spec`; its SVG is filled in by `renderSvg`. */
  add(spec: TopLevelSpec, caption: string): Html {
    const id = `c${this.specs.size + 1}`;
    this.specs.set(id, spec);
    return html`<figure class="chart"><div class="vega" data-chart="${id}">${raw(marker(id))}</div><figcaption>${caption}</figcaption></figure>`;
  }
}

const marker = (id: string) => `<!--svg:${id}-->`;

export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * The build-time SVG made smaller (it was half of the committed results' page, 1.48 of 3.06 MB):
 * geometry to two decimals (a hundredth of a pixel) and without each mark's role attributes, which
 * repeat on every mark; the aria-label that names what a mark shows stays whole, as does text outside tags.
 */
export function compactSvg(svg: string): string {
  return svg.replace(/<[^>]*>/g, (tag) =>
    tag.replace(/ role="graphics-symbol" aria-roledescription="[^"]*"/g, '').replace(/(aria-label="[^"]*")|(\d+\.\d\d)\d+/g, (_, label?: string, digits?: string) => label ?? digits ?? ''),
  );
}

/** Replaces each chart's marker with its build-time SVG. Results text never holds a marker: it is escaped. */
export async function fillSvg(page: string, charts: Charts): Promise<string> {
  let out = page;
  for (const [id, spec] of charts.specs) {
    const svg = await specToSvg(spec);
    // A function replacer: an SVG holding "$&" or "$1" must be inserted literally.
    out = out.replace(marker(id), () => svg);
  }
  return out;
}
