import { ApiError, clientHeaderFor, refresh, session } from './api.js';

/**
 * Saves a file the API serves (a CSV export) under the name the server gives.
 * A plain link cannot carry the in-memory access token, so the file is
 * fetched with it (refreshed once on a 401, like every API call) and handed
 * to the browser as a blob.
 */
export async function downloadFile(path: string, retry = true): Promise<string> {
  const headers: Record<string, string> = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const clientId = clientHeaderFor(path);
  if (clientId) headers['x-client-id'] = clientId;
  const res = await fetch(`/api/v1${path}`, { headers, credentials: 'same-origin' });
  if (res.status === 401 && retry && (await refresh())) return downloadFile(path, false);
  if (!res.ok) {
    const json = await res.json().catch(() => undefined);
    throw new ApiError(res.status, json?.error?.code ?? 'error', json?.error?.message ?? res.statusText);
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export.csv';
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the blob to the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
