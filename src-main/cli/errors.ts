export const EXIT_RUNTIME = 1;
export const EXIT_CONFIG = 2;

/** A failure with a sentence for the user and the process exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_RUNTIME,
  ) {
    super(message);
  }
}
