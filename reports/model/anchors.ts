// Ids of table rows that charts link to (a bar or point's href), built the same way by the chart and
// the table so a mark always lands on its row.
const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');

export const headlineAnchor = (deviceKey: string, kernel: string, problemLabel: string): string => `hl-${slug(`${deviceKey} ${kernel} ${problemLabel}`)}`;
export const sweepAnchor = (deviceKey: string, kernel: string, problemLabel: string): string => `sw-${slug(`${deviceKey} ${kernel} ${problemLabel}`)}`;
export const callAnchor = (deviceKey: string, call: string): string => `call-${slug(`${deviceKey} ${call}`)}`;
