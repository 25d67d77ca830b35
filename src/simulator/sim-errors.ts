// The dataset's errors: the control endpoints and the REST routes map each to their own status.
import { SimRegistrant } from './sim-types';

export class SimNotFoundError extends Error {}
export class SimConflictError extends Error {
  constructor(
    message: string,
    readonly existing?: SimRegistrant,
  ) {
    super(message);
  }
}
export class SimInputError extends Error {}
