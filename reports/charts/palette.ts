// One colour per library on every chart of a page (headline bars, roofline points), so a reader learns
// it once: ours first, then the peers in the order the headline lists them.
const ours = 'tilesweep (ours)';
const colours = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666'];

export const oursName = ours;

export interface LibraryScale {
  domain: string[];
  range: string[];
}

/**
 * A colour scale over ours and the page's peers, in that order (colours repeat past eight libraries),
 * narrowed to the libraries one chart shows so its legend lists only them, each in its page colour.
 */
export function libraryScale(pagePeers: readonly string[], shown: readonly string[] = pagePeers): LibraryScale {
  const domain = [ours, ...new Set(pagePeers)];
  const keep = new Set([ours, ...shown]);
  const entries = domain.map((name, i) => ({ name, colour: colours[i % colours.length] })).filter((e) => keep.has(e.name));
  return { domain: entries.map((e) => e.name), range: entries.map((e) => e.colour) };
}
