/** An error meant for the person at the terminal: printed as one line, exit code 1. */
export class PledgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PledgeError';
  }
}
