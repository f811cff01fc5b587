/** The eval reads the server the way an integration would: HTTP with a bearer credential. */
export interface RestClient {
  request(method: string, path: string, token: string, body?: unknown): Promise<Response>;
  /** Throws with the response text unless the status is 2xx. */
  json<T = unknown>(method: string, path: string, token: string, body?: unknown): Promise<T>;
}

export function restClient(baseUrl: string): RestClient {
  const request = (method: string, path: string, token: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(`${baseUrl}/api/v1${path}`, { method, headers, body: payload });
  };
  return {
    request,
    async json<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
      const res = await request(method, path, token, body);
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}
