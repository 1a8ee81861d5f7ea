// A reporter that closes the run with what it skipped and why, read from the run itself: suites skipped
// through helpers/skips.ts (their reason is in the suite's meta), tests that skipped themselves with
// ctx.skip(reason), and any skip that gives no reason (so it gets one).
import type { Reporter, TestCase, TestModule, TestSuite, Vitest } from 'vitest/node';

type Skip = { where: string; suite: boolean; tests: number; reason: string | undefined };

/** The outermost suite that carries the test's skip reason: the one that was skipped. */
function skippedSuite(test: TestCase, reason: string): TestSuite | undefined {
  let holder: TestSuite | undefined;
  for (let parent = test.parent; parent.type === 'suite' && parent.meta().skipReason === reason; parent = parent.parent) holder = parent;
  return holder;
}

export default class SkipSummary implements Reporter {
  #vitest!: Vitest;

  onInit(vitest: Vitest) {
    this.#vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    // Tests left out by a name filter (-t) are skipped too, but only because of how the run was started.
    const byName = !!this.#vitest.config.testNamePattern;
    const skips = new Map<string, Skip>();
    for (const module of modules) {
      for (const test of module.children.allTests('skipped')) {
        const result = test.result();
        const suiteReason = test.meta().skipReason;
        const reason = suiteReason ?? (result.state === 'skipped' ? result.note : undefined);
        if (!reason && byName) continue;
        const suite = suiteReason ? skippedSuite(test, suiteReason) : undefined;
        const where = `${module.relativeModuleId} > ${(suite ?? test).fullName}`;
        const skip = skips.get(where) ?? { where, suite: !!suite, tests: 0, reason };
        skip.tests++;
        skips.set(where, skip);
      }
    }
    const log = (line: string) => this.#vitest.logger.log(line);
    if (skips.size === 0) {
      log(' Skipped: nothing');
      return;
    }
    const all = [...skips.values()];
    const tests = all.reduce((n, s) => n + s.tests, 0);
    log(` Skipped: ${tests} test${tests === 1 ? '' : 's'}, and why:`);
    for (const s of all.sort((a, b) => a.where.localeCompare(b.where))) {
      log(`   ${s.where}${s.suite ? ` (${s.tests} test${s.tests === 1 ? '' : 's'})` : ''}: ${s.reason ?? 'no reason given (use helpers/skips.ts requires(...) or ctx.skip(reason))'}`);
    }
  }
}
