/** The machine's timers, by name; core sets them from its options and runs them on its clock. */
export const delays = {
  /** How long an agent counts as typing after its last preview. */
  agentTypingTimeout: 15_000,
  /** How long `closing` waits for `finish chat session` once the server has confirmed the close. */
  closeGrace: 3_000,
  /** How long to wait before resending messages whose reply timed out. */
  outboxRetry: 2_000,
};
