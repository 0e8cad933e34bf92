// The page's calls to the server's JSON API (see README, "sam serve"): upload, predict and automatic
// masks. Errors become Error objects carrying the server's one-line reason. HoverQueue keeps at
// most one hover prediction in flight and drops all but the newest waiting one, so moving the
// pointer can never flood the server.

async function call(url, options) {
  const response = await fetch(url, options);
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    const reason = body && body.error ? body.error : response.status + ' ' + response.statusText;
    const error = new Error(reason);
    error.status = response.status;
    throw error;
  }
  return body;
}

export function info() {
  return call('/api/info');
}

export function upload(file) {
  return call('/api/images', { method: 'POST', body: file });
}

export function predict(id, prompt) {
  return call('/api/images/' + encodeURIComponent(id) + '/predict', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(prompt),
  });
}

export function startEverything(id) {
  return call('/api/images/' + encodeURIComponent(id) + '/amg', { method: 'POST' });
}

export function everything(id) {
  return call('/api/images/' + encodeURIComponent(id) + '/amg');
}

export class HoverQueue {
  constructor(minIntervalMs, run) {
    this.minIntervalMs = minIntervalMs;
    this.run = run;
    this.busy = false;
    this.waiting = null;
    this.last = 0;
  }

  offer(job) {
    this.waiting = job;
    this.pump();
  }

  cancel() {
    this.waiting = null;
  }

  async pump() {
    if (this.busy || this.waiting === null) return;
    const wait = this.last + this.minIntervalMs - performance.now();
    if (wait > 0) {
      this.busy = true;
      setTimeout(() => { this.busy = false; this.pump(); }, wait);
      return;
    }
    const job = this.waiting;
    this.waiting = null;
    this.busy = true;
    this.last = performance.now();
    try {
      await this.run(job);
    } finally {
      this.busy = false;
      this.pump();
    }
  }
}
