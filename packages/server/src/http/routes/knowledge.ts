import { randomUUID } from 'node:crypto';
import {
  bulkFaqSchema,
  createKnowledgeBaseSchema,
  editableKnowledgeBaseSchema,
  ingestionSchema,
  knowledgeBaseSchema,
  knowledgeChunkSchema,
  knowledgeFaqEntrySchema,
  knowledgeSearchQuerySchema,
  knowledgeSearchResponseSchema,
  listChunksQuerySchema,
  paginated,
  paginationQuerySchema,
  resolveUnansweredSchema,
  stripUnstorableString,
  stripUnstorableText,
  unansweredSuggestionsResponseSchema,
} from '@leaddesk/shared';
import { type RequestHandler, Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { KnowledgeBase } from '../../db/entities/index.js';
import { updateLocked } from '../../db/update-locked.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { chunkFaqs, chunkSections } from '../../knowledge/chunk/chunk-sections.js';
import { getIngestion, ingestionToDto, listIngestions } from '../../knowledge/ingest/ingestion-store.js';
import {
  chunkCounts,
  createKnowledgeBase,
  deleteChunks,
  getKnowledgeBase,
  knowledgeBaseToDto,
  listChunks,
} from '../../knowledge/knowledge-bases.js';
import type { KnowledgeService } from '../../knowledge/knowledge-service.js';
import { detectFileKind } from '../../knowledge/parse/detect-file-kind.js';
import { parseDocument } from '../../knowledge/parse/parse-documents.js';
import { resolveUnansweredQuestions, suggestAdditions } from '../../knowledge/unanswered/unanswered-questions.js';
import { requireClient, requireEm } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { requirePermission } from '../authenticate.js';
import { mergePatch, requirePatchObject } from '../merge-patch.js';
import type { OpenApiRegistry } from '../openapi.js';
import { parseId } from './leads.js';

export interface KnowledgeRoutesOptions {
  maxUploadBytes: number;
}

const uploadFieldsSchema = z.object({
  /** Re-uploading with the same source id replaces the document's chunks. Defaults to the file name. */
  sourceId: z
    .string()
    .trim()
    .regex(/^[\w.:-]{1,200}$/, 'letters, digits, _ . : - only')
    .optional(),
});

/**
 * Knowledge-base API, tenant-scoped by the API key (`req.client`). All in one
 * file so that role checks can be added in one place.
 */
export function knowledgeRoutes(
  openapi: OpenApiRegistry,
  knowledge: KnowledgeService,
  options: KnowledgeRoutesOptions,
): Router {
  const router = Router();
  const tag = 'knowledge';

  openapi.add({
    method: 'get',
    path: '/knowledge-bases',
    summary: 'List knowledge bases',
    tag,
    query: paginationQuerySchema,
    response: paginated(knowledgeBaseSchema),
  });
  router.get(
    '/knowledge-bases',
    requirePermission('knowledge:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const q = parseInput(paginationQuerySchema, req.query, 'query');
      const [rows, total] = await em.findAndCount(
        KnowledgeBase,
        { client: client.id },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
      );
      const counts = await chunkCounts(
        em,
        client.id,
        rows.map((r) => r.id),
      );
      res.json({
        data: rows.map((r) => knowledgeBaseToDto(r, counts.get(r.id) ?? 0)),
        page: q.page,
        pageSize: q.pageSize,
        total,
      });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/knowledge-bases',
    summary: 'Create a knowledge base',
    tag,
    body: createKnowledgeBaseSchema,
    response: knowledgeBaseSchema,
    status: 201,
  });
  router.post(
    '/knowledge-bases',
    requirePermission('knowledge:manage'),
    route(async (req, res) => {
      const body = parseInput(createKnowledgeBaseSchema, req.body, 'body');
      res.status(201).json(await createKnowledgeBase(requireEm(req), requireClient(req), body));
    }),
  );

  openapi.add({
    method: 'get',
    path: '/knowledge-bases/:id',
    summary: 'Get a knowledge base',
    tag,
    response: knowledgeBaseSchema,
  });
  router.get(
    '/knowledge-bases/:id',
    requirePermission('knowledge:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const kb = await getKnowledgeBase(em, client.id, parseId(req.params.id));
      const counts = await chunkCounts(em, client.id, [kb.id]);
      res.json(knowledgeBaseToDto(kb, counts.get(kb.id) ?? 0));
    }),
  );

  openapi.add({
    method: 'patch',
    path: '/knowledge-bases/:id',
    summary: 'Rename or describe a knowledge base (JSON Merge Patch)',
    tag,
    body: editableKnowledgeBaseSchema,
    mergePatch: true,
    response: knowledgeBaseSchema,
  });
  router.patch(
    '/knowledge-bases/:id',
    requirePermission('knowledge:manage'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const patch = requirePatchObject(req.body, { emptyMessage: 'nothing to update' });
      const where = { id: parseId(req.params.id), client: client.id };
      const updated = await updateLocked(em, KnowledgeBase, where, (kb) => {
        const current = { name: kb.name, description: kb.description, category: kb.category };
        const next = mergePatch(editableKnowledgeBaseSchema, current, patch);
        kb.name = next.name;
        kb.description = next.description;
        kb.category = next.category;
      });
      if (!updated) throw AppError.notFound('knowledge base');
      const kb = updated.row;
      const counts = await chunkCounts(em, client.id, [kb.id]);
      res.json(knowledgeBaseToDto(kb, counts.get(kb.id) ?? 0));
    }),
  );

  openapi.add({
    method: 'delete',
    path: '/knowledge-bases/:id',
    summary: 'Delete a knowledge base with its chunks and ingestions',
    tag,
    status: 204,
  });
  router.delete(
    '/knowledge-bases/:id',
    requirePermission('knowledge:manage'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const kb = await getKnowledgeBase(em, client.id, parseId(req.params.id));
      await em.execute('delete from knowledge_bases where id = ? and client_id = ?', [kb.id, client.id]);
      res.status(204).end();
    }),
  );

  openapi.add({
    method: 'delete',
    path: '/knowledge-bases/:id/chunks',
    summary: 'Clear a knowledge base (all its chunks)',
    tag,
    response: z.object({ deleted: z.number().int() }),
  });
  router.delete(
    '/knowledge-bases/:id/chunks',
    requirePermission('knowledge:manage'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const kb = await getKnowledgeBase(em, client.id, parseId(req.params.id));
      res.json({ deleted: await deleteChunks(em, client.id, kb.id) });
    }),
  );

  openapi.add({
    method: 'get',
    path: '/knowledge-bases/:id/chunks',
    summary: 'List chunks (paginated)',
    tag,
    query: listChunksQuerySchema,
    response: paginated(knowledgeChunkSchema),
  });
  router.get(
    '/knowledge-bases/:id/chunks',
    requirePermission('knowledge:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const q = parseInput(listChunksQuerySchema, req.query, 'query');
      const kb = await getKnowledgeBase(em, client.id, parseId(req.params.id));
      const { rows, total } = await listChunks(em, {
        clientId: client.id,
        knowledgeBaseId: kb.id,
        sourceId: q.sourceId,
        page: q.page,
        pageSize: q.pageSize,
        vectorColumn: knowledge.vectorColumn,
      });
      res.json({ data: rows, page: q.page, pageSize: q.pageSize, total });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/knowledge-bases/:id/documents',
    summary:
      'Upload a document (multipart field "file": .txt .md .html .pdf .docx, or .csv with question/answer columns); ingested by a job',
    tag,
    response: ingestionSchema,
    status: 202,
  });
  router.post(
    '/knowledge-bases/:id/documents',
    requirePermission('knowledge:manage'),
    // Refuse an unknown or foreign knowledge base before reading the file into memory.
    route(async (req, _res, next) => {
      await getKnowledgeBase(requireEm(req), requireClient(req).id, parseId(req.params.id));
      next();
    }),
    upload(options.maxUploadBytes),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const kb = await getKnowledgeBase(em, client.id, parseId(req.params.id));
      const file = req.file;
      if (!file) {
        throw new AppError('bad_request', 'send multipart/form-data with the document in a field named "file"');
      }
      const fields = parseInput(uploadFieldsSchema, req.body ?? {}, 'form fields');
      const fileName = stripUnstorableString(file.originalname).slice(0, 300);
      const kind = await detectFileKind(fileName, file.buffer);
      // Text extracted from a PDF or DOCX can hold characters PostgreSQL cannot store: the document is
      // still ours to keep, so they are dropped (a plain text file with a NUL byte is refused above as binary).
      const parsed = stripUnstorableText(await parseDocument(kind, file.buffer));
      const chunks = parsed.kind === 'faq' ? chunkFaqs(parsed.entries) : chunkSections(parsed.sections);
      if (chunks.length === 0) throw new AppError('bad_request', `no text found in "${fileName}"`);
      const ingestion = await knowledge.enqueueIngestion(em, {
        clientId: client.id,
        knowledgeBaseId: kb.id,
        sourceId: fields.sourceId ?? sourceIdFromName(fileName),
        sourceName: fileName,
        sourceType: kind,
        chunks,
      });
      res.status(202).json(ingestionToDto(ingestion));
    }),
  );

  openapi.add({
    method: 'delete',
    path: '/knowledge-bases/:id/documents/:sourceId',
    summary: 'Remove one document (or FAQ entry) and its chunks',
    tag,
    response: z.object({ deleted: z.number().int() }),
  });
  router.delete(
    '/knowledge-bases/:id/documents/:sourceId',
    requirePermission('knowledge:manage'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const kb = await getKnowledgeBase(em, client.id, parseId(req.params.id));
      const deleted = await deleteChunks(em, client.id, kb.id, String(req.params.sourceId));
      if (deleted === 0) throw AppError.notFound('document');
      res.json({ deleted });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/knowledge-bases/:id/faqs',
    summary: 'Add or replace one FAQ entry (ingested at once)',
    tag,
    body: knowledgeFaqEntrySchema,
    response: ingestionSchema,
    status: 201,
  });
  router.post(
    '/knowledge-bases/:id/faqs',
    requirePermission('knowledge:manage'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const body = parseInput(knowledgeFaqEntrySchema, req.body, 'body');
      const kb = await getKnowledgeBase(em, client.id, parseId(req.params.id));
      const faqId = body.id ?? randomUUID();
      const ingestion = await knowledge.ingestNow(em, {
        clientId: client.id,
        knowledgeBaseId: kb.id,
        sourceId: `faq:${faqId}`,
        sourceName: body.question.slice(0, 300),
        sourceType: 'faq',
        chunks: chunkFaqs([{ ...body, id: faqId }]),
      });
      res.status(ingestion.status === 'completed' ? 201 : 202).json(ingestionToDto(ingestion));
    }),
  );

  openapi.add({
    method: 'post',
    path: '/knowledge-bases/:id/faqs/bulk',
    summary: 'Add or replace FAQ entries in bulk (one source; ingested by a job)',
    tag,
    body: bulkFaqSchema.extend({ sourceId: uploadFieldsSchema.shape.sourceId }),
    response: ingestionSchema,
    status: 202,
  });
  router.post(
    '/knowledge-bases/:id/faqs/bulk',
    requirePermission('knowledge:manage'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const body = parseInput(bulkFaqSchema.extend({ sourceId: uploadFieldsSchema.shape.sourceId }), req.body, 'body');
      const kb = await getKnowledgeBase(em, client.id, parseId(req.params.id));
      const ingestion = await knowledge.enqueueIngestion(em, {
        clientId: client.id,
        knowledgeBaseId: kb.id,
        sourceId: body.sourceId ?? 'faq-bulk',
        sourceName: body.sourceId ?? 'FAQ',
        sourceType: 'faq',
        chunks: chunkFaqs(body.entries),
      });
      res.status(202).json(ingestionToDto(ingestion));
    }),
  );

  openapi.add({
    method: 'get',
    path: '/knowledge-bases/:id/ingestions',
    summary: 'List ingestion runs',
    tag,
    query: paginationQuerySchema,
    response: paginated(ingestionSchema),
  });
  router.get(
    '/knowledge-bases/:id/ingestions',
    requirePermission('knowledge:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const q = parseInput(paginationQuerySchema, req.query, 'query');
      const kb = await getKnowledgeBase(em, client.id, parseId(req.params.id));
      const { rows, total } = await listIngestions(em, client.id, kb.id, q.page, q.pageSize);
      res.json({ data: rows.map(ingestionToDto), page: q.page, pageSize: q.pageSize, total });
    }),
  );

  openapi.add({
    method: 'get',
    path: '/knowledge-bases/:id/ingestions/:ingestionId',
    summary: 'Ingestion status and progress',
    tag,
    response: ingestionSchema,
  });
  router.get(
    '/knowledge-bases/:id/ingestions/:ingestionId',
    requirePermission('knowledge:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      const em = requireEm(req);
      const row = await getIngestion(em, client.id, parseId(req.params.ingestionId), parseId(req.params.id));
      if (!row) throw AppError.notFound('ingestion');
      res.json(ingestionToDto(row));
    }),
  );

  openapi.add({
    method: 'post',
    path: '/knowledge-bases/:id/ingestions/:ingestionId/retry',
    summary: 'Retry a failed ingestion',
    tag,
    response: ingestionSchema,
    status: 202,
  });
  router.post(
    '/knowledge-bases/:id/ingestions/:ingestionId/retry',
    requirePermission('knowledge:manage'),
    route(async (req, res) => {
      const client = requireClient(req);
      const row = await knowledge.retryIngestion(
        requireEm(req),
        client.id,
        parseId(req.params.id),
        parseId(req.params.ingestionId),
      );
      res.status(202).json(ingestionToDto(row));
    }),
  );

  openapi.add({
    method: 'get',
    path: '/knowledge/search',
    summary: 'Search the knowledge bases (hybrid or full text) with scores per leg',
    tag,
    query: knowledgeSearchQuerySchema,
    response: knowledgeSearchResponseSchema,
  });
  router.get(
    '/knowledge/search',
    requirePermission('knowledge:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      const q = parseInput(knowledgeSearchQuerySchema, req.query, 'query');
      res.json(await knowledge.search({ clientId: client.id, query: q.q, k: q.k, knowledgeBaseId: q.knowledgeBaseId }));
    }),
  );

  openapi.add({
    method: 'get',
    path: '/knowledge/suggestions',
    summary: 'Unanswered visitor questions, grouped as suggested additions',
    tag,
    response: unansweredSuggestionsResponseSchema,
  });
  router.get(
    '/knowledge/suggestions',
    requirePermission('knowledge:read'),
    route(async (req, res) => {
      res.json({ data: await suggestAdditions(requireEm(req), requireClient(req).id) });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/knowledge/suggestions/resolve',
    summary: 'Mark unanswered questions as handled',
    tag,
    body: resolveUnansweredSchema,
    response: z.object({ resolved: z.number().int() }),
  });
  router.post(
    '/knowledge/suggestions/resolve',
    requirePermission('knowledge:manage'),
    route(async (req, res) => {
      const body = parseInput(resolveUnansweredSchema, req.body, 'body');
      res.json({ resolved: await resolveUnansweredQuestions(requireEm(req), requireClient(req).id, body.questionIds) });
    }),
  );

  return router;
}

/** multer in memory with limits; its errors become our 4xx errors. */
function upload(maxBytes: number): RequestHandler {
  const single = multer({
    storage: multer.memoryStorage(),
    // Browsers send file names as UTF-8 (busboy's default would read them as latin1).
    defParamCharset: 'utf8',
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 12 },
  }).single('file');
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next(new AppError('unsupported_media_type', 'send the document as multipart/form-data in a field named "file"'));
      return;
    }
    single(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        if (err.code === 'LIMIT_FILE_SIZE') {
          return next(new AppError('payload_too_large', `the file is larger than ${maxBytes} bytes`));
        }
        return next(new AppError('bad_request', `bad upload: ${err.message}${err.field ? ` (${err.field})` : ''}`));
      }
      next(new AppError('bad_request', 'the upload could not be read'));
    });
  };
}

function sourceIdFromName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 200) || 'document'
  );
}
