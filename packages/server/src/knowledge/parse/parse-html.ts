import { type HTMLElement, type Node, NodeType, parse } from 'node-html-parser';
import { normalizeSpace, type Section } from './section.js';

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'iframe', 'object', 'canvas', 'nav']);
const HEADING = /^h([1-6])$/;
/** Elements whose whole text is one block of the section. */
const BLOCK = new Set(['p', 'li', 'pre', 'blockquote', 'dt', 'dd', 'figcaption', 'caption', 'address', 'summary']);

/**
 * HTML → sections along h1–h6. Also used for Markdown (rendered by marked)
 * and DOCX (rendered by mammoth), so the three formats chunk alike. Table
 * rows become "header: value" lines so that a price list stays searchable by
 * both the item and the column name.
 */
export function parseHtml(html: string): Section[] {
  const root = parse(html, { comment: false, blockTextElements: { pre: true } });
  const sections: Section[] = [];
  const headings: string[] = [];
  let current: Section = { headings: [], blocks: [] };

  const flush = () => {
    if (current.blocks.length) sections.push(current);
  };
  const add = (text: string) => {
    const clean = normalizeSpace(text);
    if (clean) current.blocks.push(clean);
  };

  const walk = (node: Node) => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      add(node.text);
      return;
    }
    if (node.nodeType !== NodeType.ELEMENT_NODE) return;
    const el = node as HTMLElement;
    const tag = el.rawTagName?.toLowerCase() ?? '';
    if (SKIP.has(tag)) return;
    const heading = HEADING.exec(tag);
    if (heading) {
      const level = Number(heading[1]);
      const title = normalizeSpace(el.text);
      if (!title) return;
      flush();
      headings.length = Math.min(headings.length, level - 1);
      while (headings.length < level - 1) headings.push('');
      headings[level - 1] = title;
      current = { headings: headings.filter(Boolean), blocks: [] };
      return;
    }
    if (tag === 'table') {
      tableBlocks(el).forEach(add);
      return;
    }
    if (BLOCK.has(tag)) {
      // A list item may hold a nested list: keep its own text, then walk the rest.
      const nested = el.querySelectorAll('ul, ol');
      if (tag === 'li' && nested.length) {
        add(
          el.childNodes
            .filter(
              (c) => !(c.nodeType === NodeType.ELEMENT_NODE && ['ul', 'ol'].includes((c as HTMLElement).rawTagName)),
            )
            .map((c) => c.text)
            .join(' '),
        );
        for (const list of nested) list.childNodes.forEach(walk);
        return;
      }
      add(el.text);
      return;
    }
    el.childNodes.forEach(walk);
  };

  walk(root);
  flush();
  return sections;
}

function tableBlocks(table: HTMLElement): string[] {
  const rows = table.querySelectorAll('tr');
  if (rows.length === 0) return [table.text];
  const cells = (row: HTMLElement) => row.querySelectorAll('th, td').map((c) => normalizeSpace(c.text));
  const first = rows[0]!;
  const hasHeader = first.querySelectorAll('th').length > 0;
  const header = hasHeader ? cells(first) : [];
  return rows.slice(hasHeader ? 1 : 0).map((row) => {
    const values = cells(row);
    if (!header.length) return values.filter(Boolean).join(' | ');
    return values
      .map((v, i) => (header[i] ? `${header[i]}: ${v}` : v))
      .filter((v) => v && !v.endsWith(': '))
      .join('; ');
  });
}
