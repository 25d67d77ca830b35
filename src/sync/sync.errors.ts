// Thrown by a handler when the job has nothing to do any more (e.g. the organizer was deactivated
// after the job was queued). The job ends `succeeded` with result { skipped: true, reason }:
// it did not fail, and retrying would not change anything.
export class JobSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'JobSkipped';
  }
}
