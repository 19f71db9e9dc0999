/** Runs async tasks one at a time, in order: two windows never interleave their writes. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined); // the caller gets the failure through `result`; the queue goes on
    return result;
  }
}
