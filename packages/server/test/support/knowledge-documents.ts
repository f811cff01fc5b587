import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export const KNOWLEDGE_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/knowledge');

export function fixture(relative: string): Buffer {
  return readFileSync(path.join(KNOWLEDGE_FIXTURES, relative));
}

/** A real PDF (text drawn with a standard font) from lines of text. */
export async function makePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  let y = 800;
  for (const line of text.split('\n').filter(Boolean)) {
    page.drawText(line, { x: 40, y, size: 10, font, maxWidth: 515 });
    y -= 28;
  }
  return Buffer.from(await doc.save());
}

/** A real DOCX from "# heading" / "## heading" / paragraph lines. */
export async function makeDocx(source: string): Promise<Buffer> {
  const children = source
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      if (line.startsWith('## ')) return new Paragraph({ text: line.slice(3), heading: HeadingLevel.HEADING_2 });
      if (line.startsWith('# ')) return new Paragraph({ text: line.slice(2), heading: HeadingLevel.HEADING_1 });
      return new Paragraph({ text: line });
    });
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}
