import { parse as parseCsvSync } from 'csv-parse/sync';
import mammoth from 'mammoth';
import { marked } from 'marked';
import { AppError } from '../../errors/app-error.js';
import type { FileKind } from './detect-file-kind.js';
import { parseHtml } from './parse-html.js';
import { type FaqPair, normalizeSpace, type ParsedDocument, type Section } from './section.js';

/**
 * Turns an uploaded file into sections or FAQ pairs. Every failure is an
 * AppError with a message the uploader can act on; nothing is stored here.
 */
export async function parseDocument(kind: FileKind, bytes: Buffer): Promise<ParsedDocument> {
  switch (kind) {
    case 'text':
      return { kind: 'sections', sections: parsePlainText(utf8(bytes)) };
    case 'markdown':
      return { kind: 'sections', sections: parseHtml(await marked.parse(utf8(bytes), { async: true, gfm: true })) };
    case 'html':
      return { kind: 'sections', sections: parseHtml(utf8(bytes)) };
    case 'pdf':
      return { kind: 'sections', sections: await parsePdf(bytes) };
    case 'docx':
      return { kind: 'sections', sections: await parseDocx(bytes) };
    case 'csv':
      return { kind: 'faq', entries: parseFaqCsv(utf8(bytes)) };
  }
}

function utf8(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/^\uFEFF/, '');
}

/** Paragraphs separated by blank lines; no headings to follow. */
export function parsePlainText(text: string): Section[] {
  const blocks = normalizeSpace(text)
    .split(/\n\s*\n/)
    .map((b) => b.replace(/\n/g, ' ').trim())
    .filter(Boolean);
  return blocks.length ? [{ headings: [], blocks }] : [];
}

async function parsePdf(bytes: Buffer): Promise<Section[]> {
  // Loaded lazily: pdf.js is large and only uploads of PDFs need it.
  const { extractText, getDocumentProxy } = await import('unpdf');
  let pages: string[];
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      pages = (await extractText(pdf, { mergePages: false })).text;
    } finally {
      await pdf.cleanup();
    }
  } catch (err) {
    throw new AppError('bad_request', `could not read the PDF: ${reason(err)}`);
  }
  return pages
    .map(
      (page, i): Section => ({
        headings: [],
        blocks: normalizeSpace(page)
          .split(/\n\s*\n|\n(?=[A-Z0-9•\-–])/)
          .map((b) => b.replace(/\n/g, ' ').trim())
          .filter(Boolean),
        metadata: { page: i + 1 },
      }),
    )
    .filter((s) => s.blocks.length > 0);
}

async function parseDocx(bytes: Buffer): Promise<Section[]> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: bytes })).value;
  } catch (err) {
    throw new AppError('bad_request', `could not read the DOCX document: ${reason(err)}`);
  }
  return parseHtml(html);
}

const QUESTION_COLUMNS = ['question', 'questions', 'q', 'pregunta', 'frage', 'domanda', 'pergunta', 'faq'];
const ANSWER_COLUMNS = ['answer', 'answers', 'a', 'respuesta', 'antwort', 'réponse', 'reponse', 'risposta', 'resposta'];

/** A CSV with a header row naming a question column and an answer column. */
export function parseFaqCsv(text: string): FaqPair[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsvSync(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: false,
    });
  } catch (err) {
    throw new AppError('bad_request', `could not read the CSV: ${reason(err)}`);
  }
  if (rows.length === 0) throw new AppError('bad_request', 'the CSV has no rows under its header');
  const columns = Object.keys(rows[0]!);
  const q = columns.find((c) => QUESTION_COLUMNS.includes(c));
  const a = columns.find((c) => ANSWER_COLUMNS.includes(c));
  if (!q || !a) {
    throw new AppError(
      'bad_request',
      `the CSV needs a "question" and an "answer" column; found: ${columns.map((c) => `"${c}"`).join(', ')}`,
    );
  }
  const entries: FaqPair[] = [];
  rows.forEach((row, i) => {
    const question = normalizeSpace(row[q] ?? '');
    const answer = normalizeSpace(row[a] ?? '');
    if (!question && !answer) return;
    if (!question || !answer) {
      throw new AppError('bad_request', `CSV row ${i + 2} has ${question ? 'no answer' : 'no question'}`);
    }
    entries.push({ question, answer });
  });
  return entries;
}

function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.slice(0, 200);
}
