/** Exit codes (DESIGN §2): scripts and service managers rely on them. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_LOCKED = 3;
