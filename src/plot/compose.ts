/**
 * Lays plot panels out on one SVG canvas. Observable Plot shares scales across facets, but lme4's
 * caterpillar and profile plots give every panel its own x scale (lattice's relation = "free"), so each
 * panel is its own Plot and they are placed here as nested <svg> elements under a title each.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A rendered panel (an Observable Plot SVG element) and the title drawn above it. */
export interface Panel {
  svg: Element;
  width: number;
  height: number;
  title?: string;
}

/** XML-escapes text for an attribute or element body. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const TITLE_HEIGHT = 18;
const GAP = 8;

/**
 * One standalone SVG document (xmlns set, white background) with the panels in rows of `columns`,
 * each under its title; `heading` on top.
 */
export function composePanels(panels: readonly Panel[], columns: number, heading?: string): string {
  const cols = Math.max(1, columns);
  const rows: Panel[][] = [];
  for (let i = 0; i < panels.length; i += cols) rows.push(panels.slice(i, i + cols));
  return composeRows(rows, heading);
}

/** As `composePanels`, with the rows given: each row's panels left to right at their own widths. */
export function composeRows(rows: readonly (readonly Panel[])[], heading?: string): string {
  const headingHeight = heading ? 24 : 0;
  const parts: string[] = [];
  let width = 0;
  let y = headingHeight + GAP;
  for (const row of rows) {
    const hasTitle = row.some((p) => p.title);
    const rowHeight = Math.max(...row.map((p) => p.height));
    let x = GAP;
    for (const p of row) {
      if (p.title) {
        parts.push(
          `<text x="${x + p.width / 2}" y="${y + 13}" text-anchor="middle" font-family="system-ui, sans-serif" ` +
            `font-size="12" font-weight="bold">${escapeXml(p.title)}</text>`,
        );
      }
      p.svg.setAttribute('x', String(x));
      p.svg.setAttribute('y', String(y + (hasTitle ? TITLE_HEIGHT : 0)));
      parts.push(p.svg.outerHTML);
      x += p.width + GAP;
    }
    width = Math.max(width, x);
    y += rowHeight + (hasTitle ? TITLE_HEIGHT : 0) + GAP;
  }
  const head = heading
    ? `<text x="${width / 2}" y="18" text-anchor="middle" font-family="system-ui, sans-serif" font-size="14">${escapeXml(heading)}</text>`
    : '';
  return (
    `<svg xmlns="${SVG_NS}" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}">` +
    `<rect width="100%" height="100%" fill="white"/>${head}${parts.join('')}</svg>`
  );
}
