import { errorResponseSchema } from '@leaddesk/shared';
import { z } from 'zod';
import { mergePatchJsonSchema } from './merge-patch.js';

/**
 * Routes describe themselves here with the same zod schemas that validate
 * them, so the OpenAPI document cannot drift from what the server accepts.
 */
export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express-style path (`/leads/:id`); converted to OpenAPI `{id}`. */
  path: string;
  summary: string;
  tag: string;
  auth?: 'apiKey' | 'none';
  query?: z.ZodObject;
  body?: z.ZodTypeAny;
  /**
   * The body is a JSON Merge Patch (RFC 7396) of `body`, the full resource:
   * documented with nothing required, no defaults, and null for removable fields.
   */
  mergePatch?: boolean;
  response?: z.ZodTypeAny;
  status?: number;
}

export class OpenApiRegistry {
  private readonly routes: RouteDoc[] = [];
  /**
   * The paths, built once per set of routes: converting every zod schema costs
   * tens of milliseconds of CPU, too much to spend again on each request to a
   * public endpoint (the fuzz suite saw it answer after more than 2 s under load).
   */
  private paths: { routeCount: number; value: Record<string, Record<string, unknown>> } | undefined;

  add(doc: RouteDoc): void {
    this.routes.push(doc);
  }

  document(info: { title: string; version: string; serverUrl: string; description?: string }) {
    if (this.paths?.routeCount !== this.routes.length) {
      this.paths = { routeCount: this.routes.length, value: this.buildPaths() };
    }
    const paths = this.paths.value;
    return {
      openapi: '3.1.0',
      info: {
        title: info.title,
        version: info.version,
        ...(info.description ? { description: info.description } : {}),
      },
      servers: [{ url: info.serverUrl }],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description:
              'Tenant API key (ld_live_…, acts as the client admin) or a staff access token (JWT from /auth/login; super admins add X-Client-Id)',
          },
        },
      },
      paths,
    };
  }

  private buildPaths(): Record<string, Record<string, unknown>> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of this.routes) {
      const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const params: unknown[] = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      if (r.query) {
        const shape = r.query.shape as Record<string, z.ZodTypeAny>;
        for (const [name, schema] of Object.entries(shape)) {
          params.push({
            name,
            in: 'query',
            required: !schema.safeParse(undefined).success,
            schema: jsonSchema(schema),
          });
        }
      }
      const operation: Record<string, unknown> = {
        summary: r.summary,
        tags: [r.tag],
        parameters: params,
        responses: {
          [String(r.status ?? 200)]: {
            description: 'OK',
            ...(r.response ? { content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } } : {}),
          },
          default: {
            description: 'Error',
            content: { 'application/json': { schema: jsonSchema(errorResponseSchema, 'output') } },
          },
        },
      };
      if (r.body && r.mergePatch) {
        const schema = mergePatchJsonSchema(jsonSchema(r.body));
        operation.requestBody = {
          required: true,
          description: 'JSON Merge Patch (RFC 7396) of the resource: only the fields sent change',
          content: { 'application/json': { schema }, 'application/merge-patch+json': { schema } },
        };
      } else if (r.body) {
        operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } };
      }
      if (r.auth !== 'none') operation.security = [{ apiKey: [] }];
      paths[path] = { ...paths[path], [r.method]: operation };
    }
    return paths;
  }
}

function jsonSchema(schema: z.ZodTypeAny, io: 'input' | 'output' = 'input'): unknown {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
}
