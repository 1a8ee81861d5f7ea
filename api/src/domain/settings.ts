// Tunable rules, set from config at start (and by tests).
export const claimRules = {
  /** Unstarted claims expire after this long; the slot reopens. */
  ttlMinutes: 240,
  /** No hoarding: at most this many ACTIVE or STARTED claims per volunteer. */
  maxActivePerVolunteer: 5,
};

export const sessionRules = {
  ttlHours: 24 * 30,
};

export const handoverRules = {
  /** A holder who does not answer within this long approves the handover. */
  autoApproveMinutes: 60,
};
