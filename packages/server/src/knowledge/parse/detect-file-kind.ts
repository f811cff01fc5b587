import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../errors/app-error.js';

export type FileKind = 'text' | 'markdown' | 'html' | 'pdf' | 'docx' | 'csv';

const BY_EXTENSION: Record<string, FileKind> = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
  docx: 'docx',
  csv: 'csv',
};

const BINARY: Partial<Record<FileKind, { mime: string; label: string }>> = {
  pdf: { mime: 'application/pdf', label: 'PDF' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'DOCX' },
};

export const SUPPORTED_EXTENSIONS = Object.keys(BY_EXTENSION);

/**
 * Decides what a file is from its bytes, not only its name: a PDF or DOCX
 * must carry its format's signature, and a text format must carry none and be
 * valid UTF-8 without NUL bytes. A mismatch is refused before any parser runs.
 */
export async function detectFileKind(fileName: string, bytes: Buffer): Promise<FileKind> {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const kind = BY_EXTENSION[ext];
  if (!kind) {
    throw new AppError(
      'unsupported_media_type',
      `unsupported file type ".${ext || '?'}": upload one of ${SUPPORTED_EXTENSIONS.map((e) => `.${e}`).join(', ')}`,
    );
  }
  if (bytes.length === 0) throw new AppError('bad_request', 'the file is empty');
  const detected = await fileTypeFromBuffer(bytes);
  const binary = BINARY[kind];
  if (binary) {
    if (detected?.mime !== binary.mime) {
      throw new AppError(
        'unsupported_media_type',
        `the file is named .${ext} but its content is not a ${binary.label} document${detected ? ` (looks like ${detected.ext})` : ''}`,
      );
    }
    return kind;
  }
  if (detected && detected.mime !== 'application/xml' && detected.ext !== 'xml') {
    throw new AppError(
      'unsupported_media_type',
      `the file is named .${ext} but its content is ${detected.ext}, not text`,
    );
  }
  if (bytes.includes(0))
    throw new AppError('unsupported_media_type', `the file is named .${ext} but holds binary data`);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('bad_request', 'text files must be UTF-8 encoded');
  }
  return kind;
}
