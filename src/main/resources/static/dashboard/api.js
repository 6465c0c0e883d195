// The REST API as the dashboard uses it: the key kept in sessionStorage and sent as a bearer token, problem
// responses turned into ApiError, uploads with progress, and job event streams read with fetch (EventSource cannot
// send an Authorization header, and the key must never go into a URL).

const KEY = 'fitserve.apiKey';
const BASE = '/api/v1';

let onUnauthorized = () => {};

export function apiKey() {
  return sessionStorage.getItem(KEY);
}

export function setApiKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function forgetApiKey() {
  sessionStorage.removeItem(KEY);
}

/** Called with the problem when the server answers 401: the key is unknown, revoked or missing. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** An error answer: the RFC 9457 problem's fields (title, detail, status, errors) when the server sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title || `HTTP ${status}`;
    this.detail = problem.detail || '';
    this.type = problem.type || null;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

async function problemOf(response) {
  let problem = {};
  try {
    const text = await response.text();
    problem = text ? JSON.parse(text) : {};
  } catch (ignored) {
    problem = {};
  }
  if (typeof problem !== 'object' || problem === null) {
    problem = {};
  }
  return new ApiError(response.status, problem);
}

function headers(extra) {
  const h = Object.assign({}, extra);
  const key = apiKey();
  if (key) {
    h.Authorization = 'Bearer ' + key;
  }
  return h;
}

/** A JSON call under /api/v1; resolves to the parsed body (null for 204), rejects with ApiError. */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const init = { method, headers: headers({ Accept: 'application/json' }), signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(BASE + path, init);
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401) {
      onUnauthorized(error);
    }
    throw error;
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** The same call, answering null instead of failing for the given statuses (an optional endpoint or field). */
export async function apiOptional(path, statuses = [404, 409], options = {}) {
  try {
    return await api(path, options);
  } catch (error) {
    if (error instanceof ApiError && statuses.includes(error.status)) {
      return null;
    }
    throw error;
  }
}

/** A binary download (the ONNX export) as a Blob. */
export async function download(path) {
  const response = await fetch(BASE + path, { headers: headers() });
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401) {
      onUnauthorized(error);
    }
    throw error;
  }
  return response.blob();
}

/**
 * Uploads a CSV as multipart (the same endpoint as curl -F file=@...), reporting progress(loaded, total) from the
 * XMLHttpRequest upload events; resolves to the created dataset.
 */
export function uploadDataset(file, name, progress, mask) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let body;
    if (mask) {
      // a masked upload goes as the raw body, the mask in the query: it is known before the first byte of the file
      const query = new URLSearchParams({ name: name || file.name.replace(/\.[^.]*$/, ''), mask });
      xhr.open('POST', BASE + '/datasets?' + query.toString());
      xhr.setRequestHeader('Content-Type', 'text/csv');
      body = file;
    } else {
      body = new FormData();
      if (name) {
        body.append('name', name);
      }
      body.append('file', file, file.name);
      xhr.open('POST', BASE + '/datasets');
    }
    const key = apiKey();
    if (key) {
      xhr.setRequestHeader('Authorization', 'Bearer ' + key);
    }
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) {
        progress(e.loaded, e.total);
      }
    });
    xhr.addEventListener('load', () => {
      let body = {};
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      } catch (ignored) {
        body = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body);
        return;
      }
      const error = new ApiError(xhr.status, body || {});
      if (xhr.status === 401) {
        onUnauthorized(error);
      }
      reject(error);
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, { title: 'Upload failed',
      detail: 'The connection to the server failed during the upload.' })));
    xhr.addEventListener('abort', () => reject(new ApiError(0, { title: 'Upload cancelled' })));
    xhr.send(body);
  });
}

/**
 * Reads a text/event-stream answer with fetch and calls onEvent(name, data) for each event (data parsed as JSON).
 * Resolves when the server ends the stream; rejects with ApiError for an error answer, or the abort error when
 * signal aborts. Comment lines (:heartbeat) are skipped.
 */
export async function streamEvents(path, onEvent, signal) {
  const response = await fetch(BASE + path, { headers: headers({ Accept: 'text/event-stream' }), signal });
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401) {
      onUnauthorized(error);
    }
    throw error;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    buffer += value;
    buffer = buffer.replace(/\r\n/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      dispatch(block, onEvent);
    }
  }
  if (buffer.trim()) {
    dispatch(buffer, onEvent);
  }
}

/**
 * Follows path's event stream until the server ends it. Resolves to why it stopped ('the event stream ended', or
 * 'the event stream failed: ...') for a page that then polls, or to null once ctx is no longer alive.
 */
export async function followEvents(path, onEvent, ctx) {
  let why = 'the event stream ended';
  try {
    await streamEvents(path, onEvent, ctx.signal);
  } catch (error) {
    if (!ctx.alive) {
      return null;
    }
    why = 'the event stream failed: ' + (error.title || error.message);
  }
  return ctx.alive ? why : null;
}

function dispatch(block, onEvent) {
  let event = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) {
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      event = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }
  if (data.length === 0) {
    return;
  }
  let parsed;
  try {
    parsed = JSON.parse(data.join('\n'));
  } catch (ignored) {
    parsed = data.join('\n');
  }
  onEvent(event, parsed);
}
