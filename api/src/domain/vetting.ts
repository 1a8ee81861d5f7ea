// Vetting, the rule: what a need asks of whoever takes it (an identity check, a background check
// that has not expired, trainings that have not expired) and what a volunteer lacks for it. Pure:
// the claim paths (claims.ts, handover.ts) read the facts inside their transaction and ask here;
// Need.viewerCan, matching and the profile ask the same function, so they agree with the claim.
import type { NeedCategory } from '../generated/prisma/enums.ts';
import { AppError, ErrorCode } from '../errors.ts';

export type Requirements = { identityCheck: boolean; backgroundCheck: boolean; trainings: readonly string[] };

/** A volunteer's vetting in one community, as recorded by its coordinators. */
export type VettingFacts = {
  identityCheckedAt: Date | null;
  backgroundCheckedAt: Date | null;
  backgroundExpiresAt: Date | null;
  trainings: ReadonlyArray<{ key: string; completedAt: Date; expiresAt: Date | null }>;
};

export type RequirementKind = 'IDENTITY_CHECK' | 'BACKGROUND_CHECK' | 'TRAINING';
/** One thing a volunteer lacks; `expiredAt` when they had it and it ran out. */
export type Missing = { requirement: RequirementKind; training: string | null; expiredAt: Date | null };

export const NO_REQUIREMENTS: Requirements = { identityCheck: false, backgroundCheck: false, trainings: [] };
export const UNVETTED: VettingFacts = { identityCheckedAt: null, backgroundCheckedAt: null, backgroundExpiresAt: null, trainings: [] };

/** The trainings every community starts with; its coordinators add their own and retire any. */
export const DEFAULT_TRAININGS = [
  { key: 'child-safety', name: 'Child safety' },
  { key: 'elderly-visiting', name: 'Visiting the elderly' },
  { key: 'hotline', name: 'Hotline' },
  { key: 'first-aid', name: 'First aid' },
] as const;

const vetted = (training: string): Requirements => ({ identityCheck: true, backgroundCheck: true, trainings: [training] });

/**
 * What a category asks by default, until a community sets its own: work alone with children
 * (child care; hosting, where evacuated families bring them), with the elderly at home, or with
 * people in distress. Everything else asks nothing.
 */
export const DEFAULT_REQUIREMENTS: Readonly<Partial<Record<NeedCategory, Requirements>>> = {
  CHILDCARE: vetted('child-safety'),
  HOSTING: vetted('child-safety'),
  ELDERLY_SUPPORT: vetted('elderly-visiting'),
  MENTAL_HEALTH: vetted('hotline'),
};

export const defaultRequirements = (category: NeedCategory): Requirements => DEFAULT_REQUIREMENTS[category] ?? NO_REQUIREMENTS;

export const hasRequirements = (r: Requirements) => r.identityCheck || r.backgroundCheck || r.trainings.length > 0;

/** A dated check or training holds until the instant it expires (exclusive); no expiry holds forever. */
export const stillValid = (expiresAt: Date | null, now: Date) => expiresAt === null || now.getTime() < expiresAt.getTime();

/** What `facts` lack to meet `req` at `now`, in a stable order: identity, background, trainings as listed. */
export function missingRequirements(req: Requirements, facts: VettingFacts, now: Date): Missing[] {
  const missing: Missing[] = [];
  if (req.identityCheck && !facts.identityCheckedAt) missing.push({ requirement: 'IDENTITY_CHECK', training: null, expiredAt: null });
  if (req.backgroundCheck) {
    if (!facts.backgroundCheckedAt) missing.push({ requirement: 'BACKGROUND_CHECK', training: null, expiredAt: null });
    else if (!stillValid(facts.backgroundExpiresAt, now)) missing.push({ requirement: 'BACKGROUND_CHECK', training: null, expiredAt: facts.backgroundExpiresAt });
  }
  for (const key of new Set(req.trainings)) {
    const done = facts.trainings.find((t) => t.key === key);
    if (!done) missing.push({ requirement: 'TRAINING', training: key, expiredAt: null });
    else if (!stillValid(done.expiresAt, now)) missing.push({ requirement: 'TRAINING', training: key, expiredAt: done.expiresAt });
  }
  return missing;
}

/** "IDENTITY_CHECK", "BACKGROUND_CHECK (expired on 2027-01-31)", "TRAINING:child-safety". */
export function missingLabel(m: Missing): string {
  const base = m.requirement === 'TRAINING' ? `TRAINING:${m.training}` : m.requirement;
  return m.expiredAt ? `${base} (expired on ${m.expiredAt.toISOString().slice(0, 10)})` : base;
}

/** The refusal of a claim, an assignment or a handover to someone who lacks `missing`. */
export function notQualified(missing: readonly Missing[], who: 'you' | 'volunteer'): AppError {
  const labels = missing.map(missingLabel);
  const subject = who === 'you' ? 'You are' : 'This volunteer is';
  return new AppError(ErrorCode.NOT_QUALIFIED, `${subject} not vetted for this need: missing ${labels.join(', ')}. A coordinator of the community records checks and trainings.`, {
    missing: labels,
  });
}

/** The requirements a need carries (its columns). */
export const needRequirements = (n: { requiresIdentityCheck: boolean; requiresBackgroundCheck: boolean; requiredTrainings: readonly string[] }): Requirements => ({
  identityCheck: n.requiresIdentityCheck,
  backgroundCheck: n.requiresBackgroundCheck,
  trainings: n.requiredTrainings,
});

/** Requirements as need columns. */
export const requirementColumns = (r: Requirements) => ({
  requiresIdentityCheck: r.identityCheck,
  requiresBackgroundCheck: r.backgroundCheck,
  requiredTrainings: [...new Set(r.trainings)],
});

/** A training key from a name: lowercase latin letters, digits and dashes; empty when the name has none. */
export const trainingKeyFrom = (name: string) =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

/** What someone with `facts` in the need's community lacks for it now (nothing when it asks nothing). */
export function missingForNeed(
  need: { requiresIdentityCheck: boolean; requiresBackgroundCheck: boolean; requiredTrainings: readonly string[] },
  facts: VettingFacts | undefined,
  now: Date,
): Missing[] {
  const req = needRequirements(need);
  return hasRequirements(req) ? missingRequirements(req, facts ?? UNVETTED, now) : [];
}
